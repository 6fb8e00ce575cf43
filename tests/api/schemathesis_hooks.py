"""schemathesis hooks shared by tests/api/test_api_schema.py and bench/fuzz.py: our check
that a 200 body is whole, and how to make an evidence link the API must accept."""

from __future__ import annotations

import base64
import csv
import io
import json
from urllib.parse import urlencode

import schemathesis
from hypothesis import strategies as st


@schemathesis.check
def complete_body(ctx, response, case):
    """A 200 body must be whole: a streamed export cut short must not pass for a file."""
    if response.status_code != 200:
        return None
    kind = response.headers.get("content-type", [""])
    kind = kind[0] if isinstance(kind, list) else kind
    text = response.content.decode("utf-8")
    if kind.startswith("application/x-ndjson"):
        assert text == "" or text.endswith("\n"), "JSONL body does not end with a newline"
        for line in text.splitlines():
            json.loads(line)
    elif kind.startswith("text/csv"):
        assert text.endswith("\n"), "CSV body does not end with a newline"
        rows = list(csv.reader(io.StringIO(text)))
        assert rows and all(len(row) == len(rows[0]) for row in rows), "ragged CSV"
    elif "json" in kind:
        json.loads(text)
    return None


# `format: uri` (evidence links): JSON Schema cannot say which hosts and ports are real, so
# positive cases are http(s) links with a plain host name (the schema's pattern), a path,
# and maybe a query.
_label = st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True)
_host = st.builds(
    lambda labels, tld: ".".join([*labels, tld]),
    st.lists(_label, min_size=1, max_size=3),
    st.from_regex(r"[a-z]{2,6}", fullmatch=True),
)
_path = st.from_regex(r"(/[A-Za-z0-9._~-]{0,12}){0,4}", fullmatch=True)
_query = st.one_of(st.just(""), st.from_regex(r"\?[a-z]{1,8}=[A-Za-z0-9]{0,8}", fullmatch=True))
EVIDENCE_URL = st.builds(
    lambda scheme, host, path, query: f"{scheme}://{host}{path}{query}",
    st.sampled_from(["http", "https"]),
    _host,
    _path,
    _query,
)
schemathesis.openapi.format("uri", EVIDENCE_URL)


# `format: cursor` (cursor pages): what DRF's CursorPagination writes into `next` and
# `previous`: base64 of an offset `o`, a direction `r` and maybe a position `p` (an id).
def _cursor(offset: int, reverse: bool, position: int | None) -> str:
    tokens = {"o": offset, "r": int(reverse)} | ({} if position is None else {"p": position})
    return base64.b64encode(urlencode(tokens).encode("ascii")).decode("ascii")


CURSOR = st.builds(
    _cursor,
    st.integers(0, 1000),
    st.booleans(),
    st.none() | st.integers(1, 2**63 - 1),
)
schemathesis.openapi.format("cursor", CURSOR)
