"""Reads that are more than a .get(): querysets with the joins and counts pages need."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    TextField,
)
from django.db.models.functions import Cast

from . import anchoring
from .export_mapping import ROW_KEYS
from .models import Annotation, Article, EvidenceLink, ReviewEvent, Status, Verdict


def _count(field: str, value: str) -> Count:
    return Count(
        "annotations", filter=Q(**{f"annotations__{field}": value, "annotations__deleted": False})
    )


def article_list(*, q: str = "") -> QuerySet[Article]:
    """Articles with their annotation counts by verdict and by status, in one query."""
    counts = {f"n_{v}": _count("verdict", v) for v in Verdict.values}
    counts |= {f"n_{s}": _count("status", s) for s in Status.values}
    qs = (
        Article.objects.select_related("near_duplicate_of")
        .defer("text", "near_duplicate_of__text")
        .annotate(**counts)
    )
    if q:
        qs = qs.filter(title__icontains=q)
    return qs


def article_annotations(*, article: Article) -> QuerySet[Annotation]:
    """Live annotations of one article in text order, with author and evidence. Orphans
    are left out: their offsets point into an earlier revision of the text."""
    return (
        Annotation.objects.filter(article=article, orphaned=False)
        .select_related("author")
        .prefetch_related("evidence")
        .order_by("start", "end", "id")
    )


def article_workbench_annotations(*, article: Article) -> list[Annotation]:
    """Live annotations of one article in text order, each with `links` (its evidence).

    Evidence comes in one query of its own, also when there are no annotations, so the
    annotate page runs the same number of queries whatever the count.
    """
    annotations = list(
        Annotation.objects.filter(article=article)
        .select_related("author")
        .order_by("start", "end", "id")
    )
    links: dict[int, list[EvidenceLink]] = {a.pk: [] for a in annotations}
    for link in EvidenceLink.objects.filter(
        annotation__article=article, annotation__deleted=False
    ).order_by("id"):
        # A link whose annotation was added after the first query is simply not shown.
        links.get(link.annotation_id, []).append(link)
    for a in annotations:
        a.links = links[a.pk]
    return annotations


def articles_with_counts() -> QuerySet[Article]:
    """All articles, text included, with their annotation counts by verdict and status."""
    counts = {f"n_{v}": _count("verdict", v) for v in Verdict.values}
    counts |= {f"n_{s}": _count("status", s) for s in Status.values}
    return Article.objects.annotate(**counts)


def annotations_for_api() -> QuerySet[Annotation]:
    """Live annotations with author and evidence, in id order (stable for cursor paging)."""
    return Annotation.objects.select_related("author").prefetch_related("evidence").order_by("id")


def annotation_history(*, annotation_id: int) -> QuerySet[ReviewEvent]:
    """Every event of one annotation, withdrawn ones included, oldest first."""
    return (
        ReviewEvent.objects.filter(annotation_id=annotation_id)
        .select_related("actor")
        .order_by("id")
    )


# Editorial review ----------------------------------------------------------------------

QUEUE_PAGE = 50


def review_queue(
    *, article_id: int | None = None, verdict: str = "", author_id: int | None = None
) -> QuerySet[Annotation]:
    """Pending annotations, oldest first, with author, article text and evidence. The
    article comes in one extra query (not a join) so its text is not repeated per row.
    Orphans wait on /orphans/ for re-attachment, not here."""
    qs = Annotation.objects.filter(status=Status.PENDING, orphaned=False)
    if article_id:
        qs = qs.filter(article_id=article_id)
    if verdict:
        qs = qs.filter(verdict=verdict)
    if author_id:
        qs = qs.filter(author_id=author_id)
    return (
        qs.select_related("author")
        .prefetch_related(
            Prefetch("article", queryset=Article.objects.only("id", "title", "text", "revision")),
            "evidence",
        )
        .order_by("created", "id")
    )


def review_queue_choices() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(articles, reviewers) that have something pending, for the queue's filters."""
    pending = Q(annotations__status=Status.PENDING, annotations__deleted=False)
    articles = list(
        Article.objects.filter(pending).values_list("id", "title").distinct().order_by("title")
    )
    reviewers = list(
        get_user_model()
        .objects.filter(pending)
        .values_list("id", "username")
        .distinct()
        .order_by("username")
    )
    return articles, reviewers


def annotation_with_article(*, annotation_id: int) -> Annotation:
    """One annotation, withdrawn ones included, with its article, author and evidence."""
    return (
        Annotation.all_objects.select_related("article", "author")
        .prefetch_related("evidence")
        .get(pk=annotation_id)
    )


