"""Reads for the exports: one server-side cursor of plain row dicts, chunk by chunk, with
each chunk's evidence in one query. Every vendor-specific trick of the export path lives
here, so the rows that leave are the same on SQLite and PostgreSQL: datetimes and dates as
ISO 8601 text (UTC, `Z`), `is_orphan` truthy. Exports read from the replica when one is
configured (a long streaming read may lag the primary by a moment without harm)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from django.db import connections
from django.db.models import ExpressionWrapper, F, Func, QuerySet, TextField
from django.db.models.functions import Lower

from ..lib.isotime import iso
from ..models import Annotation, EvidenceLink

REPLICA = "replica"

# Rows a chunk: one evidence query each, one piece of the streamed body each. Small chunks
# are fast: what a chunk reads, maps and writes stays in the processor's cache (the export
# benchmark ran a third faster at 100 rows than at 2,000), and the first bytes leave at once.
EXPORT_CHUNK_SIZE = 100

# The keys of a row: the annotation's columns and its author's username, then the
# article's columns that a format asks for (ARTICLE_FIELDS).
ROW_KEYS = (
    "id",
    "article_id",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "verdict",
    "note",
    "claim",
    "status",
    "review_comment",
    "version",
    "revision",
    "author__username",
    "created_at",  # ISO 8601 text, UTC with Z
    "updated_at",
    "is_orphan",  # truthy
)
ARTICLE_FIELDS = ("article__title", "article__url", "article__source", "article_published")
# Read under another name: the value is converted (see _timestamps), or left raw.
_RENAMED = {
    "created_at": "created",
    "updated_at": "updated",
    "is_orphan": "orphaned",
    "article_published": "article__published",
}
_PLAIN = tuple(key for key in ROW_KEYS if key not in _RENAMED)


def export_database() -> str:
    """The database alias exports read from: the replica when there is one."""
    return REPLICA if REPLICA in connections.settings else "default"


def annotation_export_queryset(*, include_orphans: bool = False) -> QuerySet[Annotation]:
    """Live annotations for export in id order (stable, and streams straight off the
    primary key), on the export database; orphans only on request."""
    qs = Annotation.objects.using(export_database()).order_by("id")
    if not include_orphans:
        qs = qs.filter(orphaned=False)
    return qs


def filter_status(qs: QuerySet[Annotation], status: str) -> QuerySet[Annotation]:
    """Annotations in one status. Compared through Lower() so that SQLite does not pick the
    (status, created) index: a status matches a large share of the rows, and that index
    would need a sort of all of them before the first row, where the primary key streams."""
    return qs.alias(status_value=Lower("status")).filter(status_value=status)


class _SqliteIso(Func):
    """SQLite keeps datetimes as UTC text "YYYY-MM-DD HH:MM:SS[.ffffff]": made ISO in SQL,
    so neither sqlite3 nor Django parses a datetime per row (the bulk of an export's time)."""

    template = "REPLACE(%(expressions)s, ' ', 'T') || 'Z'"
    output_field = TextField()


class _SqliteText(Func):
    template = "CAST(%(expressions)s AS TEXT)"
    output_field = TextField()


def _values(qs: QuerySet[Annotation], article_fields: tuple[str, ...]) -> tuple[QuerySet, bool]:
    """The queryset's rows as dicts of ROW_KEYS plus `article_fields`, and whether the
    timestamps still need formatting in Python."""
    wanted = [f for f in ARTICLE_FIELDS if f in article_fields]
    renamed = {k: v for k, v in _RENAMED.items() if k in ROW_KEYS or k in wanted}
    plain = [*_PLAIN, *(f for f in wanted if f not in _RENAMED)]
    if connections[qs.db].vendor == "sqlite":
        expressions = {
            "created_at": _SqliteIso(F("created")),
            "updated_at": _SqliteIso(F("updated")),
            # A TextField output has no converter: sqlite3's cheap 0/1 is kept.
            "is_orphan": ExpressionWrapper(F("orphaned"), output_field=TextField()),
        }
        if "article_published" in renamed:
            expressions["article_published"] = _SqliteText(F("article__published"))
        return qs.values(*plain, **expressions), False
    # PostgreSQL's driver hands over typed values in C; they are formatted per row.
    return qs.values(*plain, **{alias: F(field) for alias, field in renamed.items()}), True


def _timestamps(row: dict) -> dict:
    row["created_at"] = iso(row["created_at"])
    row["updated_at"] = iso(row["updated_at"])
    if "article_published" in row:
        row["article_published"] = iso(row["article_published"])
    return row


def _evidence_by_annotation(chunk: list[dict], using: str) -> dict[int, list[dict]]:
    """The links of a chunk of annotation rows (in id order), by annotation id.

    Plain SQL on a plain cursor, run once a chunk: building the query with the ORM took
    longer than running it, and the rows need no conversion. When the chunk's ids are
    dense, an id range selects its links (a few of annotations the export leaves out
    are simply unused); when they are sparse (a narrow filter), the ids themselves do."""
    first, last = chunk[0]["id"], chunk[-1]["id"]
    if last - first < 2 * len(chunk):
        where, params = "annotation_id BETWEEN %s AND %s", [first, last]
    else:
        params = [row["id"] for row in chunk]
        where = f"annotation_id IN ({', '.join(['%s'] * len(params))})"
    db = connections[using]
    table = db.ops.quote_name(EvidenceLink._meta.db_table)
    sql = f"SELECT annotation_id, url, title FROM {table} WHERE {where} ORDER BY annotation_id, id"
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    links: dict[int, list[dict]] = {}
    for annotation_id, url, title in rows:
        links.setdefault(annotation_id, []).append({"url": url, "title": title})
    return links


def annotation_export_chunks(
    qs: QuerySet[Annotation],
    *,
    article_fields: tuple[str, ...] = (),
    chunk_size: int | None = None,
) -> Iterator[list[tuple[dict, list[dict]]]]:
    """Stream `qs` (ordered by id) as chunks of (row dict, evidence list): one server-side
    cursor for the rows, joined with the author and, for `article_fields` (names from
    ARTICLE_FIELDS), the article; one evidence query a chunk."""
    size = chunk_size or EXPORT_CHUNK_SIZE
    values, convert = _values(qs, article_fields)
    rows = values.iterator(chunk_size=size)
    empty: list[dict] = []
    while chunk := list(islice(rows, size)):
        if convert:
            chunk = [_timestamps(row) for row in chunk]
        links = _evidence_by_annotation(chunk, values.db)
        yield [(row, links.get(row["id"], empty)) for row in chunk]


def annotation_rows(annotations) -> list[tuple[dict, list[dict]]]:
    """The same (row, evidence) pairs for annotations already loaded with their author and
    evidence (the API's pages), so one mapping writes both the API's JSON and the exports'."""
    return [
        (
            {
                "id": a.pk,
                "article_id": a.article_id,
                "start": a.start,
                "end": a.end,
                "quote": a.quote,
                "prefix": a.prefix,
                "suffix": a.suffix,
                "verdict": a.verdict,
                "note": a.note,
                "claim": a.claim,
                "status": a.status,
                "review_comment": a.review_comment,
                "version": a.version,
                "revision": a.revision,
                "author__username": a.author.username,
                "created_at": iso(a.created),
                "updated_at": iso(a.updated),
                "is_orphan": a.orphaned,
            },
            [{"url": e.url, "title": e.title} for e in a.evidence.all()],
        )
        for a in annotations
    ]
