"""Browser pages. Function views; htmx requests get the named partial."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from . import review_views, selectors
from .models import Article, Status, Verdict


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


@login_required
def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("near_duplicate_of"), pk=article_id)
    annotations = selectors.article_annotations(article=article)
    return render(
        request,
        "annotations/article_detail.html",
        {"article": article, "annotations": annotations},
    )
