"""A streamed export never ends short with a 200 that looks complete: the query runs before
the first byte, and a failure after it propagates so the server aborts the connection."""

import re

import pytest
from django.db import DatabaseError

from annotations import selectors
from annotations.exports import mapping
from annotations.selectors import exports as export_selectors
from tests.export_data import URL

FORMATS = {
    "annotations.jsonl": "to_own",
    "annotations.jsonld": "to_w3c_chunk",
    "claimreview.json": "to_claimreview",
    "annotations.csv": "to_csv_row",
}


def fail_after_the_first_chunk(monkeypatch, name: str) -> None:
    """The format's mapping works for the first chunk of rows, then raises."""
    real, calls = getattr(mapping, FORMATS[name]), []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("disk on fire")
        return real(*args, **kwargs)

    monkeypatch.setattr(mapping, FORMATS[name], failing)


@pytest.mark.parametrize("name", FORMATS)
def test_a_failure_mid_stream_is_raised_not_a_quiet_end(
    as_reviewer, dataset, monkeypatch, caplog, name
):
    monkeypatch.setattr(export_selectors, "EXPORT_CHUNK_SIZE", 1)
    fail_after_the_first_chunk(monkeypatch, name)
    response = as_reviewer.get(URL + name)
    assert response.status_code == 200
    with pytest.raises(RuntimeError, match="disk on fire"):
        b"".join(response.streaming_content)
    assert "aborting" in caplog.text


@pytest.mark.parametrize("name", FORMATS)
def test_a_query_that_fails_is_an_error_before_the_first_byte(
    as_reviewer, dataset, monkeypatch, name
):
    def broken(qs, **kwargs):
        raise DatabaseError("the database refused the query")
        yield  # a generator, as the real one: nothing runs until the first next()

    monkeypatch.setattr(selectors, "annotation_export_chunks", broken)
    as_reviewer.raise_request_exception = False
    response = as_reviewer.get(URL + name)
    assert not response.streaming
    assert response.status_code == 500
    assert response.json() == {"detail": "Server error."}


@pytest.mark.parametrize("name", FORMATS)
def test_an_http_1_0_client_gets_a_500_not_a_short_file(as_reviewer, dataset, monkeypatch, name):
    """HTTP/1.0 has no chunked transfer, so a dropped connection would look like the end of
    the file: the body is built before the first byte instead."""
    monkeypatch.setattr(export_selectors, "EXPORT_CHUNK_SIZE", 1)
    streamed = b"".join(as_reviewer.get(URL + name).streaming_content)
    whole = as_reviewer.get(URL + name, SERVER_PROTOCOL="HTTP/1.0")
    assert not whole.streaming and whole.status_code == 200
    assert whole["Content-Length"] == str(len(whole.content))
    generated = re.compile(rb'"generated":"[^"]+"')  # the JSON-LD collection's timestamp
    assert generated.sub(b"", whole.content) == generated.sub(b"", streamed)

    fail_after_the_first_chunk(monkeypatch, name)
    as_reviewer.raise_request_exception = False
    response = as_reviewer.get(URL + name, SERVER_PROTOCOL="HTTP/1.0")
    assert not response.streaming
    assert response.status_code == 500
    assert response.json() == {"detail": "Server error."}
