"""Reads of articles: the list with its counts, one article with its duplicates."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from ..models import Article, Status, Verdict
from .search import in_rank_order, ranked_article_ids


def annotation_count(field: str, value: str) -> Count:
    return Count(
        "annotations", filter=Q(**{f"annotations__{field}": value, "annotations__deleted": False})
    )


def article_list(*, q: str = "") -> QuerySet[Article]:
    """Articles with their annotation counts by verdict and by status, in one query; with
    `q`, only those holding every word, best match first."""
    counts = {f"n_{v}": annotation_count("verdict", v) for v in Verdict.values}
    counts |= {f"n_{s}": annotation_count("status", s) for s in Status.values}
    qs = (
        Article.objects.select_related("near_duplicate_of")
        .defer("text", "near_duplicate_of__text")
        .annotate(**counts)
    )
    if q:
        qs = in_rank_order(qs, ranked_article_ids(q))
    return qs


def articles_with_counts() -> QuerySet[Article]:
    """All articles, text included, with their annotation counts by verdict and status."""
    counts = {f"n_{v}": annotation_count("verdict", v) for v in Verdict.values}
    counts |= {f"n_{s}": annotation_count("status", s) for s in Status.values}
    return Article.objects.annotate(**counts)


def article_with_duplicates() -> QuerySet[Article]:
    """Articles with the one they duplicate, and whether any article duplicates them."""
    return Article.objects.select_related("near_duplicate_of").annotate(
        has_near_duplicates=Exists(Article.objects.filter(near_duplicate_of=OuterRef("pk")))
    )
