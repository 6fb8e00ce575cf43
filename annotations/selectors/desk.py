"""Reads for the reviewer's desk: the compact span list the text is painted from, one page
of cards at a time (filtered, in text order), and the spans a save has touched."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from ..models import Action, Annotation, Article, EvidenceLink, ReviewEvent, Status

CARD_PAGE = 30
SPAN_FIELDS = ("id", "start", "end", "verdict", "status")


@dataclass(frozen=True)
class CardFilter:
    """What the card list is narrowed to; empty strings mean no narrowing."""

    verdict: str = ""
    status: str = ""
    author: str = ""
    q: str = ""

    @property
    def active(self) -> bool:
        return bool(self.verdict or self.status or self.author or self.q)


def desk_spans(*, article: Article, lo: int = 0, hi: int | None = None) -> list[dict]:
    """Placed live annotations touching [lo, hi) as small dicts, in text order: one query
    of five columns, so painting 2,000 spans costs no model instances."""
    qs = Annotation.objects.filter(article=article, orphaned=False)
    if lo > 0:
        qs = qs.filter(end__gt=lo)
    if hi is not None:
        qs = qs.filter(start__lt=hi)
    return list(qs.order_by("start", "end", "id").values(*SPAN_FIELDS))


def with_links(annotations: list[Annotation]) -> list[Annotation]:
    """Attach `links` (evidence, in id order) with one query (none for an empty list)."""
    links: dict[int, list[EvidenceLink]] = {a.pk: [] for a in annotations}
    for link in EvidenceLink.objects.filter(annotation_id__in=list(links)).order_by("id"):
        links[link.annotation_id].append(link)
    for a in annotations:
        a.links = links[a.pk]
    return annotations


def desk_cards(
    *,
    article: Article,
    filters: CardFilter = CardFilter(),  # noqa: B008 (frozen, so one shared default is safe)
    after: tuple[int, int, int] | None = None,
    limit: int = CARD_PAGE,
) -> tuple[list[Annotation], bool]:
    """One page of placed cards in text order after the (start, end, id) key `after`, and
    whether more follow, in one query; `with_links` adds their evidence."""
    qs = Annotation.objects.filter(article=article, orphaned=False).select_related("author")
    if filters.verdict:
        qs = qs.filter(verdict=filters.verdict)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.author:
        qs = qs.filter(author__username=filters.author)
    if filters.q:
        qs = qs.filter(Q(quote__icontains=filters.q) | Q(note__icontains=filters.q))
    if after is not None:
        start, end, pk = after
        qs = qs.filter(
            Q(start__gt=start) | Q(start=start, end__gt=end) | Q(start=start, end=end, id__gt=pk)
        )
    rows = list(qs.order_by("start", "end", "id")[: limit + 1])
    return rows[:limit], len(rows) > limit


def desk_orphans(*, article: Article) -> list[Annotation]:
    """The article's orphaned annotations (the text changed under them), with authors."""
    rows = Annotation.objects.filter(article=article, orphaned=True).select_related("author")
    return list(rows.order_by("start", "id"))


def desk_card(*, annotation_id: int) -> Annotation:
    """One live annotation as a card: author and evidence."""
    annotation = Annotation.objects.select_related("author").get(pk=annotation_id)
    return with_links([annotation])[0]


def desk_authors(*, article: Article) -> list[str]:
    """Usernames of everyone with a live annotation on the article, for the card filter."""
    rows = (
        Annotation.objects.filter(article=article)
        .order_by("author__username")
        .values_list("author__username", flat=True)
        .distinct()
    )
    return list(rows)


def desk_counts(*, article: Article) -> list[dict]:
    """Live annotations of the article by verdict and status: [{verdict, status, n}]."""
    rows = (
        Annotation.objects.filter(article=article)
        .order_by()
        .values("verdict", "status")
        .annotate(n=Count("id"))
    )
    return list(rows)


FIX_FIELDS = ("verdict", "note", "evidence")


def with_editor_fixes(annotations: list[Annotation]) -> list[Annotation]:
    """Mark approved cards whose approval changed the reviewer's work (`editor_fix`: who,
    and before/after of verdict, note, evidence), from one query of their approvals."""
    approved = {a.pk: a for a in annotations if a.status == Status.APPROVED}
    for a in annotations:
        a.editor_fix = None
    if not approved:
        return annotations
    events = (
        ReviewEvent.objects.filter(annotation_id__in=list(approved), action=Action.APPROVED)
        .select_related("actor")
        .order_by("annotation_id", "-id")
    )
    seen: set[int] = set()
    for event in events:
        if event.annotation_id in seen:
            continue  # only the approval that stands counts
        seen.add(event.annotation_id)
        fields = [
            {"name": name, **event.changes[name]}
            for name in FIX_FIELDS
            if isinstance(event.changes.get(name), dict)
        ]
        if fields:
            approved[event.annotation_id].editor_fix = {
                "by": event.actor.get_username(),
                "fields": fields,
            }
    return annotations
