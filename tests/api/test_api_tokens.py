"""API tokens: created by a command, stored hashed, revocable, checked on every request."""

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from annotations import services
from annotations.models import ApiToken

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def run(*args) -> str:
    out = StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def get_with(key: str, path: str = "/api/v1/articles/"):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(path)


def test_command_prints_a_key_that_works_and_stores_only_its_hash(reviewer):
    key = run("rita", "--name", "cms")
    token = ApiToken.objects.get(user=reviewer)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:8] and token.name == "cms"
    assert key not in {token.key_hash, token.name}
    assert get_with(key).status_code == 200


def test_each_call_makes_a_new_key(reviewer):
    assert run("rita") != run("rita")
    assert ApiToken.objects.filter(user=reviewer).count() == 2


def test_revoke_by_prefix_turns_the_key_away(reviewer):
    key = run("rita")
    other = run("rita")
    assert "Revoked 1" in run("--revoke", key[:8])
    response = get_with(key)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid or revoked token."}
    assert get_with(other).status_code == 200


def test_revoke_only_among_the_named_users_tokens(reviewer, editor):
    key = run("rita")
    with pytest.raises(CommandError):
        run("edna", "--revoke", key[:8])
    assert get_with(key).status_code == 200


@pytest.mark.parametrize("prefix", ["nothere1", "short", ""])
def test_revoking_an_unknown_or_malformed_prefix_fails(reviewer, prefix):
    run("rita")
    with pytest.raises(CommandError):
        run("--revoke", prefix) if prefix else run()


def test_unknown_user_fails(db):
    with pytest.raises(CommandError, match="No user named"):
        run("ghost")


def test_list_shows_prefixes_never_keys(reviewer):
    key = run("rita", "--name", "cms")
    listing = run("rita", "--list")
    assert key[:8] in listing and key not in listing and "live" in listing


def test_inactive_users_get_no_token_and_their_tokens_stop_working(reviewer):
    _, key = services.api_token_create(user=reviewer)
    reviewer.is_active = False
    reviewer.save()
    assert get_with(key).status_code == 401
    with pytest.raises(CommandError, match="inactive"):
        run("rita")


@pytest.mark.parametrize(
    "header",
    [
        "Token",
        "Token a b",
        "Token not-a-real-key",
        "Token \x00",
        "Bearer abc",
        "Token " + "x" * 5000,
    ],
)
def test_bad_authorization_headers_are_401_json(reviewer, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/articles/")
    assert response.status_code == 401
    assert "detail" in response.json()


def test_last_used_is_recorded_at_most_every_few_minutes(reviewer):
    token, key = services.api_token_create(user=reviewer)
    assert token.last_used is None
    get_with(key)
    first = ApiToken.objects.get(pk=token.pk).last_used
    assert first is not None
    get_with(key)
    assert ApiToken.objects.get(pk=token.pk).last_used == first
    ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now() - dt.timedelta(hours=1))
    get_with(key)
    assert ApiToken.objects.get(pk=token.pk).last_used > first
