"""Every query parameter is parsed by a form or a filter: a bad value is a 4xx (API) or is
ignored (a browser page's filter), never a 500, on SQLite and on PostgreSQL."""

import datetime as dt
import json

import pytest

from tests.export_data import get, jsonl
from tests.factories import make_annotation

EXPORTS = ("annotations.jsonl", "annotations.jsonld", "claimreview.json", "annotations.csv")


@pytest.mark.parametrize("offset", ["+16:00", "-16:00", "+23:59", "+15:59"])
def test_updated_after_with_any_iso_offset_is_answered(as_reviewer, dataset, offset):
    stamp = "2000-01-01T00:00:00" + offset
    response = as_reviewer.get("/api/v1/annotations/", {"updated_after": stamp})
    assert response.status_code == 200
    assert response.json()["results"]
    for name in EXPORTS:
        response, body = get(as_reviewer, name, updated_after=stamp)
        assert response.status_code == 200, name
        assert body


def test_updated_after_offset_moves_the_instant(as_reviewer, article, reviewer):
    annotation = make_annotation(article, reviewer, "waste", verdict="opinion")
    stamp = annotation.updated
    # The same instant written 16 hours ahead: still "at or after", so it is listed.
    ahead = stamp.replace(microsecond=0).astimezone(dt.timezone(dt.timedelta(hours=16)))
    listed = as_reviewer.get("/api/v1/annotations/", {"updated_after": ahead.isoformat()})
    assert [row["id"] for row in listed.json()["results"]] == [annotation.pk]


@pytest.mark.parametrize(
    "params",
    [
        {"article": "²"},
        {"article": "١٢"},
        {"article": str(2**64)},
        {"author": "a\x00b"},
        {"author": "\x07"},
        # C1 controls, and \x1c-\x1f and \x85 at an end (str.strip() counts them as space)
        {"author": "\x9bx"},
        {"author": "x\x1f"},
        {"q": "\x85"},
    ],
)
def test_bad_filter_values_are_400(as_reviewer, params):
    response = as_reviewer.get("/api/v1/annotations/", params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


@pytest.mark.parametrize("q", ["a\x00", "a\x1f", "\x1ca", "a\x85"])
def test_article_search_with_a_control_character_is_400(as_reviewer, q):
    response = as_reviewer.get("/api/v1/articles/", {"q": q})
    assert response.status_code == 400
    assert "q" in response.json()


def test_export_with_bad_filters_is_a_json_400_before_any_byte(as_reviewer, dataset):
    for name in EXPORTS:
        response, body = get(as_reviewer, name, article="²")
        assert response.status_code == 400
        assert "article" in json.loads(body)


def test_jsonl_export_still_streams_every_row(as_reviewer, dataset):
    response, body = get(as_reviewer, "annotations.jsonl")
    assert len(jsonl(body)) == len(dataset)
