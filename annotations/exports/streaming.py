"""Streamed export bodies: own-shape JSONL, W3C Web Annotations (JSON-LD), schema.org
ClaimReview and CSV. Rows come from one cursor as plain dicts in chunks, are mapped by
`mapping` and dumped with orjson, so memory stays flat and the first byte leaves at once."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import orjson

from . import mapping

Chunks = Iterable[list[tuple[dict, list[dict]]]]


# Bodies: each yields bytes, one piece per chunk of rows. -------------------------------------


def jsonl_body(chunks: Chunks, ctx: mapping.ExportContext) -> Iterator[bytes]:
    dumps, to_own, newline = orjson.dumps, mapping.to_own, orjson.OPT_APPEND_NEWLINE
    for chunk in chunks:
        yield b"".join([dumps(to_own(row, links), option=newline) for row, links in chunk])


def jsonld_body(
    chunks: Chunks, ctx: mapping.ExportContext, *, collection_id: str
) -> Iterator[bytes]:
    """One AnnotationCollection with its only page embedded as `first`. The collection's
    opening goes out before any row is read, the total at the end once it is known; an
    empty collection has no page."""
    page_id = f"{collection_id}#page-1"
    head = {
        "@context": mapping.W3C_CONTEXT_VALUE,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": "Fact-check annotations",
        "generated": ctx.generated,
    }
    page = {"id": page_id, "type": "AnnotationPage", "partOf": collection_id, "startIndex": 0}
    yield orjson.dumps(head)[:-1]
    dumps, to_w3c_chunk = orjson.dumps, mapping.to_w3c_chunk
    total = 0
    for chunk in chunks:
        items = b",".join([dumps(annotation) for annotation in to_w3c_chunk(chunk, ctx)])
        if not total:
            items = b',"first":' + dumps(page)[:-1] + b',"items":[' + items
        else:
            items = b"," + items
        yield items
        total += len(chunk)
    tail = {"total": total, "last": page_id} if total else {"total": 0}
    yield (b"]}," if total else b",") + dumps(tail)[1:] + b"\n"


def claimreview_body(chunks: Chunks, ctx: mapping.ExportContext) -> Iterator[bytes]:
    yield b"["
    first = True
    for chunk in chunks:
        reviews = (mapping.to_claimreview(row, links, ctx) for row, links in chunk)
        items = b",".join(orjson.dumps(r) for r in reviews if r is not None)
        if items:
            yield items if first else b"," + items
            first = False
    yield b"]\n"


def csv_body(chunks: Chunks, ctx: mapping.ExportContext) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(mapping.CSV_HEADER)
    for chunk in chunks:
        writer.writerows(mapping.to_csv_row(row, links) for row, links in chunk)
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():  # only the header: an empty export
        yield buffer.getvalue().encode()


@dataclass(frozen=True)
class ExportFormat:
    name: str
    content_type: str
    filename: str
    body: Callable[..., Iterator[bytes]]
    article_fields: tuple[str, ...]
    # ClaimReview covers claims only; opinions are left out in the query, not row by row.
    verdicts: tuple[str, ...] | None = None


FORMATS = {
    f.name: f
    for f in (
        ExportFormat(
            "jsonl",
            "application/x-ndjson",
            "annotations.jsonl",
            jsonl_body,
            mapping.ARTICLE_KEYS["own"],
        ),
        ExportFormat(
            "jsonld",
            mapping.W3C_PROFILE,
            "annotations.jsonld",
            jsonld_body,
            mapping.ARTICLE_KEYS["w3c"],
        ),
        ExportFormat(
            "claimreview",
            "application/json",
            "claimreview.json",
            claimreview_body,
            mapping.ARTICLE_KEYS["claimreview"],
            verdicts=mapping.CLAIM_VERDICTS,
        ),
        ExportFormat(
            "csv",
            "text/csv; charset=utf-8",
            "annotations.csv",
            csv_body,
            mapping.ARTICLE_KEYS["csv"],
        ),
    )
}
COLLECTION_PATH = "/api/v1/export/annotations.jsonld"


def export_stream(
    fmt: ExportFormat, chunks: Chunks, ctx: mapping.ExportContext, *, collection_id: str
) -> Iterator[bytes]:
    """The body of one export; the view and the management command both use it."""
    if fmt.name == "jsonld":
        return fmt.body(chunks, ctx, collection_id=collection_id)
    return fmt.body(chunks, ctx)
