"""Login throttling, before any password is hashed (each Argon2 check costs ~100 MiB):

- per address: at most LOGIN_ATTEMPTS_PER_ADDRESS login posts per LOGIN_ATTEMPT_WINDOW
  seconds, whatever the username (a flood, or one address trying many names);
- per username, across addresses: LOGIN_USERNAME_FAILURE_LIMIT failed logins within the
  lockout cool-off lock the username everywhere (password spraying from many addresses).

Counters are shared by every app process: in Redis with REDIS_URL (an atomic INCR), in
the database otherwise (annotations.models.LoginCounter, an atomic UPDATE). django-axes
still locks a username from one address after fewer failures.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render

from annotations import services

from .auth import client_ip

LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def _key(kind: str, value: str) -> str:
    # Hashed: a username may hold characters a cache backend does not accept in a key.
    return f"login-throttle:{kind}:" + hashlib.sha256(value.encode()).hexdigest()[:32]


def _username_key(username: str) -> str:
    return _key("user", username.strip().casefold())


def _in_redis() -> bool:
    return bool(settings.REDIS_URL)


def _bump(key: str, timeout: int) -> int:
    if not _in_redis():
        return services.login_counter_bump(key=key, timeout=timeout)
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout)
        return 1


def _value(key: str) -> int:
    return cache.get(key, 0) if _in_redis() else services.login_counter_value(key=key)


def _clear(key: str) -> None:
    if _in_redis():
        cache.delete(key)
    else:
        services.login_counter_clear(key=key)


def _cooloff_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def _throttled(request: HttpRequest, *, reason: str, retry_after: int) -> HttpResponse:
    context = {"reason": reason, "minutes": max(1, retry_after // 60)}
    response = render(request, "registration/throttled.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class LoginThrottleMiddleware:
    """Answer 429 to a login post over the address's rate, or for a username locked across
    addresses, before the form (and the password hasher) runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method != "POST" or request.path not in LOGIN_PATHS:
            return self.get_response(request)
        window = settings.LOGIN_ATTEMPT_WINDOW
        attempts = _bump(_key("ip", client_ip(request)), window)
        if attempts > settings.LOGIN_ATTEMPTS_PER_ADDRESS:
            return _throttled(request, reason="address", retry_after=window)
        username = request.POST.get("username", "")
        failures = _value(_username_key(username)) if username else 0
        if failures >= settings.LOGIN_USERNAME_FAILURE_LIMIT:
            return _throttled(request, reason="username", retry_after=_cooloff_seconds())
        return self.get_response(request)


@receiver(user_login_failed, dispatch_uid="workbench-login-throttle-failed")
def count_failure(sender, credentials: dict, request=None, **kwargs) -> None:
    if request is None:  # server-side code, not a login attempt over HTTP
        return
    username = str(credentials.get("username") or "")
    if username:
        _bump(_username_key(username), _cooloff_seconds())


@receiver(user_logged_in, dispatch_uid="workbench-login-throttle-success")
def clear_failures(sender, request, user, **kwargs) -> None:
    if request is not None:
        _clear(_username_key(user.get_username()))


def reset_username(username: str) -> None:
    """Lift the across-addresses lockout of one username at once."""
    _clear(_username_key(username))