def author_status_counts(*, user) -> dict[str, int]:
    """How many of the user's live annotations are in each status (zero included)."""
    counts = dict.fromkeys(Status.values, 0)
    rows = (
        Annotation.objects.filter(author=user)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    counts.update(dict(rows))
    return counts


def author_changes_requested(*, user) -> QuerySet[Annotation]:
    """The user's annotations an editor sent back, oldest first, with their article."""
    return (
        Annotation.objects.filter(author=user, status=Status.CHANGES_REQUESTED)
        .select_related("article")
        .defer("article__text")
        .order_by("updated", "id")
    )


# Exports ------------------------------------------------------------------------------------

# Rows a chunk: one evidence query each, one piece of the streamed body each. Small chunks
# are fast: what a chunk reads, maps and writes stays in the processor's cache (the export
# benchmark ran a third faster at 100 rows than at 2,000), and the first bytes leave at once.
EXPORT_CHUNK_SIZE = 100

# The columns an export row holds (see export_mapping.ROW_KEYS). Four are read raw on SQLite:
# it keeps datetimes and dates as text that would be parsed in Python row by row (the bulk of
# an export's time), and export_mapping.iso formats that text directly. PostgreSQL's driver
# hands over typed values in C, so there they are read as they are.
EXPORT_RAW_FIELDS = {
    "created_at": "created",
    "updated_at": "updated",
    "is_orphan": "orphaned",
}
EXPORT_FIELDS = tuple(key for key in ROW_KEYS if key not in EXPORT_RAW_FIELDS)
# Article columns, asked for only by the formats that show them (joining and reading them
# is a good part of the cost of a row).
EXPORT_ARTICLE_FIELDS = ("article__title", "article__url", "article__source")
EXPORT_ARTICLE_RAW_FIELDS = {"article_published": "article__published"}


def annotation_export_queryset(*, include_orphans: bool = False) -> QuerySet[Annotation]:
    """Live annotations for export in id order (stable, and streams straight off the
    primary key); orphans only on request."""
    qs = Annotation.objects.order_by("id")
    if not include_orphans:
        qs = qs.filter(orphaned=False)
    return qs


def _raw_values(qs: QuerySet[Annotation], article_fields: tuple[str, ...]) -> QuerySet:
    raw = dict(EXPORT_RAW_FIELDS)
    raw |= {k: v for k, v in EXPORT_ARTICLE_RAW_FIELDS.items() if k in article_fields}
    if connections[qs.db].vendor == "sqlite":
        # CAST drops the column's declared type, so neither sqlite3 nor Django parses it;
        # a TextField output has no converter. `orphaned` keeps sqlite3's cheap bool decoder.
        expressions = {
            alias: (
                ExpressionWrapper(F(field), output_field=TextField())
                if alias == "is_orphan"
                else Cast(field, TextField())
            )
            for alias, field in raw.items()
        }
    else:
        expressions = {alias: F(field) for alias, field in raw.items()}
    fields = [f for f in article_fields if f in EXPORT_ARTICLE_FIELDS]
    return qs.values(*EXPORT_FIELDS, *fields, **expressions)


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
    EXPORT_ARTICLE_FIELDS or "article_published"), the article; one evidence query a chunk."""
    size = chunk_size or EXPORT_CHUNK_SIZE
    values = _raw_values(qs, article_fields)
    rows = values.iterator(chunk_size=size)
    empty: list[dict] = []
    while chunk := list(islice(rows, size)):
        links = _evidence_by_annotation(chunk, values.db)
        yield [(row, links.get(row["id"], empty)) for row in chunk]


def orphan_list(*, article: Article | None = None) -> QuerySet[Annotation]:
    """Orphaned annotations (of one article, or all), oldest article first."""
    qs = Annotation.objects.filter(orphaned=True)
    if article is not None:
        qs = qs.filter(article=article)
    return (
        qs.select_related("author", "article")
        .defer("article__text")
        .prefetch_related("evidence")
        .order_by("article_id", "start", "id")
    )


@dataclass(frozen=True)
class DuplicateVerdict:
    """An annotation of a near duplicate whose quote is found verbatim in this text."""

    annotation: Annotation
    start: int
    end: int
    # The current user already carried this verdict over (as annotation `copy_id`).
    copy_id: int | None = None


@dataclass
class DuplicateSource:
    article: Article
    verdicts: list[DuplicateVerdict] = field(default_factory=list)
    # Annotations of that article whose words are not in this one.
    not_found: int = 0


def article_with_duplicates() -> QuerySet[Article]:
    """Articles with the one they duplicate, and whether any article duplicates them."""
    return Article.objects.select_related("near_duplicate_of").annotate(
        has_near_duplicates=Exists(Article.objects.filter(near_duplicate_of=OuterRef("pk")))
    )


def duplicate_verdicts(*, article: Article, user) -> list[DuplicateSource]:
    """For each near duplicate of `article` (either direction), its live, non-rejected,
    attached annotations placed in this article's text. Four queries at most, none for
    an article from article_with_duplicates() that has no duplicates."""
    if not article.near_duplicate_of_id and getattr(article, "has_near_duplicates", None) is False:
        return []
    others = list(
        Article.objects.filter(
            Q(pk=article.near_duplicate_of_id) | Q(near_duplicate_of_id=article.pk)
        )
        .exclude(pk=article.pk)
        .defer("text")
        .order_by("id")
    )
    if not others:
        return []
    sources = {other.pk: DuplicateSource(other) for other in others}
    annotations = list(
        Annotation.objects.filter(article_id__in=sources, orphaned=False)
        .exclude(status=Status.REJECTED)
        .select_related("author")
        .prefetch_related("evidence")
        .order_by("article_id", "start", "end", "id")
    )
    copies = dict(
        Annotation.objects.filter(
            article=article, author_id=getattr(user, "pk", None), copied_from__in=annotations
        ).values_list("copied_from_id", "id")
    )
    for annotation in annotations:
        source = sources[annotation.article_id]
        placement = anchoring.find_exact(
            article.text,
            anchoring.Anchor(
                annotation.start,
                annotation.end,
                annotation.quote,
                annotation.prefix,
                annotation.suffix,
            ),
        )
        if placement is None:
            source.not_found += 1
            continue
        source.verdicts.append(
            DuplicateVerdict(annotation, placement.start, placement.end, copies.get(annotation.pk))
        )
    return list(sources.values())
