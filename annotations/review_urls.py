from django.urls import path

from . import review_views

urlpatterns = [
    path("review/", review_views.review_queue, name="review-queue"),
    path("review/<int:annotation_id>/decide/", review_views.review_decide, name="review-decide"),
    path(
        "annotations/<int:annotation_id>/history/",
        review_views.annotation_history,
        name="annotation-history",
    ),
    path(
        "annotations/<int:annotation_id>/reopen/",
        review_views.annotation_reopen,
        name="annotation-reopen",
    ),
]
