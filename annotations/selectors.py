"""Reads that are more than a .get(): querysets with the joins and counts pages need."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

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
    """Live annotations of one article in text order, with author and evidence."""
    return (
        Annotation.objects.filter(article=article)
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
