from django.urls import path

from . import anchoring_views as views

urlpatterns = [
    path("orphans/", views.orphan_list, name="orphan-list"),
    path("orphans/<int:annotation_id>/reattach/", views.orphan_reattach, name="orphan-reattach"),
    path("orphans/<int:annotation_id>/withdraw/", views.orphan_withdraw, name="orphan-withdraw"),
    path(
        "articles/<int:article_id>/copy/<int:annotation_id>/",
        views.article_copy_verdict,
        name="article-copy-verdict",
    ),
]
