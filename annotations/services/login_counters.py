"""Writes to login-throttle counters kept in the database (models.LoginCounter): one
atomic UPDATE a bump, so concurrent requests in several processes never lose a count."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from ..models import LoginCounter


def _bump_row(key: str, now: dt.datetime, expires: dt.datetime) -> int:
    """Add one to a live row, or start an expired one again at 1; the rows updated."""
    live = When(expires__gt=now, then=F("count") + 1)
    return LoginCounter.objects.filter(pk=key).update(
        count=Case(live, default=Value(1)),
        expires=Case(When(expires__gt=now, then=F("expires")), default=Value(expires)),
    )


def login_counter_bump(*, key: str, timeout: int) -> int:
    """One more for `key` within its window of `timeout` seconds; the count now."""
    now = timezone.now()
    expires = now + dt.timedelta(seconds=timeout)
    if not _bump_row(key, now, expires):
        try:
            with transaction.atomic():
                LoginCounter.objects.create(key=key, count=1, expires=expires)
            # New keys are what the table grows by: drop the rows that have run out.
            LoginCounter.objects.filter(expires__lte=now).delete()
        except IntegrityError:  # another request created it first
            _bump_row(key, now, expires)
    return login_counter_value(key=key)


def login_counter_value(*, key: str) -> int:
    row = LoginCounter.objects.filter(pk=key, expires__gt=timezone.now()).values("count")
    return next(iter(row), {"count": 0})["count"]


def login_counter_clear(*, key: str) -> None:
    LoginCounter.objects.filter(pk=key).delete()
