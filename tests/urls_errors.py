"""The site's URLs plus views that fail on purpose, for the error page tests."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from workbench.urls import handler400, handler403, handler404, handler500, urlpatterns

SECRET_MARKER = "marker-that-must-not-leak"


def boom(request):
    raise RuntimeError(SECRET_MARKER)


def forbidden(request):
    raise PermissionDenied(SECRET_MARKER)


urlpatterns = [
    path("boom/", boom),
    path("api/boom/", boom),
    path("forbidden/", forbidden),
    path("api/forbidden/", forbidden),
    *urlpatterns,
]

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
