"""/api/v1/ routes. Exports live under /api/v1/export/ (see workbench/urls.py)."""

from django.urls import path

from . import similar, views, w3c

urlpatterns = [
    path("articles/", views.ArticleList.as_view(), name="api-article-list"),
    path("articles/<int:article_id>/", views.ArticleDetail.as_view(), name="api-article-detail"),
    path(
        "articles/<int:article_id>/revisions/<int:number>/",
        w3c.RevisionText.as_view(),
        name="api-article-revision",
    ),
    path("annotations/", views.AnnotationListCreate.as_view(), name="api-annotation-list"),
    path(
        "annotations/<int:annotation_id>/",
        views.AnnotationDetail.as_view(),
        name="api-annotation-detail",
    ),
    path(
        "annotations/<int:annotation_id>/review/",
        views.AnnotationReview.as_view(),
        name="api-annotation-review",
    ),
    path(
        "articles/<int:article_id>/similar/",
        similar.ArticleSimilar.as_view(),
        name="api-article-similar",
    ),
    path(
        "annotations/<int:annotation_id>/similar/",
        similar.AnnotationSimilar.as_view(),
        name="api-annotation-similar",
    ),
    path(
        "annotations/<int:annotation_id>/history/",
        views.AnnotationHistory.as_view(),
        name="api-annotation-history",
    ),
]
