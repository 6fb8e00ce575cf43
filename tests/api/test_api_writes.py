"""The REST API, write side: read one with ETag, edit with If-Match, withdraw, review,
history."""

import pytest

from annotations import services
from annotations.models import Action, Annotation, ReviewEvent, Status
from tests.api_clients import client_for, detail_url, review_url
from tests.factories import make_annotation, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


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


@pytest.mark.parametrize("header", ["1", "abc", '"1', "W/1", '"1" "2"', ",", '"1", 2'])
def test_patch_with_a_malformed_if_match_is_400(as_reviewer, disputed, header):
    response = as_reviewer.patch(detail_url(disputed), {"note": "x"}, HTTP_IF_MATCH=header)
    assert response.status_code == 400
    assert "If-Match" in response.json()["detail"]
    assert Annotation.objects.get(pk=disputed.pk).version == 1


# RFC 9110 §13.1.1: a well-formed tag that names no current representation is 412, and a
# weak tag never matches (If-Match compares strongly).
@pytest.mark.parametrize("header", ['"stale-0"', '"abc"', '"-1"', '"' + "9" * 30 + '"', 'W/"1"'])
def test_patch_with_a_well_formed_tag_that_does_not_match_is_412(as_reviewer, disputed, header):
    response = as_reviewer.patch(detail_url(disputed), {"note": "x"}, HTTP_IF_MATCH=header)
    assert response.status_code == 412
    assert response.json()["current_version"] == 1
    assert Annotation.objects.get(pk=disputed.pk).note == "n"


@pytest.mark.parametrize("header", ['"1"', "*", '"7", "1"', ' "x" ,, "1" '])
def test_if_match_accepts_the_current_tag_in_a_list_or_any(as_reviewer, disputed, header):
    response = as_reviewer.patch(detail_url(disputed), {"note": "x"}, HTTP_IF_MATCH=header)
    assert response.status_code == 200
    assert Annotation.objects.get(pk=disputed.pk).note == "x"


@pytest.mark.parametrize("header", ['"1"', 'W/"1"', '"0", "1"', "*"])
def test_if_none_match_with_the_current_tag_is_304(as_other, disputed, header):
    response = as_other.get(detail_url(disputed), HTTP_IF_NONE_MATCH=header)
    assert response.status_code == 304
    assert response.headers["ETag"] == '"1"' and not response.content


@pytest.mark.parametrize("header, code", [('"0"', 200), ('W/"2"', 200), ("1", 400)])
def test_if_none_match_otherwise_is_the_annotation_or_400(as_other, disputed, header, code):
    response = as_other.get(detail_url(disputed), HTTP_IF_NONE_MATCH=header)
    assert response.status_code == code


@pytest.mark.parametrize(
    "change",
    [{"status": "approved"}, {"start": 0}, {"quote": "x"}, {"version": 5}, {"unknown": 1}],
)
def test_patch_refuses_fields_that_cannot_change(as_reviewer, disputed, change):
    response = as_reviewer.patch(detail_url(disputed), change, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 400
    assert list(response.json()) == list(change)
    assert Annotation.objects.get(pk=disputed.pk).version == 1


def test_patch_disputed_without_evidence_is_422(as_reviewer, disputed):
    response = as_reviewer.patch(
        detail_url(disputed), {"evidence": []}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert response.status_code == 422
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
    assert without.status_code == 422 and "comment" in without.json()
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
def test_review_of_a_stale_version_is_refused(as_editor, disputed, reviewer, how):
    services.annotation_update(
        annotation_id=disputed.pk, actor=reviewer, expected_version=1, note="changed"
    )
    if how == "body":
        response = as_editor.post(review_url(disputed), {"decision": "approve", "version": 1})
    else:
        response = as_editor.post(
            review_url(disputed), {"decision": "approve"}, HTTP_IF_MATCH='"1"'
        )
    # A stale `version` in the body is a conflict; a stale If-Match a failed precondition.
    assert response.status_code == (409 if how == "body" else 412)
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
    ],
)
def test_bad_review_input_is_400(as_editor, disputed, body):
    response = as_editor.post(review_url(disputed), body, format="json")
    assert response.status_code == 400
    assert Annotation.objects.get(pk=disputed.pk).status == Status.PENDING


@pytest.mark.parametrize(
    "body",
    [
        {"decision": "reject"},
        {"decision": "request_changes", "comment": "  "},
        {"decision": "reject", "comment": "no", "verdict": "opinion"},
    ],
)
def test_review_breaking_a_rule_between_fields_is_422(as_editor, disputed, body):
    response = as_editor.post(review_url(disputed), body, format="json")
    assert response.status_code == 422, response.content
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
