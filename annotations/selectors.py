"""Reads that are more than a .get(): querysets with the joins and counts pages need."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from django.db import connection
from django.db.models import Count, Q, QuerySet

from .models import Annotation, Article, EvidenceLink, Status, Verdict


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
    """Live annotations of one article in text order, with author and evidence."""
    return (
        Annotation.objects.filter(article=article)
        .select_related("author")
        .prefetch_related("evidence")
        .order_by("start", "end", "id")
    )


# Exports ------------------------------------------------------------------------------------

EXPORT_CHUNK_SIZE = 2000


def annotation_export_queryset(*, include_orphans: bool = False) -> QuerySet[Annotation]:
    """Live annotations for export in id order (stable, and streams straight off the
    primary key); orphans only on request."""
    qs = Annotation.objects.order_by("id")
    if not include_orphans:
        qs = qs.filter(orphaned=False)
    return qs


def _evidence_by_annotation(ids: list[int]) -> dict[int, list[dict]]:
    links: dict[int, list[dict]] = {}
    rows = (
        EvidenceLink.objects.filter(annotation_id__in=ids)
        .order_by("annotation_id", "id")
        .values_list("annotation_id", "url", "title")
    )
    for annotation_id, url, title in rows:
        links.setdefault(annotation_id, []).append({"url": url, "title": title})
    return links


def annotation_export_chunks(
    qs: QuerySet[Annotation], *, fields: tuple[str, ...], chunk_size: int | None = None
) -> Iterator[list[tuple[dict, list[dict]]]]:
    """Stream `qs` as chunks of (row dict, evidence list): one server-side cursor for the
    rows (joined with article and author through `fields`), one evidence query per chunk."""
    # The evidence query binds one parameter per id; old SQLite builds allow only 999.
    size = min(chunk_size or EXPORT_CHUNK_SIZE, connection.features.max_query_params or 999)
    rows = qs.values(*fields).iterator(chunk_size=size)
    while chunk := list(islice(rows, size)):
        links = _evidence_by_annotation([row["id"] for row in chunk])
        yield [(row, links.get(row["id"], [])) for row in chunk]
