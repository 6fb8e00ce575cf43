from django.urls import path

from . import views

urlpatterns = [
    path("", views.article_list, name="article-list"),
    path("articles/<int:article_id>/", views.article_detail, name="article-detail"),
    path(
        "articles/<int:article_id>/annotations/new/",
        views.article_annotation_new,
        name="article-annotation-new",
    ),
    path("annotations/<int:annotation_id>/edit/", views.annotation_edit, name="annotation-edit"),
    path(
        "annotations/<int:annotation_id>/delete/",
        views.annotation_delete,
        name="annotation-delete",
    ),
]
