"""A chunked request body (no Content-Length) reaches the API whole, and one over the
limit is a 413, not an empty body answered 400."""

import io
import json
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from annotations import services
from tests.api_clients import body_for
from workbench.wsgi import application


@pytest.fixture
def call(db):
    # As the schemathesis test does: keep the test's transaction open across the call.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    def run(path: str, body: bytes, headers: dict) -> tuple[str, bytes]:
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": path,
            "wsgi.input": io.BytesIO(body),
            "HTTP_TRANSFER_ENCODING": "chunked",
            "CONTENT_TYPE": "application/json",
            **headers,
        }
        setup_testing_defaults(environ)
        environ.pop("CONTENT_LENGTH", None)
        answer = {}

        def start_response(status, response_headers, exc_info=None):
            answer["status"] = status

        chunks = application(environ, start_response)
        return answer["status"], b"".join(chunks)

    yield run
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def token(user) -> dict:
    _, key = services.api_token_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {key}", "SERVER_NAME": "testserver"}


def test_a_chunked_json_body_is_read_whole(call, reviewer, article):
    body = json.dumps(body_for(article, "waste", verdict="opinion")).encode()
    status, content = call("/api/v1/annotations/", body, token(reviewer))
    assert status.startswith("201"), content
    assert json.loads(content)["quote"] == "waste"


def test_a_chunked_body_over_the_limit_is_413(call, settings, reviewer):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    status, content = call("/api/v1/annotations/", b"x" * 5000, token(reviewer))
    assert status.startswith("413")
    assert json.loads(content) == {"detail": "Request body too large (limit 1000 bytes)."}
