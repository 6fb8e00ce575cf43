"""The desk's session checks: htmx requests from an expired session get a 401 the page can
act on (a login dialog, then the same save), never the login page swapped into the text."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def desk_login_required(view: Callable) -> Callable:
    """login_required, but an htmx request without a session answers 401 with where to log in."""
    page_view = login_required(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.htmx and not request.user.is_authenticated:
            response = HttpResponse(
                "Your session has ended. Log in again; your draft is kept.",
                status=401,
                content_type="text/plain; charset=utf-8",
            )
            response["WWW-Authenticate"] = 'Session realm="workbench"'
            response["X-Login-Url"] = reverse("login")
            return response
        return page_view(request, *args, **kwargs)

    return wrapped


@never_cache
@require_GET
def session_state(request: HttpRequest) -> JsonResponse:
    """Who is logged in and a CSRF token valid for this session (logging in rotates it)."""
    return JsonResponse(
        {
            "authenticated": request.user.is_authenticated,
            "username": request.user.get_username() if request.user.is_authenticated else "",
            "csrfToken": get_token(request),
            "loginUrl": reverse("login"),
        }
    )
