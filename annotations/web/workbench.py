"""What the annotate page's text and panel show, shared by every view that redraws them."""

from __future__ import annotations

from django.http import HttpRequest

from .. import policy, selectors
from ..lib import render as renderlib
from ..models import Article, Status, Verdict
from ..policy import Act


def workbench_context(request: HttpRequest, article: Article, *, focus: int | None = None) -> dict:
    """Context for the text and the panel: segments, cards in text order, counts."""
    annotations = selectors.article_workbench_annotations(article=article)
    placed, orphans = [], []
    user = request.user
    for a in annotations:
        (orphans if a.orphaned else placed).append(a)
        a.can_edit = policy.allows(user, Act.EDIT, a)
        a.can_delete = policy.allows(user, Act.WITHDRAW, a)
        a.can_reattach = policy.allows(user, Act.REATTACH, a)
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
        "can_annotate": policy.can_annotate(user),
    }
