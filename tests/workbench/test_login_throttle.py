"""Login attempts are throttled per address before any password is hashed, and a username
is locked across addresses after repeated failures (password spraying)."""

import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import hashers
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from annotations import services
from annotations.models import LoginCounter
from tests.factories import make_user


def attempt(username, password, ip, path=None):
    return Client().post(
        path or reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


@pytest.fixture
def hashing(monkeypatch):
    """Count password checks: each one is an Argon2 run in production."""
    calls = []
    real = hashers.check_password

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr("django.contrib.auth.base_user.check_password", counting)
    monkeypatch.setattr(hashers, "make_password", lambda *a, **k: calls.append(1) or "x")
    return calls


@pytest.mark.parametrize("path", ["/accounts/login/", "/admin/login/"])
def test_an_address_over_its_rate_gets_429_before_any_hashing(
    db, settings, hashing, reviewer, path
):
    settings.LOGIN_ATTEMPTS_PER_ADDRESS = 3
    # Different usernames each time: the axes lockout (per username and address) is not hit.
    for n in range(3):
        assert attempt(f"nobody{n}", "wrong", "203.0.113.9", path).status_code == 200
    checked = len(hashing)
    throttled = attempt("rita", "pw-rita", "203.0.113.9", path)
    assert throttled.status_code == 429
    assert throttled["Retry-After"] == "60"
    assert "Too many login attempts from your address" in throttled.content.decode()
    assert len(hashing) == checked  # refused before the hasher ran
    # Another address is not affected (the admin then refuses rita: she is not staff).
    assert attempt("rita", "pw-rita", "198.51.100.2", path).status_code in (200, 302)


def test_a_username_sprayed_from_many_addresses_is_locked_everywhere(db, settings, reviewer):
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 6
    for n in range(6):
        # One failure per address: neither the rate nor the per-address lockout is reached.
        assert attempt("rita", "wrong", f"198.51.100.{n + 10}").status_code == 200
    locked = attempt("rita", "pw-rita", "192.0.2.200")
    assert locked.status_code == 429
    assert "This username is locked" in locked.content.decode()
    # Other usernames still log in from anywhere.
    make_user("oscar")
    assert attempt("oscar", "pw-oscar", "192.0.2.201").status_code == 302
    out = io.StringIO()
    call_command("unlock_login", "rita", stdout=out)
    assert "rita: unlocked" in out.getvalue()
    assert attempt("rita", "pw-rita", "192.0.2.200").status_code == 302


def test_a_successful_login_clears_the_usernames_failures(db, settings, reviewer):
    settings.LOGIN_USERNAME_FAILURE_LIMIT = 3
    for n in range(2):
        attempt("rita", "wrong", f"198.51.100.{n + 30}")
    assert attempt("rita", "pw-rita", "198.51.100.40").status_code == 302
    for n in range(2):
        attempt("rita", "wrong", f"198.51.100.{n + 50}")
    assert attempt("rita", "pw-rita", "198.51.100.60").status_code == 302


def test_without_redis_the_counters_are_in_the_database(db, settings, reviewer):
    """Shared by every app process: a process's own cache is not where they live."""
    settings.LOGIN_ATTEMPTS_PER_ADDRESS = 3
    for n in range(3):
        attempt(f"nobody{n}", "wrong", "203.0.113.7")
    assert LoginCounter.objects.filter(count=3).exists()
    cache.clear()  # what another process would see: nothing of this one's memory
    assert attempt("rita", "pw-rita", "203.0.113.7").status_code == 429


@pytest.fixture
def redis_cache(settings):
    url = "redis://127.0.0.1:6379/15"
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    cache.clear()
    yield
    cache.clear()


def test_with_redis_the_counters_are_in_redis(db, settings, reviewer, redis_cache):
    settings.LOGIN_ATTEMPTS_PER_ADDRESS = 3
    for n in range(3):
        assert attempt(f"nobody{n}", "wrong", "203.0.113.8").status_code == 200
    assert attempt("rita", "pw-rita", "203.0.113.8").status_code == 429
    assert not LoginCounter.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
    reason="needs PostgreSQL: concurrent writers (SQLite serialises them)",
)
def test_concurrent_bumps_are_all_counted():
    def bump(_):
        try:
            return [services.login_counter_bump(key="k", timeout=60) for _ in range(5)]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        seen = [n for counts in pool.map(bump, range(8)) for n in counts]
    assert services.login_counter_value(key="k") == 40  # not one bump lost
    assert max(seen) == 40
