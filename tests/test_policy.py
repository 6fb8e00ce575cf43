"""The rule book, cell by cell: every (role, status, orphaned, act) is tried through the
services, and what happens is checked against the tables below, written out by hand from
DESIGN.md so that they are not the policy module read back to itself."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from annotations import policy, services
from annotations.models import Annotation, ReviewEvent, Status
from annotations.policy import Act
from tests.factories import make_annotation, make_article, make_user

pytestmark = pytest.mark.django_db

P, A, R, C = "pending", "approved", "rejected", "changes_requested"
ROLES = ("author", "reviewer", "editor", "author_editor")
WHO = {
    Act.EDIT: {"author", "author_editor"},
    Act.WITHDRAW: {"author", "author_editor"},
    Act.APPROVE: {"editor"},
    Act.REJECT: {"editor"},
    Act.REQUEST_CHANGES: {"editor"},
    Act.REOPEN: {"editor"},
    Act.REATTACH: {"author", "editor", "author_editor"},
    Act.COPY: set(ROLES),
}
# (status, act) -> status after, for an annotation attached to the text; missing = 409.
AFTER = {
    (P, Act.EDIT): P,
    (C, Act.EDIT): P,
    (P, Act.WITHDRAW): P,
    (R, Act.WITHDRAW): R,
    (C, Act.WITHDRAW): C,
    (P, Act.APPROVE): A,
    (P, Act.REJECT): R,
    (P, Act.REQUEST_CHANGES): C,
    (A, Act.REOPEN): P,
    (R, Act.REOPEN): P,
    (C, Act.REOPEN): P,
    (P, Act.COPY): P,
    (A, Act.COPY): P,
    (C, Act.COPY): P,
}
# An orphan: it can be re-attached (back to pending) and decided on except approval; it
# cannot be edited or copied until re-attached.
ORPHAN_AFTER = {
    **{(s, Act.REATTACH): P for s in (P, A, R, C)},
    **{k: v for k, v in AFTER.items() if k[1] in (Act.WITHDRAW, Act.REJECT, Act.REOPEN)},
    (P, Act.REQUEST_CHANGES): C,
}
TEXT = "The mayor said the bridge cost 42 million euros, far above the estimate.\n"
PEOPLE_ACTS = tuple(WHO)


@pytest.fixture
def people():
    return {
        "author": make_user("rita", groups=("reviewer",)),
        "reviewer": make_user("oscar", groups=("reviewer",)),
        "editor": make_user("edna", groups=("editor",)),
        "author_editor": make_user("erin", groups=("editor", "reviewer")),
    }


def attempt(act: str, annotation: Annotation, actor, duplicate) -> str:
    """Do `act` through its service: the new status, "403" or "409"."""
    pk = annotation.pk
    try:
        if act == Act.EDIT:
            services.annotation_update(
                annotation_id=pk, actor=actor, expected_version=None, note="changed"
            )
        elif act == Act.WITHDRAW:
            services.annotation_delete(annotation_id=pk, actor=actor, expected_version=None)
        elif act in (Act.APPROVE, Act.REJECT, Act.REQUEST_CHANGES):
            services.annotation_review(
                annotation_id=pk, editor=actor, decision=act, expected_version=None, comment="why"
            )
        elif act == Act.REOPEN:
            services.annotation_reopen(annotation_id=pk, editor=actor, expected_version=None)
        elif act == Act.REATTACH:
            start = TEXT.index("bridge cost")
            services.annotation_reattach(
                annotation_id=pk,
                actor=actor,
                expected_version=None,
                start=start,
                end=start + len("bridge cost"),
                quote="bridge cost",
            )
        elif act == Act.COPY:
            copy = services.annotation_copy(original_id=pk, article=duplicate, author=actor)
            return copy.status
    except PermissionDenied:
        return "403"
    except services.Conflict:
        return "409"
    return Annotation.all_objects.get(pk=pk).status


@pytest.mark.parametrize("act", PEOPLE_ACTS)
def test_every_role_status_and_act_does_what_the_table_says(people, act):
    article = make_article(TEXT)
    duplicate = make_article(TEXT + "More.\n", near_duplicate_of=article)
    for role in ROLES:
        for orphaned in (False, True):
            for status in (P, A, R, C):
                author = people["author_editor" if role == "author_editor" else "author"]
                annotation = make_annotation(article, author, "42 million euros")
                Annotation.objects.filter(pk=annotation.pk).update(status=status, orphaned=orphaned)
                events = ReviewEvent.objects.filter(annotation=annotation).count()
                table = ORPHAN_AFTER if orphaned else AFTER
                expected = "403" if role not in WHO[act] else table.get((status, act), "409")
                got = attempt(act, annotation, people[role], duplicate)
                cell = (role, status, "orphan" if orphaned else "attached", act)
                assert got == expected, cell
                written = ReviewEvent.objects.filter(annotation=annotation).count() - events
                copied = act == Act.COPY and got == P
                assert written == (1 if got not in ("403", "409") and not copied else 0), cell


def test_the_policys_table_is_the_one_above():
    people_acts = {k: v for k, v in policy.TRANSITIONS.items() if k[1] in PEOPLE_ACTS}
    assert people_acts == {**AFTER, **{(s, Act.REATTACH): P for s in (P, A, R, C)}}


def test_the_importers_acts_send_changed_words_back_for_review():
    for status in (P, A, R, C):
        assert policy.next_status(status, Act.REANCHOR) == status
        assert policy.next_status(status, Act.REQUOTE) == P
        assert policy.next_status(status, Act.ORPHAN) == P


def test_allows_agrees_with_check_for_every_cell(people):
    article = make_article(TEXT)
    annotation = make_annotation(article, people["author"], "42 million euros")
    for status in (P, A, R, C):
        for orphaned in (False, True):
            annotation.status, annotation.orphaned = status, orphaned
            for user in people.values():
                for act in PEOPLE_ACTS:
                    try:
                        policy.check(user, act, annotation)
                        checked = True
                    except (PermissionDenied, policy.Conflict):
                        checked = False
                    assert policy.allows(user, act, annotation) is checked


def test_nobody_without_a_role_may_do_anything(people):
    article = make_article(TEXT)
    annotation = make_annotation(article, people["author"], "42 million euros")
    stranger = make_user("sam", groups=())
    assert not policy.can_annotate(stranger) and not policy.is_editor(stranger)
    assert not any(policy.allows(stranger, act, annotation) for act in PEOPLE_ACTS)


def test_who_sees_which_status_is_one_rule(people):
    consumer = make_user("cms", groups=())
    every = set(Status.values)
    for role in ("author", "reviewer", "editor", "author_editor"):
        assert policy.visible_statuses(people[role]) == every
        assert all(policy.may_see_status(people[role], s) for s in [*every, policy.STATUS_ALL])
    assert policy.visible_statuses(consumer) == {Status.APPROVED}
    assert policy.may_see_status(consumer, Status.APPROVED)
    for hidden in (Status.PENDING, Status.REJECTED, Status.CHANGES_REQUESTED, policy.STATUS_ALL):
        assert not policy.may_see_status(consumer, hidden)
    assert policy.visible_statuses(AnonymousUser()) == set()
    consumer.is_active = False
    assert policy.visible_statuses(consumer) == set()
