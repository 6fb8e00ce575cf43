"""Reads that are more than a .get(): querysets with the joins and counts pages need."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from . import anchoring
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
