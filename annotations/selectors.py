"""Reads that are more than a .get(): querysets with the joins and counts pages need."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet

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


# Editorial review ----------------------------------------------------------------------

QUEUE_PAGE = 50


def review_queue(
    *, article_id: int | None = None, verdict: str = "", author_id: int | None = None
) -> QuerySet[Annotation]:
    """Pending annotations, oldest first, with author, article text and evidence. The
    article comes in one extra query (not a join) so its text is not repeated per row."""
    qs = Annotation.objects.filter(status=Status.PENDING)
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
