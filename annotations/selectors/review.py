"""Reads for editorial review: the queue of pending verdicts and its filter choices."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet

from .. import policy
from ..models import Annotation, Article, Status
from ..policy import Act

QUEUE_PAGE = 50


def review_queue(
    *, article_id: int | None = None, verdict: str = "", author_id: int | None = None
) -> QuerySet[Annotation]:
    """Pending annotations, oldest first, with author, article text and evidence. The
    article comes in one extra query (not a join) so its text is not repeated per row.
    Orphans wait on /orphans/ for re-attachment, not here."""
    qs = Annotation.objects.filter(status__in=policy.statuses_allowing(Act.APPROVE), orphaned=False)
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
