from django.urls import path

from . import views

urlpatterns = [
    path("", views.article_list, name="article-list"),
    path("articles/<int:article_id>/", views.article_detail, name="article-detail"),
]
