"""The REST API, read side and creation: auth, articles, lists, filters, paging, POST."""

import pytest
from rest_framework.test import APIClient

from annotations import services
from annotations.models import Action, Annotation, ReviewEvent
from tests.api_clients import body_for, client_for, detail_url
from tests.factories import make_annotation, make_article, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

ANNOTATION_FIELDS = {
    "id",
    "article",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "verdict",
    "note",
    "evidence",
    "status",
    "author",
    "created",
    "updated",
    "version",
}


# Authentication -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/articles/"),
        ("get", "/api/v1/articles/1/"),
        ("get", "/api/v1/annotations/"),
        ("post", "/api/v1/annotations/"),
        ("get", "/api/v1/annotations/1/"),
        ("patch", "/api/v1/annotations/1/"),
        ("delete", "/api/v1/annotations/1/"),
        ("post", "/api/v1/annotations/1/review/"),
        ("get", "/api/v1/annotations/1/history/"),
        ("get", "/api/schema/"),
        ("get", "/api/docs/"),
    ],
)
def test_anonymous_gets_a_json_401_everywhere(method, path, disputed):
    response = getattr(APIClient(), method)(path, {}, format="json")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    assert "detail" in response.json()


def test_session_login_works_and_writes_need_csrf(reviewer, article):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(reviewer)
    assert client.get("/api/v1/annotations/").status_code == 200
    response = client.post("/api/v1/annotations/", body_for(article, "waste"), format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Annotation.objects.exists()


# Articles -------------------------------------------------------------------------------


def test_article_list_has_counts_and_no_text(as_reviewer, disputed, article):
    make_article(title="Other news")
    response = as_reviewer.get("/api/v1/articles/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"next", "previous", "results"}
    first = next(a for a in body["results"] if a["id"] == article.pk)
    assert "text" not in first
    assert first["content_hash"] == article.content_hash
    assert first["verdict_counts"] == {"verified": 0, "disputed": 1, "opinion": 0}
    assert first["status_counts"]["pending"] == 1
    assert [a["id"] for a in body["results"]] == sorted(a["id"] for a in body["results"])


def test_article_search_by_title(as_reviewer):
    # Both texts mention the bridge (full-text search covers them); only one title soars.
    bridge = make_article(title="Bridge costs soar")
    make_article(title="Weather")
    response = as_reviewer.get("/api/v1/articles/", {"q": "soaring"})
    assert [a["id"] for a in response.json()["results"]] == [bridge.pk]


def test_article_detail_has_text(as_reviewer, article):
    response = as_reviewer.get(f"/api/v1/articles/{article.pk}/")
    assert response.status_code == 200
    assert response.json()["text"] == article.text
    assert as_reviewer.get("/api/v1/articles/999999/").status_code == 404


# Annotation list and filters ------------------------------------------------------------


def test_annotation_json_has_exactly_the_designed_fields(as_reviewer, disputed):
    (row,) = as_reviewer.get("/api/v1/annotations/").json()["results"]
    assert set(row) >= ANNOTATION_FIELDS
    assert set(row) - ANNOTATION_FIELDS == {"orphaned", "revision", "review_comment", "claim"}
    assert row["author"] == "rita"
    assert row["evidence"] == [{"url": "https://example.org/source", "title": "Source"}]
    assert row["created"].endswith("Z") and row["version"] == 1


@pytest.fixture
def mixed(article, reviewer, other_reviewer, editor):
    other_article = make_article()
    a = make_annotation(article, reviewer, "42 million euros", verdict="disputed")
    b = make_annotation(article, other_reviewer, "a waste", verdict="opinion")
    c = make_annotation(other_article, reviewer, "Critics", verdict="verified")
    services.annotation_review(
        annotation_id=c.pk, editor=editor, decision="approve", expected_version=1
    )
    return a, b, c


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"verdict": "disputed"}, [0]),
        ({"status": "approved"}, [2]),
        ({"author": "oscar"}, [1]),
        ({"author": "nobody"}, []),
        ({"verdict": "opinion", "author": "rita"}, []),
    ],
)
def test_annotation_filters(as_reviewer, mixed, params, expected):
    response = as_reviewer.get("/api/v1/annotations/", params)
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [mixed[i].pk for i in expected]


def test_filter_by_article(as_reviewer, mixed, article):
    response = as_reviewer.get("/api/v1/annotations/", {"article": article.pk})
    assert [r["id"] for r in response.json()["results"]] == [mixed[0].pk, mixed[1].pk]


