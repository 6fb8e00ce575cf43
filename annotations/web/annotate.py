"""The annotate page: an article's text with its highlights and cards, and the form that
creates, edits or withdraws an annotation. Function views; htmx gets the named partial."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import policy, selectors, services
from ..models import Annotation, Article
from . import desk
from .forms import AnnotationForm, DeleteAnnotationForm, EditAnnotationForm, NewAnnotationForm
from .session import desk_login_required

DETAIL = "annotate/article_detail.html"
FORM_PAGE = "annotate/article_annotation_form.html"


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


def _saved(
    request: HttpRequest, annotation: Annotation, *, new: bool = False, removed: bool = False
) -> HttpResponse:
    """After a write: htmx gets a closed form and what changed (the touched text, the card,
    the counts); without JavaScript, back to the article at the card."""
    article = annotation.article
    if request.htmx:
        return desk.changed(
            request,
            article,
            ranges=[(annotation.start, annotation.end)],
            card=None if removed else annotation.pk,
            removed=annotation.pk if removed else None,
            new=new,
        )
    url = reverse("article-detail", args=[article.pk])
    return redirect(url if removed else f"{url}#card-{annotation.pk}")


def _edit_form(request: HttpRequest, annotation: Annotation) -> tuple[EditAnnotationForm, str]:
    """The edit form filled from the annotation, and why it cannot be saved, if it cannot."""
    form = EditAnnotationForm(
        initial={
            "verdict": annotation.verdict,
            "note": annotation.note,
            "claim": annotation.claim,
            "version": annotation.version,
        },
        evidence=[{"url": e.url, "title": e.title} for e in annotation.evidence.all()],
    )
    problem = ""
    try:
        policy.check(request.user, policy.Act.EDIT, annotation)
    except services.Conflict as exc:
        problem = exc.message
    return form, problem


@desk_login_required
@require_GET
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(selectors.article_with_duplicates(), pk=article_id)
    context = desk.desk_context(request, article)
    context["form"] = NewAnnotationForm()
    context["action"] = reverse("article-annotation-new", args=[article.pk])
    context["duplicates"] = selectors.duplicate_verdicts(article=article, user=request.user)
    editing = request.GET.get("edit", "")
    if editing.isdigit() and len(editing) < 12:
        # "Edit and resubmit" lands here with the form already open on that annotation.
        annotation = Annotation.objects.filter(pk=int(editing), article=article).first()
        if annotation is not None and policy.allows(request.user, policy.Act.EDIT, annotation):
            form, problem = _edit_form(request, annotation)
            context |= {
                "form": form,
                "annotation": annotation,
                "action": reverse("annotation-edit", args=[annotation.pk]),
                "form_open": True,
                "problem": problem,
                # The page's JavaScript needs a blank form for the next new annotation.
                "blank_form": NewAnnotationForm(),
                "new_action": context["action"],
            }
    return render(request, DETAIL, context)


@desk_login_required
@require_http_methods(["GET", "POST"])
def article_annotation_new(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=article_id)
    policy.check_annotate(request.user)
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
            return _saved(request, annotation, new=True)
    return _form_response(request, article, form, status=422)


def _own_annotation(request: HttpRequest, annotation_id: int, act: str) -> Annotation:
    """The annotation, if the user may `act` on it; its state is the service's to judge."""
    annotation = get_object_or_404(
        Annotation.objects.select_related("article").prefetch_related("evidence"),
        pk=annotation_id,
    )
    policy.check_who(request.user, act, annotation)
    return annotation


@desk_login_required
@require_http_methods(["GET", "POST"])
def annotation_edit(request: HttpRequest, annotation_id: int) -> HttpResponse:
    annotation = _own_annotation(request, annotation_id, policy.Act.EDIT)
    article = annotation.article
    if request.method == "GET":
        form, problem = _edit_form(request, annotation)
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
            return _saved(request, annotation)
    return _form_response(request, article, form, annotation, status=422)


@desk_login_required
@require_POST
def annotation_delete(request: HttpRequest, annotation_id: int) -> HttpResponse:
    annotation = _own_annotation(request, annotation_id, policy.Act.WITHDRAW)
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
    return _saved(request, annotation, removed=True)
