"""Helpers shared by the API tests: clients holding a role's token, request bodies, URLs.
Its fixtures are registered for every test module in tests/conftest.py."""

import pytest
from rest_framework.test import APIClient

from annotations import services
from tests.factories import make_annotation

# Tests make many users; the production password hasher would dominate the run time.
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(user) -> APIClient:
    """An API client that sends a fresh token of this user (anonymous for None)."""
    client = APIClient()
    if user is not None:
        _, key = services.api_token_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def body_for(article, phrase: str, **extra) -> dict:
    """A valid create body for the first occurrence of phrase in the article."""
    start = article.text.index(phrase)
    return {
        "article": article.pk,
        "start": start,
        "end": start + len(phrase),
        "quote": phrase,
        "verdict": "verified",
        **extra,
    }


def detail_url(annotation) -> str:
    return f"/api/v1/annotations/{annotation.pk}/"


def review_url(annotation) -> str:
    return f"/api/v1/annotations/{annotation.pk}/review/"


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def as_reviewer(reviewer):
    return client_for(reviewer)


@pytest.fixture
def as_other(other_reviewer):
    return client_for(other_reviewer)


@pytest.fixture
def as_editor(editor):
    return client_for(editor)


@pytest.fixture
def disputed(article, reviewer):
    return make_annotation(article, reviewer, "42 million euros", verdict="disputed", note="n")
