"""The browser pages, by feature: articles, annotate, review, orphans and duplicates."""

from django.urls import path

from . import annotate, articles, claims, desk, orphans, public, review, session

urlpatterns = [
    path("", articles.article_list, name="article-list"),
    # Annotate
    path("articles/<int:article_id>/", annotate.article_detail, name="article-detail"),
    path(
        "articles/<int:article_id>/annotations/new/",
        annotate.article_annotation_new,
        name="article-annotation-new",
    ),
    path("session/", session.session_state, name="session-state"),
    path("articles/<int:article_id>/cards/", desk.article_cards, name="article-cards"),
    path("annotations/<int:annotation_id>/edit/", annotate.annotation_edit, name="annotation-edit"),
    path(
        "annotations/<int:annotation_id>/delete/",
        annotate.annotation_delete,
        name="annotation-delete",
    ),
    # Review
    path("review/", review.review_queue, name="review-queue"),
    path("review/<int:annotation_id>/decide/", review.review_decide, name="review-decide"),
    path(
        "annotations/<int:annotation_id>/history/",
        review.annotation_history,
        name="annotation-history",
    ),
    path(
        "annotations/<int:annotation_id>/reopen/",
        review.annotation_reopen,
        name="annotation-reopen",
    ),
    # Orphans and near duplicates
    path("orphans/", orphans.orphan_list, name="orphan-list"),
    path("orphans/<int:annotation_id>/reattach/", orphans.orphan_reattach, name="orphan-reattach"),
    path("orphans/<int:annotation_id>/withdraw/", orphans.orphan_withdraw, name="orphan-withdraw"),
    path(
        "articles/<int:article_id>/copy/<int:annotation_id>/",
        orphans.article_copy_verdict,
        name="article-copy-verdict",
    ),
    # The same claim elsewhere
    path(
        "annotations/<int:annotation_id>/similar/",
        claims.annotation_similar,
        name="annotation-similar",
    ),
    path("articles/<int:article_id>/similar/", claims.article_similar, name="article-similar"),
    path(
        "articles/<int:article_id>/same-claim/<int:annotation_id>/",
        claims.article_same_claim,
        name="article-same-claim",
    ),
    # Public fact-check pages (no login)
    path("factchecks/", public.factcheck_index, name="factcheck-index"),
    path("factchecks/<int:article_id>/", public.factcheck_article, name="factcheck-article"),
    path(
        "factchecks/<int:article_id>/verdicts/<int:annotation_id>/",
        public.factcheck_verdict,
        name="factcheck-verdict",
    ),
]
