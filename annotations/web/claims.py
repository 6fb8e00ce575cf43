"""The same claim elsewhere, in the browser: the list on an annotation's card and in the
new-annotation form, the other passage in its article, and applying a verdict there."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from .. import policy, selectors, services
from ..lib.similarity import RELATED_THRESHOLD
from ..models import Annotation, Article
from ..policy import Act

LIST = "annotate/similar_claims.html"
PAGE = "claims/claim_page.html"
LIST_PAGE = "claims/similar_page.html"
SHOWN = 5
CONTEXT_CHARS = 400
SELECTION_MAX = 5_000


def _span(request: HttpRequest, text: str, data=None) -> tuple[int, int] | None:
    """start and end from the query (or form), if they make a span of `text`."""
    data = request.GET if data is None else data
    try:
        start, end = int(data.get("start", "")), int(data.get("end", ""))
    except ValueError:
        return None
    if not 0 <= start < end <= len(text) or end - start > SELECTION_MAX:
        return None
    if not text[start:end].strip():
        return None
    return start, end


def _passages(article: Article, start: int, end: int) -> list:
    return selectors.similar_passages(
        article=article, start=start, end=end, limit=SHOWN, min_score=RELATED_THRESHOLD
    )


@login_required
@require_GET
def annotation_similar(request: HttpRequest, annotation_id: int) -> HttpResponse:
    """The card's "Same claim elsewhere": a partial for htmx, a page without JavaScript."""
    annotation = get_object_or_404(Annotation.objects.select_related("article"), pk=annotation_id)
    passages = (
        []
        if annotation.orphaned
        else _passages(annotation.article, annotation.start, annotation.end)
    )
    context = {"source": annotation, "passages": passages, "article": annotation.article}
    if request.htmx:
        return render(request, LIST + "#similar-claims", context)
    return render(request, LIST_PAGE, context)


@login_required
@require_GET
def article_similar(request: HttpRequest, article_id: int) -> HttpResponse:
    """For the selection in the new-annotation form: verdicts given on the same claim."""
    article = get_object_or_404(Article.objects.only("id", "title", "text"), pk=article_id)
    span = _span(request, article.text)
    if span is None:
        return HttpResponse(
            "Give start and end of a passage of this article.",
            status=400,
            content_type="text/plain",
        )
    context = {
        "article": article,
        "passages": _passages(article, *span),
        "start": span[0],
        "end": span[1],
        "can_annotate": policy.can_annotate(request.user),
    }
    if request.htmx:
        return render(request, LIST + "#similar-selection", context)
    return render(request, LIST_PAGE, context | {"selection": article.text[span[0] : span[1]]})


def _claim_context(request, article: Article, original: Annotation, start: int, end: int):
    text = article.text
    return {
        "article": article,
        "original": original,
        "links": list(original.evidence.all()),
        "start": start,
        "end": end,
        "before": text[max(0, start - CONTEXT_CHARS) : start],
        "passage": text[start:end],
        "after": text[end : end + CONTEXT_CHARS],
        "more_before": start > CONTEXT_CHARS,
        "more_after": end + CONTEXT_CHARS < len(text),
        "can_copy": policy.allows(request.user, Act.COPY, original)
        and policy.can_annotate(request.user),
        "copy": Annotation.objects.filter(
            article=article, copied_from=original, author=request.user
        ).first(),
        "here": list(
            Annotation.objects.filter(
                article=article, orphaned=False, start__lt=end, end__gt=start
            ).order_by("start", "id")
        ),
    }


@login_required
@require_http_methods(["GET", "POST"])
def article_same_claim(request: HttpRequest, article_id: int, annotation_id: int) -> HttpResponse:
    """The other passage in its article, with the original verdict and one button to apply
    it here (GET); applying it (POST) makes a pending copy and goes to its card."""
    article = get_object_or_404(Article, pk=article_id)
    original = get_object_or_404(
        Annotation.objects.select_related("article", "author").prefetch_related("evidence"),
        pk=annotation_id,
    )
    data = request.POST if request.method == "POST" else request.GET
    span = _span(request, article.text, data)
    if span is None:
        return HttpResponse(
            "Give start and end of a passage of this article.",
            status=400,
            content_type="text/plain",
        )
    if request.method == "GET":
        return render(request, PAGE, _claim_context(request, article, original, *span))
    problem = ""
    try:
        copy = services.annotation_copy_claim(
            original_id=original.pk,
            article=article,
            author=request.user,
            start=span[0],
            end=span[1],
        )
    except services.Conflict as exc:
        problem = exc.message
    except ValidationError as exc:
        problem = " ".join(exc.messages)
    if problem:
        context = _claim_context(request, article, original, *span) | {"problem": problem}
        return render(request, PAGE, context, status=409)
    messages.success(request, "Verdict applied here; it is pending review.")
    url = reverse("article-detail", args=[article.pk]) + f"#card-{copy.pk}"
    if request.htmx:
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
