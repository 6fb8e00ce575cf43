"""Login lockout (django-axes) wiring: the backend and the client address it keys on."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import render


class LockoutBackend(AxesStandaloneBackend):
    """Refuse logins for a locked-out username and address; everything else passes through."""

    def authenticate(self, request: HttpRequest | None, username=None, password=None, **kwargs):
        # Without a request the call comes from server-side code (a shell, a command, the test
        # client's login()), not from a login attempt over HTTP: there is no address to lock.
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the one our own proxies put in X-Forwarded-For."""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        # Each trusted proxy appends the address it saw; anything further left is client-made.
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(request: HttpRequest, original_response=None, credentials=None):
    """The login page's answer while a username is locked out from this address (429)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)
