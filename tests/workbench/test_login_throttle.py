"""Login attempts are throttled per address before any password is hashed, and a username
is locked across addresses after repeated failures (password spraying)."""

import io

import pytest
from django.contrib.auth import hashers
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

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
