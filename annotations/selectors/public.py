"""Reads for the public fact-check pages: published articles and their public verdicts
(policy.PUBLIC_ANNOTATIONS), and the text of an earlier revision of an article."""

from __future__ import annotations

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, QuerySet

from .. import policy
from ..models import Action, Annotation, Article, ArticleRevision, ReviewEvent


def public_annotations() -> QuerySet[Annotation]:
    return Annotation.objects.filter(policy.PUBLIC_ANNOTATIONS)


def published_articles() -> QuerySet[Article]:
    """Articles with at least one public verdict, newest first, with their count and the
    time of the latest change to one (for Last-Modified)."""
    public = public_annotations()
    of_article = policy.public_annotations_of("annotations")
    return (
        Article.objects.filter(Exists(public.filter(article=OuterRef("pk"))))
        .defer("text")
        .annotate(
            n_public=Count("annotations", filter=of_article),
            public_updated=Max("annotations__updated", filter=of_article),
        )
    )


def published_article(article_id: int) -> Article | None:
    """One published article with its public verdicts (author, evidence, and the editor
    who approved each) prefetched, or None."""
    approvals = ReviewEvent.objects.filter(action=Action.APPROVED).select_related("actor")
    verdicts = (
        public_annotations()
        .select_related("author")
        .prefetch_related("evidence", Prefetch("events", approvals, to_attr="approvals"))
        .order_by("start", "end", "id")
    )
    return (
        published_articles()
        .defer(None)
        .prefetch_related(Prefetch("annotations", verdicts, to_attr="public_verdicts"))
        .filter(pk=article_id)
        .first()
    )


def revision_text(article_id: int, number: int) -> str | None:
    """The text of revision `number` of an article (the current one included), or None."""
    current = Article.objects.filter(pk=article_id, revision=number).values_list("text", flat=True)
    text = current.first()
    if text is not None:
        return text
    earlier = ArticleRevision.objects.filter(article_id=article_id, number=number)
    return earlier.values_list("text", flat=True).first()
