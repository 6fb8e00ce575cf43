"""The API against its own OpenAPI schema: a bounded schemathesis run as each role.

Every generated request (valid and invalid) must get an answer that is not a 5xx and that
matches the schema: a documented status code, content type, headers and body."""

import csv
import io
import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from annotations import services
from tests.factories import make_annotation, make_article, make_user

pytestmark = pytest.mark.usefixtures("fast_passwords")


def complete_body(ctx, response, case):
    """A 200 body must be whole: a streamed export cut short must not pass for a file."""
    if response.status_code != 200:
        return None
    kind = response.headers.get("content-type", [""])
    kind = kind[0] if isinstance(kind, list) else kind
    text = response.content.decode("utf-8")
    if kind.startswith("application/x-ndjson"):
        assert text == "" or text.endswith("\n"), "JSONL body does not end with a newline"
        for line in text.splitlines():
            json.loads(line)
    elif kind.startswith("text/csv"):
        assert text.endswith("\n"), "CSV body does not end with a newline"
        rows = list(csv.reader(io.StringIO(text)))
        assert rows and all(len(row) == len(rows[0]) for row in rows), "ragged CSV"
    elif "json" in kind:
        json.loads(text)
    return None


CHECKS = [
    complete_body,
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


def auth_header(user) -> dict:
    _, key = services.api_token_create(user=user)
    return {"Authorization": f"Token {key}"}


def generated_schema() -> dict:
    """The schema as /api/schema/ renders it (a test below checks they are the same)."""
    rendered = OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
    return json.loads(rendered)


@pytest.fixture
def served_schema(db) -> dict:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=auth_header(make_user("schema"))["Authorization"])
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def wsgi_app():
    """The real WSGI app, minus closing the connection after each request (as Django's own
    test client does): that would end the test's transaction on PostgreSQL."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def role_headers(role: str) -> dict:
    """A role's token, with data for it to find: an article, pending annotations of others."""
    user = make_user(f"st-{role}", groups=(role,))
    author = make_user("st-author", groups=("reviewer",))
    article = make_article()
    make_annotation(article, author, "42 million euros", verdict="disputed")
    make_annotation(article, user, "a waste", verdict="opinion")
    return auth_header(user)


@pytest.fixture
def reviewer_headers(db):
    return role_headers("reviewer")


@pytest.fixture
def editor_headers(db):
    return role_headers("editor")


# The editor may call every endpoint, so its run includes the coverage phase (every
# boundary and type-violating value the schema implies); the reviewer run only fuzzes,
# which keeps the whole file well under a minute.
full_schema = schemathesis.openapi.from_dict(generated_schema())
fuzz_schema = schemathesis.openapi.from_dict(
    generated_schema(),
    config=schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": False}}}),
)
SETTINGS = settings(
    max_examples=5, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


@fuzz_schema.parametrize()
@SETTINGS
def test_api_as_a_reviewer(case, reviewer_headers, wsgi_app):
    case.call_and_validate(app=wsgi_app, headers=reviewer_headers, checks=CHECKS)


@full_schema.parametrize()
@SETTINGS
def test_api_as_an_editor(case, editor_headers, wsgi_app):
    case.call_and_validate(app=wsgi_app, headers=editor_headers, checks=CHECKS)


# Stateful: sequences of calls that feed ids from one response into the next (links
# schemathesis infers from the schema), bounded so the run fits CI.
STATEFUL_SETTINGS = settings(
    max_examples=10,
    stateful_step_count=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def run_stateful(headers: dict, app) -> None:
    class Workflow(fuzz_schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"app": app, "headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS)

    Workflow.run(settings=STATEFUL_SETTINGS)


def test_stateful_as_a_reviewer(reviewer_headers, wsgi_app):
    run_stateful(reviewer_headers, wsgi_app)


def test_stateful_as_an_editor(editor_headers, wsgi_app):
    run_stateful(editor_headers, wsgi_app)


def test_the_fuzzed_schema_is_the_served_one(served_schema):
    assert served_schema == generated_schema()


def test_every_endpoint_of_the_design_is_in_the_schema(served_schema):
    paths = served_schema["paths"]
    assert set(paths) >= {
        "/api/v1/articles/",
        "/api/v1/articles/{article_id}/",
        "/api/v1/annotations/",
        "/api/v1/annotations/{annotation_id}/",
        "/api/v1/annotations/{annotation_id}/review/",
        "/api/v1/annotations/{annotation_id}/history/",
    }
    detail = paths["/api/v1/annotations/{annotation_id}/"]
    assert {"get", "patch", "delete"} <= set(detail) and "put" not in detail
    assert {"401", "403", "404", "409", "412", "428"} <= set(detail["patch"]["responses"])
    assert "422" in paths["/api/v1/annotations/"]["post"]["responses"]
    assert "409" in paths["/api/v1/annotations/{annotation_id}/review/"]["post"]["responses"]
    schemes = served_schema["components"]["securitySchemes"]
    assert schemes["tokenAuth"]["name"] == "Authorization"


def test_docs_page_is_served_from_local_static_files(client, reviewer):
    client.force_login(reviewer)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "https://" not in html
    # Content-Security-Policy `default-src 'self'`: no inline scripts or styles.
    assert "<style" not in html and "<script>" not in html and "style=" not in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
