"""Error pages: our own templates for browsers, JSON under /api/, never a trace or a setting."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.urls_errors import SECRET_MARKER

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.urls_errors")]

LEAKS = [SECRET_MARKER, "Traceback", "SECRET_KEY", "DATABASES", "RuntimeError", "site-packages"]


def assert_no_leak(body: str):
    assert settings.DEBUG is False
    for leak in LEAKS + [settings.SECRET_KEY]:
        assert leak not in body


@pytest.fixture
def quiet_client(reviewer):
    client = Client(raise_request_exception=False)
    client.force_login(reviewer)
    return client


def test_server_error_shows_our_page_without_details(quiet_client):
    response = quiet_client.get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in body
    assert_no_leak(body)


def test_server_error_under_api_is_json(quiet_client):
    response = quiet_client.get("/api/boom/")
    assert response.status_code == 500
    assert response.json() == {"detail": "Server error."}
    assert_no_leak(response.content.decode())


def test_not_found_shows_our_page(quiet_client):
    response = quiet_client.get("/articles/999999/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in body and "Back to the articles" in body
    assert "No Article matches" not in body
    assert_no_leak(body)


def test_not_found_under_api_is_json(quiet_client):
    response = quiet_client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_forbidden_shows_our_page(quiet_client):
    response = quiet_client.get("/forbidden/")
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
    assert_no_leak(response.content.decode())
    api = quiet_client.get("/api/forbidden/")
    assert api.status_code == 403 and "detail" in api.json()


def test_csrf_failure_explains_itself(reviewer):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "rita", "password": "pw-rita"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "This form has expired" in body
    assert_no_leak(body)


def test_bad_host_is_a_plain_bad_request(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()
