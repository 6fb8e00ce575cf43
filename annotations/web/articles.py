"""The article list: every article with its counts, a search box, and the user's own work."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import selectors
from ..models import Status, Verdict
from ..params import ArticleSearchForm
from .export_menu import export_menu


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    q = ArticleSearchForm(request.GET).query()
    articles = list(selectors.article_list(q=q))
    if q:
        snippets = selectors.article_snippets([a.pk for a in articles], q)
        for article in articles:
            article.snippet = snippets.get(article.pk)
    template = "articles/article_list.html"
    context = {"articles": articles, "q": q, "verdicts": Verdict, "statuses": Status}
    if request.htmx:
        template += "#article-table"
    else:
        context |= my_annotations_context(request.user)
        context["export"] = export_menu(request.user)
    return render(request, template, context)


def my_annotations_context(user) -> dict:
    """The user's own annotations by status, and the ones an editor sent back with their
    comment (templates/articles/review_mine.html)."""
    counts = selectors.author_status_counts(user=user)
    total = sum(counts.values())
    changes = (
        list(selectors.author_changes_requested(user=user)) if counts["changes_requested"] else []
    )
    return {"mine_counts": counts, "mine_total": total, "mine_changes": changes}
