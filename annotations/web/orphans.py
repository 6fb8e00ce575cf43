"""Browser pages for text that changed under its annotations: the orphans list, re-attaching
an orphan to a new span, and carrying a near duplicate's verdict over in one click."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import policy, selectors, services
from ..lib import render as renderlib
from ..models import Annotation, Article, ArticleRevision
from ..policy import Act
from . import desk
from .forms import DeleteAnnotationForm, ReattachForm

ORPHANS = "orphans/orphans.html"
REATTACH = "orphans/orphans_reattach.html"
DUPLICATES = "orphans/duplicate_verdicts.html"
COPIED = "orphans/duplicate_copied.html"


def _orphans_context(request: HttpRequest) -> dict:
    article = None
    raw = request.GET.get("article", "")
    if raw.isdigit():
        article = get_object_or_404(Article.objects.defer("text"), pk=int(raw))
    orphans = list(selectors.orphan_list(article=article))
    for orphan in orphans:
        orphan.can_reattach = policy.allows(request.user, Act.REATTACH, orphan)
        orphan.can_delete = policy.allows(request.user, Act.WITHDRAW, orphan)
    return {"orphans": orphans, "article": article}


@login_required
@require_GET
def orphan_list(request: HttpRequest) -> HttpResponse:
    """Every annotation that lost its place when an article changed (?article= for one)."""
    template = ORPHANS + "#orphan-list" if request.htmx else ORPHANS
    return render(request, template, _orphans_context(request))


@login_required
@require_POST
def orphan_withdraw(request: HttpRequest, annotation_id: int) -> HttpResponse:
    annotation = get_object_or_404(Annotation.objects.filter(orphaned=True), pk=annotation_id)
    form = DeleteAnnotationForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Missing or bad version.", status=400, content_type="text/plain")
    problem = None
    try:
        services.annotation_delete(
            annotation_id=annotation.pk,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except services.Conflict as exc:
        problem = exc.message
    if not request.htmx:
        if problem:
            messages.error(request, problem)
        if request.POST.get("next") == "article":
            return redirect("article-detail", annotation.article_id)
        return redirect("orphan-list")
    context = _orphans_context(request)
    context["problem"] = problem
    return render(request, ORPHANS + "#orphan-list", context, status=409 if problem else 200)


def _reattach_page(request, annotation: Annotation, form: ReattachForm, *, status=200, **extra):
    article = annotation.article
    old_text = (
        ArticleRevision.objects.filter(article=article, number=annotation.revision)
        .values_list("text", flat=True)
        .first()
    )
    context = {
        "annotation": annotation,
        "article": article,
        "form": form,
        "segments": renderlib.segments(article.text, []),
        "text_length": len(article.text),
        # The orphan's words as they stood, with what surrounded them then.
        "was_before": old_text[max(0, annotation.start - 80) : annotation.start]
        if old_text
        else annotation.prefix,
        "was_after": old_text[annotation.end : annotation.end + 80]
        if old_text
        else annotation.suffix,
        **extra,
    }
    return render(request, REATTACH, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def orphan_reattach(request: HttpRequest, annotation_id: int) -> HttpResponse:
    """Select the orphan's new span in the current text (offsets typed in without JS)."""
    annotation = get_object_or_404(
        Annotation.objects.select_related("article", "author").prefetch_related("evidence"),
        pk=annotation_id,
    )
    policy.check_who(request.user, Act.REATTACH, annotation)
    if not annotation.orphaned:
        messages.info(request, "That annotation is already attached to the text.")
        return redirect(reverse("article-detail", args=[annotation.article_id]))
    if request.method == "GET":
        return _reattach_page(
            request, annotation, ReattachForm(initial={"version": annotation.version})
        )
    form = ReattachForm(request.POST)
    if not form.is_valid():
        return _reattach_page(request, annotation, form, status=422)
    data = form.cleaned_data
    try:
        services.annotation_reattach(
            annotation_id=annotation.pk,
            actor=request.user,
            expected_version=data["version"],
            start=data["start"],
            end=data["end"],
            quote=data["quote"],
        )
    except services.Conflict as exc:
        form.add_error(None, exc.message)
        return _reattach_page(request, annotation, form, status=409)
    except ValidationError as exc:
        for messages_ in (
            exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages]
        ):
            for message in messages_:
                form.add_error(None, message)
        return _reattach_page(request, annotation, form, status=422)
    messages.success(request, "Re-attached. It is pending review again.")
    url = reverse("article-detail", args=[annotation.article_id])
    return redirect(f"{url}#card-{annotation.pk}")


def duplicates_context(request: HttpRequest, article: Article) -> dict:
    """What the annotate page's near-duplicate section shows."""
    return {
        "article": article,
        "duplicates": selectors.duplicate_verdicts(article=article, user=request.user),
        "can_annotate": policy.can_annotate(request.user),
    }


@login_required
@require_POST
def article_copy_verdict(request: HttpRequest, article_id: int, annotation_id: int) -> HttpResponse:
    """ "Apply the same verdict here": one click makes a linked pending annotation."""
    article = get_object_or_404(Article, pk=article_id)
    get_object_or_404(Annotation, pk=annotation_id)
    problem = None
    try:
        copy = services.annotation_copy(
            original_id=annotation_id, article=article, author=request.user
        )
    except services.Conflict as exc:
        problem, copy = exc.message, None
    except ValidationError as exc:
        problem, copy = " ".join(exc.messages), None
    if not request.htmx:
        if problem:
            messages.error(request, problem)
            return redirect("article-detail", article.pk)
        url = reverse("article-detail", args=[article.pk])
        return redirect(f"{url}#card-{copy.pk}")
    if problem:
        context = duplicates_context(request, article) | {"problem": problem}
        return render(request, DUPLICATES + "#duplicate-verdicts", context, status=409)
    return desk.changed(
        request,
        article,
        ranges=[(copy.start, copy.end)],
        card=copy.pk,
        new=True,
        template=COPIED,
        extra=duplicates_context(request, article),
    )
