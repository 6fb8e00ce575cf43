"""The reviewer's desk at any size: the text in chunks painted from a compact span list, the
cards one page at a time, and write answers that carry only what changed."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from .. import policy, selectors
from ..lib import render as renderlib
from ..models import Annotation, Article, Status, Verdict
from ..policy import Act
from .export_menu import export_menu
from .forms import NewAnnotationForm
from .session import desk_login_required

DETAIL = "annotate/article_detail.html"
CHANGED = "annotate/article_changed.html"


def text_chunks(article: Article, spans: list[dict], wanted=None) -> list[dict]:
    """The text's chunks (all, or the `wanted` ones) with their segments as escaped HTML."""
    text = article.text
    objs = [renderlib.Span(s["id"], s["start"], s["end"], s["verdict"]) for s in spans]
    result = []
    for c in renderlib.chunks(text) if wanted is None else wanted:
        segs = renderlib.segments(text, objs, c.start, c.end)
        # segments_html escapes every piece of article text it writes.
        result.append({"chunk": c, "html": mark_safe(renderlib.segments_html(segs))})  # noqa: S308
    return result


def tally(rows: list[tuple[str, str, int]]) -> dict:
    """Counts by verdict and status from (verdict, status, n) rows."""
    verdicts = [(v, label, sum(n for vv, _, n in rows if vv == v)) for v, label in Verdict.choices]
    statuses = [(s, label, sum(n for _, ss, n in rows if ss == s)) for s, label in Status.choices]
    return {
        "total": sum(n for _, _, n in rows),
        "verdict_counts": verdicts,
        "status_counts": statuses,
    }


def mark_acts(user, annotations: list[Annotation]) -> list[Annotation]:
    """What the user may do with each card, asked of the rule book; an editor's fix."""
    selectors.with_editor_fixes(annotations)
    for a in annotations:
        a.can_edit = policy.allows(user, Act.EDIT, a)
        a.can_delete = policy.allows(user, Act.WITHDRAW, a)
        a.can_reattach = policy.allows(user, Act.REATTACH, a)
    return annotations


def card_filter(params) -> selectors.CardFilter:
    """The card filter from query parameters; unknown choices are dropped, not errors."""
    verdict = params.get("verdict", "")
    status = params.get("status", "")
    return selectors.CardFilter(
        verdict=verdict if verdict in Verdict.values else "",
        status=status if status in Status.values else "",
        author=params.get("author", "")[:150],
        q=params.get("q", "").strip()[:200],
    )


def parse_key(value: str) -> tuple[int, int, int] | None:
    """A card cursor `start.end.id`, or None when absent or malformed."""
    parts = value.split(".")
    if len(parts) != 3 or not all(p.isdigit() and len(p) < 12 for p in parts):
        return None
    start, end, pk = (int(p) for p in parts)
    return start, end, pk


def cards_context(request: HttpRequest, article: Article, *, enrich: bool = True) -> dict:
    """One page of cards for the list: after a cursor, or from one annotation on."""
    filters = card_filter(request.GET)
    after = parse_key(request.GET.get("after", ""))
    start_at = request.GET.get("from", "")
    if start_at.isdigit() and len(start_at) < 12:
        # From one annotation on (a highlight whose card was not loaded yet): no filter.
        a = Annotation.objects.filter(article=article, pk=int(start_at)).first()
        if a is not None:
            filters, after = selectors.CardFilter(), (a.start, a.end, a.pk - 1)
    cards, more = selectors.desk_cards(article=article, filters=filters, after=after)
    if enrich:
        mark_acts(request.user, selectors.with_links(cards))
    query = {k: v for k, v in vars(filters).items() if v}
    next_query = ""
    if more and cards:
        last = cards[-1]
        next_query = urlencode(query | {"after": f"{last.start}.{last.end}.{last.pk}"})
    return {
        "article": article,
        "cards": cards,
        "more_query": next_query,
        "filters": filters,
        "filter_query": urlencode(query),
        "from_start": after is not None,
        "export": export_menu(request.user, article=article, filters=filters),
    }


def desk_context(request: HttpRequest, article: Article) -> dict:
    """The whole desk: text chunks, the first page of cards, orphans, counts, filters."""
    spans = selectors.desk_spans(article=article)
    orphans = selectors.desk_orphans(article=article)
    rows = [(s["verdict"], s["status"], 1) for s in spans]
    rows += [(a.verdict, a.status, 1) for a in orphans]
    context = cards_context(request, article, enrich=False)
    # One query each for both lists: evidence, then the approvals that fixed something.
    mark_acts(request.user, selectors.with_links(context["cards"] + orphans))
    return (
        context
        | tally(rows)
        | {
            "chunks": text_chunks(article, spans),
            "text_length": len(article.text),
            "orphans": orphans,
            "authors": selectors.desk_authors(article=article),
            "verdict_choices": Verdict.choices,
            "status_choices": Status.choices,
            "can_annotate": policy.can_annotate(request.user),
        }
    )


def changed(
    request: HttpRequest,
    article: Article,
    *,
    ranges: list[tuple[int, int]],
    card: int | None = None,
    removed: int | None = None,
    new: bool = False,
    template: str = CHANGED,
    extra: dict | None = None,
) -> HttpResponse:
    """An htmx write's answer: a closed form, the text chunks the span touches, the card
    (new, edited or removed) and the counts, never the whole desk."""
    all_chunks = renderlib.chunks(article.text)
    wanted: dict[int, renderlib.Chunk] = {}
    for start, end in ranges:
        for c in renderlib.chunks_touching(all_chunks, start, end):
            wanted[c.start] = c
    touched = sorted(wanted.values(), key=lambda c: c.start)
    chunks = []
    if touched:
        spans = selectors.desk_spans(article=article, lo=touched[0].start, hi=touched[-1].end)
        chunks = text_chunks(article, spans, touched)
    cards = []
    if card is not None:
        cards = mark_acts(request.user, [selectors.desk_card(annotation_id=card)])
    rows = [(r["verdict"], r["status"], r["n"]) for r in selectors.desk_counts(article=article)]
    context = tally(rows) | {
        "article": article,
        "form": NewAnnotationForm(),
        "action": reverse("article-annotation-new", args=[article.pk]),
        "can_annotate": policy.can_annotate(request.user),
        "chunks": chunks,
        "cards": cards,
        "new_card": new,
        "removed": removed,
        "focus": card,
        "oob": True,
        **(extra or {}),
    }
    return render(request, template, context)


@desk_login_required
@require_GET
def article_cards(request: HttpRequest, article_id: int) -> HttpResponse:
    """A page of cards: the list (`card-list`) for a new filter, or the next page."""
    article = get_object_or_404(Article.objects.defer("text"), pk=article_id)
    if not request.htmx:
        url = reverse("article-detail", args=[article.pk])
        return redirect(f"{url}?{request.GET.urlencode()}#card-list")
    context = cards_context(request, article)
    if "after" in request.GET:
        return render(request, f"{DETAIL}#card-page", context)
    # A new filter: the list, and the Export menu with the same filter (out of band).
    return render(request, "annotate/card_list_changed.html", context)