def test_filter_updated_after_is_inclusive(as_reviewer, mixed):
    approved = Annotation.objects.get(pk=mixed[2].pk)
    stamp = approved.updated.isoformat()
    response = as_reviewer.get("/api/v1/annotations/", {"updated_after": stamp})
    assert [r["id"] for r in response.json()["results"]] == [approved.pk]
    later = as_reviewer.get("/api/v1/annotations/", {"updated_after": "2999-01-01T00:00:00Z"})
    assert later.json()["results"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"updated_after": "yesterday"},
        {"updated_after": "2026-13-45T00:00:00Z"},
        {"updated_after": "0001-01-01T00:00:00+14:00"},
        {"verdict": "maybe"},
        {"status": "done"},
        {"article": "abc"},
        {"article": "-1"},
        {"article": str(10**30)},
        {"author": "a\x00b"},
        {"page_size": "abc"},
        {"page_size": "0"},
        {"page_size": "-5"},
        {"cursor": "not-a-cursor"},
        {"verdict": ""},
        {"status": ""},
        {"article": ""},
        {"updated_after": ""},
    ],
)
def test_bad_list_parameters_are_400(as_reviewer, mixed, params):
    response = as_reviewer.get("/api/v1/annotations/", params)
    assert response.status_code == 400
    assert set(response.json()) <= set(params) | {"detail"}


def test_a_cursor_with_a_forged_position_is_400(as_reviewer, mixed):
    import base64

    for position in ("abc", str(10**30)):
        forged = base64.b64encode(f"p={position}".encode()).decode()
        assert as_reviewer.get("/api/v1/annotations/", {"cursor": forged}).status_code == 400


def test_unknown_filters_cannot_reach_other_fields(as_reviewer, mixed):
    everything = as_reviewer.get("/api/v1/annotations/").json()["results"]
    sneaky = as_reviewer.get(
        "/api/v1/annotations/", {"author__password__startswith": "pbkdf2", "deleted": "true"}
    )
    assert sneaky.status_code == 200
    assert sneaky.json()["results"] == everything


def test_cursor_paging_walks_every_row_once_in_id_order(as_reviewer, article, reviewer):
    made = [make_annotation(article, reviewer, "Critics") for _ in range(5)]
    seen, url = [], "/api/v1/annotations/?page_size=2"
    while url:
        body = as_reviewer.get(url).json()
        assert len(body["results"]) <= 2
        seen += [r["id"] for r in body["results"]]
        url = body["next"]
    assert seen == [a.pk for a in made]
    back = as_reviewer.get(body["previous"]) if body["previous"] else None
    assert back is not None and back.status_code == 200


def test_page_size_defaults_to_100_and_is_capped_at_1000(as_reviewer, article, reviewer):
    for _ in range(101):
        make_annotation(article, reviewer, "Critics")
    assert len(as_reviewer.get("/api/v1/annotations/").json()["results"]) == 100
    big = as_reviewer.get("/api/v1/annotations/", {"page_size": "5000"}).json()
    assert len(big["results"]) == 101 and big["next"] is None


def test_withdrawn_annotations_are_not_listed(as_reviewer, disputed, reviewer):
    services.annotation_delete(annotation_id=disputed.pk, actor=reviewer, expected_version=1)
    assert as_reviewer.get("/api/v1/annotations/").json()["results"] == []
    assert as_reviewer.get(detail_url(disputed)).status_code == 404


# Create ---------------------------------------------------------------------------------


