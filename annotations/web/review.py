"""Editorial review in the browser: the queue, decisions, history, reopening.

Function views; htmx requests get the `review-queue` partial. Every write goes through
services, which enforce the rules; the views only translate their answers into pages."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from .. import policy, selectors, services
from ..lib.excerpt import sentence_context
from ..models import Annotation, Status, Verdict
from ..policy import Act
from .history import describe_changes
from .review_forms import DecisionForm, QueueFilterForm, ReopenForm

QUEUE_TEMPLATE = "review/review_queue.html"
DECIDED = {
    "approve": "Approved",
    "reject": "Rejected",
    "request_changes": "Sent back for changes",
}


def editor_required(view):
    """Anonymous users go to the login page; signed-in non-editors get 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        policy.check_review(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def in_context(annotation: Annotation) -> tuple[str, str]:
    """The sentence around the quote; an orphan's offsets no longer fit the article text,
    so it shows the context saved with it."""
    article = annotation.article
    if annotation.orphaned or annotation.revision != article.revision:
        return annotation.prefix, annotation.suffix
    return sentence_context(article.text, annotation.start, annotation.end)


def _queue_filters(request: HttpRequest) -> tuple[dict, str]:
    filters = QueueFilterForm(request.GET).filters()
    query = urlencode({k: v for k, v in filters.items() if v})
    return filters, query


def _queue_context(request: HttpRequest, filters: dict, query: str, **extra) -> dict:
    queryset = selectors.review_queue(
        article_id=filters["article"], verdict=filters["verdict"], author_id=filters["reviewer"]
    )
    page = list(queryset[: selectors.QUEUE_PAGE])
    total = queryset.count()
    articles, reviewers = selectors.review_queue_choices()
    items = []
    for annotation in page:
        before, after = in_context(annotation)
        items.append(
            {
                "a": annotation,
                "before": before,
                "after": after,
                "own": policy.is_author(request.user, annotation),
            }
        )
    return {
        "items": items,
        "total": total,
        "filters": filters,
        "filter_query": query,
        "filtered": bool(query),
        "article_choices": articles,
        "reviewer_choices": reviewers,
        "verdicts": Verdict,
        **extra,
    }


def _render_queue(
    request: HttpRequest, filters: dict, query: str, *, status: int = 200, **extra
) -> HttpResponse:
    template = QUEUE_TEMPLATE + ("#review-queue" if request.htmx else "")
    context = _queue_context(request, filters, query, **extra)
    return render(request, template, context, status=status)


def _queue_url(query: str) -> str:
    return reverse("review-queue") + (f"?{query}" if query else "")


@require_GET
@editor_required
def review_queue(request: HttpRequest) -> HttpResponse:
    filters, query = _queue_filters(request)
    return _render_queue(request, filters, query)


@require_POST
@editor_required
def review_decide(request: HttpRequest, annotation_id: int) -> HttpResponse:
    filters, query = _queue_filters(request)
    annotation = Annotation.objects.filter(pk=annotation_id).only("id", "quote").first()
    if annotation is None:
        raise Http404("No such annotation.")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return HttpResponse(
            "Bad request: " + "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    kwargs = form.service_kwargs()
    try:
        decided = services.annotation_review(
            annotation_id=annotation.pk, editor=request.user, **kwargs
        )
    except services.Conflict as exc:
        if exc.status == Status.PENDING:
            # Still pending, so the queue shows it afresh: that is the "reload".
            text = (
                "It was changed since you opened it, so nothing was decided. "
                "Below is the current version; decide again."
            )
        else:
            text = f"{exc.message} Nothing changed."
        notice = {"level": "error", "text": text, "annotation": annotation}
        if request.htmx:
            return _render_queue(
                request, filters, query, status=409, notice=notice, focus_id=annotation.pk
            )
        messages.error(request, f"Nothing changed. {exc.message}")
        return redirect(_queue_url(query))
    except ValidationError as exc:
        # Keep what the editor typed, next to the item, so they can fix it and retry.
        item_error = {
            "id": annotation.pk,
            "messages": exc.messages,
            "comment": form.cleaned_data["comment"],
            "decision": form.cleaned_data["decision"],
            "verdict": form.cleaned_data["verdict"],
            "note": form.cleaned_data["note"],
            "evidence": form.evidence_rows(),
            "claim": form.cleaned_data["claim"],
        }
        return _render_queue(
            request, filters, query, status=422, item_error=item_error, focus_id=annotation.pk
        )
    text = DECIDED[kwargs["decision"]]
    if request.htmx:
        notice = {"level": "success", "text": text, "annotation": decided}
        return _render_queue(request, filters, query, notice=notice)
    messages.success(request, f"{text}: “{decided.quote[:80]}”.")
    return redirect(_queue_url(query))


@require_GET
@login_required
def annotation_history(request: HttpRequest, annotation_id: int) -> HttpResponse:
    try:
        annotation = selectors.annotation_with_article(annotation_id=annotation_id)
    except Annotation.DoesNotExist:
        raise Http404("No such annotation.") from None
    events = [
        {"event": event, "changes": describe_changes(event.changes)}
        for event in selectors.annotation_history(annotation_id=annotation.pk)
    ]
    before, after = in_context(annotation)
    editor = policy.is_editor(request.user)
    can_reopen = policy.allows(request.user, Act.REOPEN, annotation)
    return render(
        request,
        "review/history_page.html",
        {
            "a": annotation,
            "before": before,
            "after": after,
            "events": events,
            "can_reopen": can_reopen,
            "is_editor": editor,
        },
    )


@require_POST
@editor_required
def annotation_reopen(request: HttpRequest, annotation_id: int) -> HttpResponse:
    if not Annotation.objects.filter(pk=annotation_id).exists():
        raise Http404("No such annotation.")
    history_url = reverse("annotation-history", args=[annotation_id])
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Nothing changed: the form was incomplete. Reload and retry.")
        return redirect(history_url, permanent=False)
    try:
        services.annotation_reopen(
            annotation_id=annotation_id,
            editor=request.user,
            expected_version=form.cleaned_data["version"],
            comment=form.cleaned_data["comment"],
        )
    except services.Conflict as exc:
        messages.error(request, f"Nothing changed. {exc.message}")
    else:
        messages.success(request, "Reopened: the annotation is back in the review queue.")
    return redirect(history_url)
