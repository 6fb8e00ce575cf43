"""Structured request log: one JSON line per request with user, method, path, status, time."""

import json
import logging

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.functional import SimpleLazyObject

from workbench.middleware import RequestLogMiddleware


@pytest.fixture
def log_lines():
    lines: list[dict] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(record.getMessage()))

    handler = Collect()
    logger = logging.getLogger("workbench.request")
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


@pytest.mark.django_db
def test_one_line_per_request_with_user_and_status(client, reviewer, log_lines):
    client.get("/")
    client.force_login(reviewer)
    client.get("/", {"q": "secret search"})
    anonymous, logged_in = log_lines
    assert anonymous["user"] is None and anonymous["status"] == 302
    assert logged_in["user"] == reviewer.pk
    assert logged_in["method"] == "GET"
    assert logged_in["path"] == "/"  # no query string: it can carry what users typed
    assert logged_in["status"] == 200
    assert isinstance(logged_in["ms"], float) and logged_in["ms"] >= 0


def test_logging_never_loads_the_user(log_lines):
    def load_user():
        raise AssertionError("the log line must not trigger a user lookup")

    request = RequestFactory().post("/x/")
    request.user = SimpleLazyObject(load_user)
    response = RequestLogMiddleware(lambda r: HttpResponse(status=201))(request)
    assert response.status_code == 201
    assert log_lines == [
        {"user": None, "method": "POST", "path": "/x/", "status": 201, "ms": log_lines[0]["ms"]}
    ]
