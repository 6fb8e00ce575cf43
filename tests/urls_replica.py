"""Two article-title listings, one under the export prefix, for the replica routing test."""

from django.http import StreamingHttpResponse
from django.urls import path

from annotations.models import Article


def titles(request):
    # Streamed like the real exports: the query runs while the body is iterated.
    return StreamingHttpResponse(f"{t}\n" for t in Article.objects.values_list("title", flat=True))


urlpatterns = [
    path("api/v1/export/titles.txt", titles),
    path("titles.txt", titles),
]
