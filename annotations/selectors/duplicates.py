"""Verdicts of near-duplicate articles that can be carried over to this one."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from .. import policy
from ..lib import anchoring
from ..models import Annotation, Article
from ..policy import Act


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
        Annotation.objects.filter(
            article_id__in=sources, orphaned=False, status__in=policy.statuses_allowing(Act.COPY)
        )
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
