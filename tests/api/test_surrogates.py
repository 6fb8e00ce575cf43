"""A lone surrogate (valid JSON `\\ud800`, not encodable as UTF-8) anywhere in a request body
is a 400 whose message is valid UTF-8, never a 500 from echoing the value back."""

import json

import pytest

from tests.api_clients import body_for, detail_url, review_url

LONE = "\ud800"


def post_raw(client, url, payload: dict, **headers):
    # json.dumps keeps the surrogate as the escape `\ud800`, as an attacker would send it.
    return client.generic(
        "POST" if "method" not in headers else headers.pop("method"),
        url,
        json.dumps(payload),
        content_type="application/json",
        **headers,
    )


def assert_clean_400(response):
    assert response.status_code == 400, response.content
    body = response.content.decode("utf-8")  # strict: raises on anything not UTF-8
    assert json.loads(body)


@pytest.mark.parametrize(
    "extra",
    [
        {"verdict": LONE},
        {"verdict": "x" + LONE},
        {LONE: 1},
        {"note" + LONE: "n"},
        {"note": LONE},
        {"evidence": [{"url": "https://example.org/" + LONE}]},
        {"evidence": [{"url": "https://example.org/", LONE: "t"}]},
    ],
)
def test_create_with_a_lone_surrogate_is_400(as_reviewer, article, extra):
    assert_clean_400(
        post_raw(as_reviewer, "/api/v1/annotations/", body_for(article, "waste", **extra))
    )


@pytest.mark.parametrize(
    "body", [{"decision": LONE}, {"decision": "approve", LONE: "x"}, {"decision": "a" + LONE}]
)
def test_review_with_a_lone_surrogate_is_400(as_editor, disputed, body):
    assert_clean_400(post_raw(as_editor, review_url(disputed), body))


def test_patch_with_a_lone_surrogate_is_400(as_reviewer, disputed):
    response = post_raw(
        as_reviewer,
        detail_url(disputed),
        {"verdict": LONE},
        method="PATCH",
        HTTP_IF_MATCH=f'"{disputed.version}"',
    )
    assert_clean_400(response)
