"""The API against its own OpenAPI schema: a bounded schemathesis run as each role.

Every generated request (valid and invalid) must get an answer that is not a 5xx and that
matches the schema: a documented status code, content type, headers and body."""

import json
import tomllib
from pathlib import Path

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.test import APIClient
from schemathesis.checks import CHECKS

from annotations import services
from tests.api import schemathesis_hooks  # noqa: F401 (registers complete_body and formats)
from tests.factories import make_annotation, make_article, make_user

pytestmark = pytest.mark.usefixtures("fast_passwords")

# Every built-in check and ours (complete_body: a 200 body is whole), as `make fuzz` runs.
ALL_CHECKS = CHECKS.get_all()
assert schemathesis_hooks.complete_body in ALL_CHECKS
CONFIG = tomllib.loads((Path(__file__).parent / "schemathesis.toml").read_text())


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
full_schema = schemathesis.openapi.from_dict(
    generated_schema(), config=schemathesis.Config.from_dict(CONFIG)
)
fuzz_schema = schemathesis.openapi.from_dict(
    generated_schema(),
    config=schemathesis.Config.from_dict(CONFIG | {"phases": {"coverage": {"enabled": False}}}),
)
SETTINGS = settings(
    max_examples=5, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


@fuzz_schema.parametrize()
@SETTINGS
def test_api_as_a_reviewer(case, reviewer_headers, wsgi_app):
    case.call_and_validate(app=wsgi_app, headers=reviewer_headers, checks=ALL_CHECKS)


@full_schema.parametrize()
@SETTINGS
def test_api_as_an_editor(case, editor_headers, wsgi_app):
    case.call_and_validate(app=wsgi_app, headers=editor_headers, checks=ALL_CHECKS)


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
            case.validate_response(response, checks=ALL_CHECKS)

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
