"""The editorial decision rules, one test each, straight against the services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from annotations import services
from annotations.models import Action, Annotation, ReviewEvent, Status
from tests.factories import make_annotation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(article, reviewer):
    return make_annotation(article, reviewer, "waste", verdict="opinion", note="reviewer's note")


def review(annotation, editor, decision="approve", version=None, **kw):
    return services.annotation_review(
        annotation_id=annotation.pk,
        editor=editor,
        decision=decision,
        expected_version=annotation.version if version is None else version,
        **kw,
    )


def unchanged(annotation) -> bool:
    fresh = Annotation.all_objects.get(pk=annotation.pk)
    return (fresh.status, fresh.version, fresh.verdict, fresh.note) == (
        annotation.status,
        annotation.version,
        annotation.verdict,
        annotation.note,
    ) and ReviewEvent.objects.filter(annotation=annotation).count() == 1


@pytest.mark.parametrize(
    ("decision", "status", "action"),
    [
        ("approve", Status.APPROVED, Action.APPROVED),
        ("reject", Status.REJECTED, Action.REJECTED),
        ("request_changes", Status.CHANGES_REQUESTED, Action.CHANGES_REQUESTED),
    ],
)
def test_each_decision_sets_status_bumps_version_and_writes_one_event(
    pending, editor, decision, status, action
):
    a = review(pending, editor, decision, comment="Checked against the minutes")
    assert (a.status, a.version, a.review_comment) == (status, 2, "Checked against the minutes")
    event = a.events.latest("id")
    assert (event.action, event.actor, event.version) == (action, editor, 2)
    assert event.changes == {"status": {"before": "pending", "after": status}}
    assert a.events.count() == 2


@pytest.mark.parametrize("decision", ["reject", "request_changes"])
@pytest.mark.parametrize("comment", ["", "   \n "])
def test_reject_and_request_changes_need_a_comment(pending, editor, decision, comment):
    with pytest.raises(ValidationError, match="Say why"):
        review(pending, editor, decision, comment=comment)
    assert unchanged(pending)


def test_approve_needs_no_comment(pending, editor):
    assert review(pending, editor).status == Status.APPROVED


def test_unknown_decision_is_refused(pending, editor):
    with pytest.raises(ValidationError):
        review(pending, editor, "publish")
    assert unchanged(pending)


def test_reviewers_and_outsiders_never_decide(pending, other_reviewer):
    outsider = make_user("nobody", groups=())
    for user in (other_reviewer, outsider):
        with pytest.raises(PermissionDenied):
            review(pending, user)
    assert unchanged(pending)


def test_an_editor_who_also_reviews_cannot_decide_own_work(article):
    both = make_user("both", groups=("reviewer", "editor"))
    mine = make_annotation(article, both, "waste", verdict="opinion")
    for decision in ("approve", "reject", "request_changes"):
        with pytest.raises(PermissionDenied):
            review(mine, both, decision, comment="fine by me")
    assert unchanged(mine)


def test_deciding_twice_is_a_conflict_and_changes_nothing(pending, editor):
    approved = review(pending, editor)
    second_editor = make_user("ed2", groups=("editor",))
    with pytest.raises(services.Conflict, match="Already decided") as info:
        review(approved, second_editor, "reject", comment="no")
    assert (info.value.current_version, info.value.status) == (2, Status.APPROVED)
    fresh = Annotation.objects.get(pk=pending.pk)
    assert (fresh.status, fresh.version, fresh.events.count()) == (Status.APPROVED, 2, 2)


def test_a_second_editor_with_the_old_version_hears_already_decided(pending, editor):
    review(pending, editor, "reject", comment="Out of scope")
    second_editor = make_user("ed2", groups=("editor",))
    with pytest.raises(services.Conflict, match="Already decided: this annotation is rejected"):
        review(pending, second_editor, version=1)
    assert Annotation.objects.get(pk=pending.pk).status == Status.REJECTED


def test_a_stale_version_is_refused_never_last_writer_wins(pending, editor, reviewer):
    services.annotation_update(
        annotation_id=pending.pk, actor=reviewer, expected_version=1, note="better note"
    )
    with pytest.raises(services.Conflict, match="changed since you opened it") as info:
        review(pending, editor, version=1)
    assert info.value.current_version == 2
    fresh = Annotation.objects.get(pk=pending.pk)
    assert (fresh.status, fresh.note) == (Status.PENDING, "better note")
    assert not fresh.events.filter(action=Action.APPROVED).exists()


def test_fix_and_approve_keeps_both_versions_in_history(pending, editor):
    a = review(pending, editor, verdict="verified", note="Editor's wording")
    assert (a.status, a.verdict, a.note, a.version) == (
        Status.APPROVED,
        "verified",
        "Editor's wording",
        2,
    )
    (event,) = a.events.filter(action=Action.APPROVED)
    assert event.changes["verdict"] == {"before": "opinion", "after": "verified"}
    assert event.changes["note"] == {"before": "reviewer's note", "after": "Editor's wording"}
    created = a.events.get(action=Action.CREATED)
    assert created.changes["note"]["after"] == "reviewer's note"


def test_fix_is_validated_like_any_edit(pending, editor):
    with pytest.raises(ValidationError, match="evidence link"):
        review(pending, editor, verdict="disputed", evidence=[])
    assert unchanged(pending)


@pytest.mark.parametrize("decision", ["reject", "request_changes"])
def test_only_an_approval_carries_a_fix(pending, editor, decision):
    with pytest.raises(ValidationError, match="Only an approval"):
        review(pending, editor, decision, comment="why", note="sneaky")
    assert unchanged(pending)


def test_author_resubmits_after_changes_requested(pending, editor, reviewer):
    a = review(pending, editor, "request_changes", comment="Add the council minutes")
    a = services.annotation_update(
        annotation_id=a.pk,
        actor=reviewer,
        expected_version=a.version,
        evidence=[{"url": "https://example.org/minutes"}],
    )
    assert (a.status, a.version) == (Status.PENDING, 3)
    edited = a.events.latest("id")
    assert edited.action == Action.EDITED
    assert edited.changes["status"] == {"before": "changes_requested", "after": "pending"}


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_author_cannot_edit_a_decided_annotation(pending, editor, reviewer, decision):
    a = review(pending, editor, decision, comment="done")
    with pytest.raises(services.Conflict):
        services.annotation_update(
            annotation_id=a.pk, actor=reviewer, expected_version=a.version, note="late"
        )
    assert Annotation.objects.get(pk=a.pk).note == "reviewer's note"


def test_reopen_sends_a_decision_back_to_pending_with_an_event(pending, editor, reviewer):
    a = review(pending, editor)
    a = services.annotation_reopen(
        annotation_id=a.pk, editor=editor, expected_version=2, comment="New evidence came in"
    )
    assert (a.status, a.version, a.review_comment) == (Status.PENDING, 3, "New evidence came in")
    event = a.events.latest("id")
    assert (event.action, event.comment) == (Action.REOPENED, "New evidence came in")
    assert event.changes == {"status": {"before": "approved", "after": "pending"}}
    # Once reopened, the author may edit again.
    services.annotation_update(annotation_id=a.pk, actor=reviewer, expected_version=3, note="x")


def test_reopen_rules(pending, editor, reviewer):
    with pytest.raises(services.Conflict, match="already pending"):
        services.annotation_reopen(annotation_id=pending.pk, editor=editor, expected_version=1)
    a = review(pending, editor)
    with pytest.raises(PermissionDenied):
        services.annotation_reopen(annotation_id=a.pk, editor=reviewer, expected_version=2)
    with pytest.raises(services.Conflict, match="changed since"):
        services.annotation_reopen(annotation_id=a.pk, editor=editor, expected_version=1)
    fresh = Annotation.objects.get(pk=a.pk)
    assert (fresh.status, fresh.version, fresh.events.count()) == (Status.APPROVED, 2, 2)


def test_nobody_reopens_own_work(article):
    both = make_user("both", groups=("reviewer", "editor"))
    other_editor = make_user("ed2", groups=("editor",))
    mine = make_annotation(article, both, "waste", verdict="opinion")
    services.annotation_review(
        annotation_id=mine.pk, editor=other_editor, decision="approve", expected_version=1
    )
    with pytest.raises(PermissionDenied):
        services.annotation_reopen(annotation_id=mine.pk, editor=both, expected_version=2)
    assert Annotation.objects.get(pk=mine.pk).status == Status.APPROVED


def test_an_orphan_is_not_approved_until_reattached(pending, editor):
    # Marking it orphaned directly stands in for a re-import that could not place it.
    Annotation.objects.filter(pk=pending.pk).update(orphaned=True)
    pending.refresh_from_db()
    with pytest.raises(services.Conflict, match="re-attached"):
        review(pending, editor)
    assert unchanged(pending)
    sent_back = review(pending, editor, "request_changes", comment="Find it again, please")
    assert sent_back.status == Status.CHANGES_REQUESTED


def test_orphans_stay_out_of_the_review_queue(pending, article, reviewer):
    from annotations.selectors import review_queue

    placed = make_annotation(article, reviewer, "Critics", verdict="opinion")
    Annotation.objects.filter(pk=pending.pk).update(orphaned=True)
    assert list(review_queue()) == [placed]
