"""The public fact-check pages: published articles, each with its approved verdicts
highlighted and embedded as schema.org ClaimReview. No login, no JavaScript, cacheable
(ETag, Last-Modified, 304). Only what policy.PUBLIC_ANNOTATIONS admits ever shows; with
the public site off (policy.public_site_on) every page is a 404."""

from __future__ import annotations

import hashlib
from datetime import datetime

import orjson
from django.conf import settings
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import condition, require_safe

from .. import policy, selectors
from ..exports import mapping
from ..exports.query import export_chunks, export_context
from ..exports.streaming import FORMATS
from ..lib import render as renderlib
from ..models import Annotation, Article

# Caches may keep a copy but ask again each time (a 304 is cheap): a verdict taken off
# the page must not linger in a shared cache.
CACHE_CONTROL = "public, no-cache"
# JSON inside <script> must not be able to close the element or open a comment.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def ld_json_script(data: dict) -> SafeString:
    """A JSON-LD data block; its text is JSON with the characters HTML reads escaped."""
    text = orjson.dumps(data).decode().translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def _site_on() -> None:
    if not policy.public_site_on():
        raise Http404("The public fact-check pages are turned off.")


# Conditional requests: Last-Modified is the latest change to any annotation (public or
# not, withdrawn ones too), so a verdict leaving the page also moves it forward.


def _latest(article_id: int | None = None) -> datetime | None:
    qs = Annotation.all_objects.all()
    if article_id is not None:
        qs = qs.filter(article_id=article_id)
    return qs.aggregate(latest=Max("updated"))["latest"]


def _tag(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _index_etag(request: HttpRequest) -> str | None:
    if not policy.public_site_on():
        return None
    published = list(selectors.published_articles().values_list("pk", "n_public"))
    return _tag(published, _latest())


def _index_modified(request: HttpRequest) -> datetime | None:
    return _latest() if policy.public_site_on() else None


def _article_etag(request: HttpRequest, article_id: int, **kwargs) -> str | None:
    if not policy.public_site_on():
        return None
    article = Article.objects.filter(pk=article_id).values("content_hash", "revision").first()
    return _tag(article, _latest(article_id), kwargs, request.build_absolute_uri("/"))


def _article_modified(request: HttpRequest, article_id: int, **kwargs) -> datetime | None:
    return _latest(article_id) if policy.public_site_on() else None


def _page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    context["org_name"] = settings.WORKBENCH_ORG_NAME
    response = render(request, template, context)
    response["Cache-Control"] = CACHE_CONTROL
    return response


# Pages ---------------------------------------------------------------------------------


@require_safe
@condition(etag_func=_index_etag, last_modified_func=_index_modified)
def factcheck_index(request: HttpRequest) -> HttpResponse:
    _site_on()
    articles = selectors.published_articles()
    return _page(request, "public/index.html", {"articles": articles})


def _verdict_cards(article: Article) -> list[dict]:
    cards = []
    for a in article.public_verdicts:
        approval = a.approvals[-1] if a.approvals else None
        cards.append(
            {
                "id": a.pk,
                "anchor": mapping.verdict_anchor(a.pk),
                "verdict": a.verdict,
                "label": a.get_verdict_display(),
                "quote": a.quote,
                "claim": a.claim,
                "note": a.note,
                "evidence": list(a.evidence.all()),
                "author": a.author.username,
                "editor": approval.actor.username if approval else "",
                "approved": approval.created if approval else a.updated,
            }
        )
    return cards


def _claim_reviews(request: HttpRequest, article: Article, only: int | None = None) -> list:
    """The article's ClaimReview objects, built by the export's own mapping from the
    export's own rows, so the page and claimreview.json cannot disagree."""
    ctx = export_context(request.build_absolute_uri("/"))
    ids = [a.pk for a in article.public_verdicts if only in (None, a.pk)]
    qs = selectors.annotation_export_queryset().filter(policy.PUBLIC_ANNOTATIONS, pk__in=ids)
    scripts = []
    for chunk in export_chunks(FORMATS["claimreview"], qs):
        for row, links in chunk:
            review = mapping.to_claimreview(row, links, ctx)
            if review is not None:
                scripts.append(ld_json_script(review))
    return scripts


def _published_or_404(article_id: int) -> Article:
    _site_on()
    article = selectors.published_article(article_id)
    if article is None:
        raise Http404("No published fact-check here.")
    return article


@require_safe
@condition(etag_func=_article_etag, last_modified_func=_article_modified)
def factcheck_article(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _published_or_404(article_id)
    spans = [renderlib.Span(a.pk, a.start, a.end, a.verdict) for a in article.public_verdicts]
    context = {
        "article": article,
        "segments": renderlib.segments(article.text, spans),
        "cards": _verdict_cards(article),
        "claim_reviews": _claim_reviews(request, article),
    }
    return _page(request, "public/article.html", context)


@require_safe
@condition(etag_func=_article_etag, last_modified_func=_article_modified)
def factcheck_verdict(request: HttpRequest, article_id: int, annotation_id: int) -> HttpResponse:
    """One verdict on a page of its own: the quote, the verdict and its ClaimReview."""
    article = _published_or_404(article_id)
    cards = [c for c in _verdict_cards(article) if c["id"] == annotation_id]
    if not cards:
        raise Http404("No published verdict here.")
    context = {
        "article": article,
        "card": cards[0],
        "claim_reviews": _claim_reviews(request, article, only=annotation_id),
    }
    return _page(request, "public/verdict.html", context)
