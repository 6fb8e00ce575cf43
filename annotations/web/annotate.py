"""Browser pages. Function views; htmx requests get the named partial."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import render as renderlib
from . import review_views, selectors, services
from .forms import AnnotationForm, DeleteAnnotationForm, EditAnnotationForm, NewAnnotationForm
from .models import Annotation, Article, Status, Verdict
from .roles import can_annotate, is_editor

DETAIL = "annotations/article_detail.html"
FORM_PAGE = "annotations/article_annotation_form.html"
SAVED = "annotations/article_saved.html"
EDITABLE = (Status.PENDING, Status.CHANGES_REQUESTED)


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    articles = selectors.article_list(q=q)
    template = "annotations/article_list.html"
    context = {"articles": articles, "q": q, "verdicts": Verdict, "statuses": Status}
    if request.htmx:
        template += "#article-table"
    else:
        context |= review_views.my_annotations_context(request.user)
    return render(request, template, context)


def _workbench(request: HttpRequest, article: Article, *, focus: int | None = None) -> dict:
    """Context for the text and the panel: segments, cards in text order, counts."""
    annotations = selectors.article_workbench_annotations(article=article)
    placed, orphans = [], []
    editor = is_editor(request.user)
    for a in annotations:
        is_placed = not a.orphaned and a.revision == article.revision
        (placed if is_placed else orphans).append(a)
        mine = a.author_id == request.user.pk
        a.can_edit = mine and a.status in EDITABLE and is_placed
        a.can_delete = mine and a.status != Status.APPROVED
        a.can_reattach = not is_placed and can_annotate(request.user) and (mine or editor)
    spans = [renderlib.Span(a.pk, a.start, a.end, a.verdict) for a in placed]
    verdict_counts = [
        (v, label, sum(a.verdict == v for a in annotations)) for v, label in Verdict.choices
    ]
    status_counts = [
        (s, label, sum(a.status == s for a in annotations)) for s, label in Status.choices
    ]
    return {
        "article": article,
        "segments": renderlib.segments(article.text, spans),
        "text_length": len(article.text),
        "annotations": placed,
        "orphans": orphans,
        "total": len(annotations),
        "verdict_counts": verdict_counts,
        "status_counts": status_counts,
        "focus": focus,
        "can_annotate": can_annotate(request.user),
    }


def _form_context(article: Article, form: AnnotationForm, annotation=None, **extra) -> dict:
    if annotation is None:
        action = reverse("article-annotation-new", args=[article.pk])
    else:
        action = reverse("annotation-edit", args=[annotation.pk])
    return {
        "article": article,
        "form": form,
        "annotation": annotation,
        "action": action,
        "form_open": True,
        **extra,
    }


def _form_response(request, article, form, annotation=None, *, status=200, **extra):
    """The form alone for htmx, or a page holding it (also the no-JS way to annotate)."""
    context = _form_context(article, form, annotation, **extra)
    template = f"{DETAIL}#annotation-form" if request.htmx else FORM_PAGE
    return render(request, template, context, status=status)


def _saved(request: HttpRequest, article: Article, *, focus: int | None = None) -> HttpResponse:
    """After a write: htmx gets a fresh closed form plus the text and panel out of band;
    without JavaScript, back to the article."""
    if request.htmx:
        context = _workbench(request, article, focus=focus)
        context["form"] = NewAnnotationForm()
        context["action"] = reverse("article-annotation-new", args=[article.pk])
        return render(request, SAVED, context)
    url = reverse("article-detail", args=[article.pk])
    return redirect(f"{url}#card-{focus}" if focus else url)


@login_required
@require_GET
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(selectors.article_with_duplicates(), pk=article_id)
    context = _workbench(request, article)
    context["form"] = NewAnnotationForm()
    context["action"] = reverse("article-annotation-new", args=[article.pk])
    context["duplicates"] = selectors.duplicate_verdicts(article=article, user=request.user)
    return render(request, DETAIL, context)


@login_required
@require_http_methods(["GET", "POST"])
def article_annotation_new(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=article_id)
    if not can_annotate(request.user):
        raise PermissionDenied("Only reviewers can annotate.")
    if request.method == "GET":
        initial = {k: request.GET[k] for k in ("start", "end", "verdict") if k in request.GET}
        return _form_response(request, article, NewAnnotationForm(initial=initial))
    form = NewAnnotationForm(request.POST)
    if form.is_valid():
        try:
            annotation = services.annotation_create(
                article=article, author=request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            return _saved(request, article, focus=annotation.pk)
    return _form_response(request, article, form, status=422)


def _own_annotation(request: HttpRequest, annotation_id: int) -> Annotation:
    annotation = get_object_or_404(
        Annotation.objects.select_related("article").prefetch_related("evidence"),
        pk=annotation_id,
    )
    if annotation.author_id != request.user.pk:
        raise PermissionDenied("Only the author can change an annotation.")
    return annotation


@login_required
@require_http_methods(["GET", "POST"])
def annotation_edit(request: HttpRequest, annotation_id: int) -> HttpResponse:
    annotation = _own_annotation(request, annotation_id)
    article = annotation.article
    if request.method == "GET":
        form = EditAnnotationForm(
            initial={
                "verdict": annotation.verdict,
                "note": annotation.note,
                "version": annotation.version,
            },
            evidence=[{"url": e.url, "title": e.title} for e in annotation.evidence.all()],
        )
        problem = ""
        if annotation.status not in EDITABLE:
            status = annotation.get_status_display().lower()
            problem = f"This annotation is {status}; it can no longer be edited."
        return _form_response(request, article, form, annotation, problem=problem)
    form = EditAnnotationForm(request.POST)
    if form.is_valid():
        try:
            services.annotation_update(
                annotation_id=annotation.pk,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                **form.service_kwargs(),
            )
        except services.Conflict as exc:
            form.add_error(None, exc.message)
            return _form_response(request, article, form, annotation, status=409, stale=True)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            return _saved(request, article, focus=annotation.pk)
    return _form_response(request, article, form, annotation, status=422)


@login_required
@require_POST
def annotation_delete(request: HttpRequest, annotation_id: int) -> HttpResponse:
    annotation = _own_annotation(request, annotation_id)
    article = annotation.article
    form = DeleteAnnotationForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Missing or bad version.", status=400, content_type="text/plain")
    try:
        services.annotation_delete(
            annotation_id=annotation.pk,
            actor=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except services.Conflict as exc:
        if not request.htmx:
            messages.error(request, exc.message)
            return redirect("article-detail", article.pk)
        return _form_response(
            request,
            article,
            EditAnnotationForm(),
            annotation,
            status=409,
            stale=True,
            problem=exc.message,
        )
    return _saved(request, article)
