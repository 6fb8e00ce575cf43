"""The REST API: each endpoint, role and rule of the DESIGN.md table (exports aside)."""

import pytest
from rest_framework.test import APIClient

from annotations import services
from annotations.models import Action, Annotation, ReviewEvent, Status
from tests.factories import make_annotation, make_article, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Tests make many users; the production hasher would dominate the run time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        _, key = services.api_token_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


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


def body_for(article, phrase, **extra):
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
    bridge = make_article(title="Bridge costs soar")
    make_article(title="Weather")
    response = as_reviewer.get("/api/v1/articles/", {"q": "bridge"})
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
    assert set(row) - ANNOTATION_FIELDS <= {"orphaned", "review_comment"}
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
        ({"article": 999999}, "article"),
        ({"article": "x"}, "article"),
        ({"verdict": "true-ish"}, "verdict"),
        ({"note": "bad\x00note"}, "note"),
        ({"quote": "nul\x00"}, "quote"),
        ({"note": ["a list"]}, "note"),
        ({"evidence": "https://example.org"}, "evidence"),
        ({"evidence": [{"url": "javascript:alert(1)"}]}, "evidence"),
        ({"evidence": [{"url": "https://ok.example", "extra": 1}]}, "evidence"),
        ({"evidence": [{"url": "https://e.example/" + "a" * 3000}]}, "evidence"),
        ({"verdict": "disputed", "evidence": []}, "evidence"),
    ],
)
def test_bad_create_input_is_400_and_changes_nothing(as_reviewer, article, change, field):
    body = body_for(article, "42 million euros") | change
    response = as_reviewer.post("/api/v1/annotations/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Annotation.objects.exists()


def test_span_outside_the_text_is_400(as_reviewer, article):
    end = len(article.text) + 5
    body = body_for(article, "waste") | {"start": 3, "end": end, "quote": "x"}
    response = as_reviewer.post("/api/v1/annotations/", body, format="json")
    assert response.status_code == 400
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


# Read one, edit, withdraw ---------------------------------------------------------------


def test_get_one_sends_its_version_as_etag(as_other, disputed):
    response = as_other.get(detail_url(disputed))
    assert response.status_code == 200
    assert response.headers["ETag"] == '"1"'
    assert response.json()["id"] == disputed.pk


def test_patch_needs_if_match(as_reviewer, disputed):
    response = as_reviewer.patch(detail_url(disputed), {"note": "new"}, format="json")
    assert response.status_code == 428
    assert Annotation.objects.get(pk=disputed.pk).note == "n"


def test_patch_with_current_etag_edits_and_returns_the_new_etag(as_reviewer, disputed):
    etag = as_reviewer.get(detail_url(disputed)).headers["ETag"]
    response = as_reviewer.patch(
        detail_url(disputed), {"note": "new", "verdict": "opinion"}, HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200
    assert response.headers["ETag"] == '"2"'
    assert response.json()["note"] == "new" and response.json()["version"] == 2
    assert ReviewEvent.objects.filter(annotation=disputed, action=Action.EDITED).count() == 1


def test_patch_with_stale_etag_is_412_with_the_current_version(as_reviewer, disputed, reviewer):
    services.annotation_update(
        annotation_id=disputed.pk, actor=reviewer, expected_version=1, note="elsewhere"
    )
    response = as_reviewer.patch(detail_url(disputed), {"note": "mine"}, HTTP_IF_MATCH='"1"')
    assert response.status_code == 412
    assert response.json()["current_version"] == 2
    assert Annotation.objects.get(pk=disputed.pk).note == "elsewhere"


@pytest.mark.parametrize("header", ['"abc"', "*", '"-1"', '"' + "9" * 30 + '"'])
def test_patch_with_a_malformed_if_match_is_400(as_reviewer, disputed, header):
    response = as_reviewer.patch(detail_url(disputed), {"note": "x"}, HTTP_IF_MATCH=header)
    assert response.status_code == 400


@pytest.mark.parametrize("header", ['"1"', 'W/"1"', "1"])
def test_if_match_accepts_strong_weak_and_bare_versions(as_reviewer, disputed, header):
    response = as_reviewer.patch(detail_url(disputed), {"note": "x"}, HTTP_IF_MATCH=header)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "change",
    [{"status": "approved"}, {"start": 0}, {"quote": "x"}, {"version": 5}, {"unknown": 1}],
)
def test_patch_refuses_fields_that_cannot_change(as_reviewer, disputed, change):
    response = as_reviewer.patch(detail_url(disputed), change, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 400
    assert list(response.json()) == list(change)
    assert Annotation.objects.get(pk=disputed.pk).version == 1


def test_patch_disputed_without_evidence_is_400(as_reviewer, disputed):
    response = as_reviewer.patch(
        detail_url(disputed), {"evidence": []}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 400
    assert "evidence" in response.json()


def test_others_cannot_edit_or_withdraw(as_other, as_editor, disputed):
    for client in (as_other, as_editor):
        patch = client.patch(detail_url(disputed), {"note": "x"}, HTTP_IF_MATCH='"1"')
        assert patch.status_code == 403
        assert client.delete(detail_url(disputed)).status_code == 403
    fresh = Annotation.objects.get(pk=disputed.pk)
    assert (fresh.note, fresh.version, fresh.deleted) == ("n", 1, False)


def test_approved_annotation_cannot_be_edited_or_withdrawn(as_reviewer, disputed, editor):
    services.annotation_review(
        annotation_id=disputed.pk, editor=editor, decision="approve", expected_version=1
    )
    patch = as_reviewer.patch(detail_url(disputed), {"note": "x"}, HTTP_IF_MATCH='"2"')
    assert patch.status_code == 409
    assert patch.json()["status"] == "approved"
    assert as_reviewer.delete(detail_url(disputed)).status_code == 409
    assert Annotation.objects.filter(pk=disputed.pk).exists()


def test_author_withdraws_and_history_keeps_it(as_reviewer, disputed):
    response = as_reviewer.delete(detail_url(disputed), HTTP_IF_MATCH='"1"')
    assert response.status_code == 204
    assert not Annotation.objects.filter(pk=disputed.pk).exists()
    history = as_reviewer.get(f"{detail_url(disputed)}history/").json()["results"]
    assert [e["action"] for e in history] == ["created", "deleted"]


def test_withdraw_with_stale_if_match_is_412(as_reviewer, disputed):
    response = as_reviewer.delete(detail_url(disputed), HTTP_IF_MATCH='"7"')
    assert response.status_code == 412
    assert response.json()["current_version"] == 1
    assert Annotation.objects.filter(pk=disputed.pk).exists()


@pytest.mark.parametrize("pk", [999999, 10**30])
def test_unknown_annotation_is_404_for_every_method(as_reviewer, as_editor, pk):
    url = f"/api/v1/annotations/{pk}/"
    assert as_reviewer.get(url).status_code == 404
    assert as_reviewer.patch(url, {"note": "x"}, HTTP_IF_MATCH='"1"').status_code == 404
    assert as_reviewer.delete(url).status_code == 404
    assert as_editor.post(f"{url}review/", {"decision": "approve"}).status_code == 404
    assert as_reviewer.get(f"{url}history/").status_code == 404


def test_put_is_not_allowed(as_reviewer, disputed):
    assert as_reviewer.put(detail_url(disputed), {}, format="json").status_code == 405


# Review ---------------------------------------------------------------------------------


def review_url(annotation) -> str:
    return f"/api/v1/annotations/{annotation.pk}/review/"


def test_editor_approves(as_editor, disputed):
    response = as_editor.post(review_url(disputed), {"decision": "approve", "version": 1})
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    assert response.headers["ETag"] == '"2"'


@pytest.mark.parametrize(
    ("decision", "status"),
    [("reject", Status.REJECTED), ("request_changes", Status.CHANGES_REQUESTED)],
)
def test_editor_rejects_or_requests_changes_with_a_comment(as_editor, disputed, decision, status):
    without = as_editor.post(review_url(disputed), {"decision": decision})
    assert without.status_code == 400 and "comment" in without.json()
    response = as_editor.post(review_url(disputed), {"decision": decision, "comment": "Why"})
    assert response.status_code == 200
    assert response.json()["status"] == status
    assert response.json()["review_comment"] == "Why"


def test_fix_and_approve_keeps_before_and_after(as_editor, disputed):
    response = as_editor.post(
        review_url(disputed),
        {"decision": "approve", "verdict": "opinion", "note": "A forecast."},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["verdict"] == "opinion"
    event = ReviewEvent.objects.filter(annotation=disputed).last()
    assert event.changes["verdict"] == {"before": "disputed", "after": "opinion"}


def test_reviewers_cannot_review(as_other, disputed):
    response = as_other.post(review_url(disputed), {"decision": "approve"})
    assert response.status_code == 403
    assert Annotation.objects.get(pk=disputed.pk).status == Status.PENDING


def test_editor_cannot_review_own_work(article):
    boss = make_user("boss", groups=("editor",))
    own = make_annotation(article, boss, "a waste", verdict="opinion")
    response = client_for(boss).post(review_url(own), {"decision": "approve"})
    assert response.status_code == 403
    assert Annotation.objects.get(pk=own.pk).status == Status.PENDING


def test_review_of_a_decided_annotation_is_409(as_editor, disputed):
    as_editor.post(review_url(disputed), {"decision": "approve"})
    response = as_editor.post(review_url(disputed), {"decision": "reject", "comment": "no"})
    assert response.status_code == 409
    assert response.json()["status"] == "approved"


@pytest.mark.parametrize("how", ["body", "if-match"])
def test_review_of_a_stale_version_is_409(as_editor, disputed, reviewer, how):
    services.annotation_update(
        annotation_id=disputed.pk, actor=reviewer, expected_version=1, note="changed"
    )
    if how == "body":
        response = as_editor.post(review_url(disputed), {"decision": "approve", "version": 1})
    else:
        response = as_editor.post(review_url(disputed), {"decision": "approve"}, HTTP_IF_MATCH="1")
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert Annotation.objects.get(pk=disputed.pk).status == Status.PENDING


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"decision": "maybe"},
        {"decision": "approve", "status": "approved"},
        {"decision": "approve", "version": "x"},
        {"decision": "approve", "version": 10**30},
        {"decision": "reject", "comment": "no", "verdict": "opinion"},
    ],
)
def test_bad_review_input_is_400(as_editor, disputed, body):
    response = as_editor.post(review_url(disputed), body, format="json")
    assert response.status_code == 400
    assert Annotation.objects.get(pk=disputed.pk).status == Status.PENDING


# History --------------------------------------------------------------------------------


def test_history_lists_events_with_actor_and_changes(as_reviewer, as_editor, disputed):
    as_editor.post(review_url(disputed), {"decision": "request_changes", "comment": "Cite more"})
    response = as_reviewer.get(f"{detail_url(disputed)}history/")
    assert response.status_code == 200
    events = response.json()["results"]
    assert [(e["actor"], e["action"], e["version"]) for e in events] == [
        ("rita", "created", 1),
        ("edna", "changes_requested", 2),
    ]
    assert events[1]["comment"] == "Cite more"
    assert events[1]["changes"]["status"] == {"before": "pending", "after": "changes_requested"}