def test_reviewer_creates_a_pending_annotation(as_reviewer, article):
    body = body_for(
        article,
        "42 million euros",
        verdict="disputed",
        note="Budget says 61.",
        evidence=[{"url": "https://example.org/budget", "title": "Budget"}],
    )
    response = as_reviewer.post("/api/v1/annotations/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "pending" and data["author"] == "rita" and data["version"] == 1
    assert data["prefix"] == article.text[: body["start"]][-32:]
    assert response.headers["ETag"] == '"1"'
    assert response.headers["Location"] == f"/api/v1/annotations/{data['id']}/"
    event = ReviewEvent.objects.get(annotation_id=data["id"])
    assert event.action == Action.CREATED


def test_quote_mismatch_is_422_and_says_what_the_text_holds(as_reviewer, article):
    body = body_for(article, "42 million euros", quote="43 million euros")
    response = as_reviewer.post("/api/v1/annotations/", body, format="json")
    assert response.status_code == 422
    assert "'42 million euros'" in response.json()["quote"][0]
    assert not Annotation.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"status": "approved"}, "status"),
        ({"version": 9}, "version"),
        ({"author": "edna"}, "author"),
        ({"id": 1}, "id"),
        ({"colour": "red"}, "colour"),
        ({"start": -1}, "start"),
        ({"start": 10**40}, "start"),
        ({"end": 2**31}, "end"),
        ({"start": "abc"}, "start"),
        ({"start": 1.5}, "start"),
        ({"start": True}, "start"),
        ({"article": 10**30}, "article"),
        ({"article": "x"}, "article"),
        ({"verdict": "true-ish"}, "verdict"),
        ({"note": "bad\x00note"}, "note"),
        ({"quote": "nul\x00"}, "quote"),
        ({"note": ["a list"]}, "note"),
        ({"evidence": "https://example.org"}, "evidence"),
        ({"evidence": [{"url": "javascript:alert(1)"}]}, "evidence"),
        ({"evidence": [{"url": "https://ok.example", "extra": 1}]}, "evidence"),
        ({"evidence": [{"url": "https://e.example/" + "a" * 3000}]}, "evidence"),
    ],
)
def test_bad_create_input_is_400_and_changes_nothing(as_reviewer, article, change, field):
    body = body_for(article, "42 million euros") | change
    response = as_reviewer.post("/api/v1/annotations/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Annotation.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"article": 999999}, "article"),
        ({"verdict": "disputed", "evidence": []}, "evidence"),
        ({"start": 3, "end": 2}, "start"),
        ({"start": 0, "end": 2**31 - 1}, "start"),
    ],
)
def test_create_that_does_not_fit_the_data_is_422_and_changes_nothing(
    as_reviewer, article, change, field
):
    """Well-formed (the schema allows it) but it does not fit the stored article or a rule
    joining two fields: 422, as for a quote that is not the text."""
    body = body_for(article, "42 million euros") | change
    response = as_reviewer.post("/api/v1/annotations/", body, format="json")
    assert response.status_code == 422, response.content
    assert field in response.json()
    assert not Annotation.objects.exists()


def test_span_outside_the_text_is_422(as_reviewer, article):
    end = len(article.text) + 5
    body = body_for(article, "waste") | {"start": 3, "end": end, "quote": "x"}
    response = as_reviewer.post("/api/v1/annotations/", body, format="json")
    assert response.status_code == 422
    assert "outside" in response.json()["start"][0]


@pytest.mark.parametrize(
    ("payload", "content_type"),
    [
        (b'{"article": 1, "start": ', "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (b'"just a string"', "application/json"),
        (b"null", "application/json"),
        (b"\xff\xfe", "application/json"),
        (b"article=1", "application/x-www-form-urlencoded"),
        (b"[" * 100_000, "application/json"),
        (b'{"a": ' * 50_000, "application/json"),
        (b'{"start": NaN}', "application/json"),
        (b'{"start": ' + b"9" * 5000 + b"}", "application/json"),
    ],
)
def test_malformed_bodies_are_4xx_json(as_reviewer, payload, content_type):
    response = as_reviewer.generic(
        "POST", "/api/v1/annotations/", payload, content_type=content_type
    )
    assert response.status_code in (400, 415)
    assert isinstance(response.json(), dict)


def test_a_body_over_the_upload_limit_is_413_json(as_reviewer, article, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = body_for(article, "waste", note="x" * 2000)
    response = as_reviewer.post("/api/v1/annotations/", body, format="json")
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


def test_unmatched_api_paths_are_json_404_for_any_method(as_reviewer):
    for method in ("get", "post", "patch", "delete"):
        response = getattr(as_reviewer, method)("/api/v1/annotations/abc/", {}, format="json")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}


def test_options_describes_the_create_input(as_reviewer):
    response = as_reviewer.options("/api/v1/annotations/")
    assert response.status_code == 200
    post = response.json()["actions"]["POST"]
    assert {"article", "start", "end", "quote", "verdict"} <= set(post)
    assert "status" not in post


def test_users_without_a_role_cannot_create(article):
    outsider = client_for(make_user("nobody", groups=()))
    response = outsider.post("/api/v1/annotations/", body_for(article, "waste"), format="json")
    assert response.status_code == 403
    assert outsider.get("/api/v1/annotations/").status_code == 200
