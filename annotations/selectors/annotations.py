"""Reads of annotations: an article's workbench, the API's list, history, a user's own."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from ..models import Annotation, Article, EvidenceLink, ReviewEvent, Status
from .exports import filter_status


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


def annotations_for_api() -> QuerySet[Annotation]:
    """Live annotations with author and evidence, in id order (stable for cursor paging)."""
    return Annotation.objects.select_related("author").prefetch_related("evidence").order_by("id")


def with_visible_status(
    qs: QuerySet[Annotation], *, statuses: frozenset[str]
) -> QuerySet[Annotation]:
    """Only annotations in `statuses` (from policy.visible_statuses)."""
    if statuses >= frozenset(Status.values):
        return qs
    if not statuses:
        return qs.none()
    if len(statuses) == 1:
        (status,) = statuses
        return filter_status(qs, status)
    return qs.filter(status__in=sorted(statuses))


def annotation_history(*, annotation_id: int) -> QuerySet[ReviewEvent]:
    """Every event of one annotation, withdrawn ones included, oldest first."""
    return (
        ReviewEvent.objects.filter(annotation_id=annotation_id)
        .select_related("actor")
        .order_by("id")
    )


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
