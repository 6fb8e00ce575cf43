"""The rule book: who may do what to an annotation, and which status follows which.

This is the one place these rules are written. The services enforce them (inside the
transaction that writes); views, templates, the API and the admin ask the same functions
to decide what to offer. Roles are the Django groups `reviewer` and `editor`.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from .models import EDITOR_GROUP, REVIEWER_GROUP, Annotation, Status


class Conflict(Exception):
    """The annotation changed since the caller saw it, or is no longer in a state that
    allows this change. Carries the current version so a client can reload."""

    def __init__(self, message: str, *, current_version: int, status: str = ""):
        super().__init__(message)
        self.message = message
        self.current_version = current_version
        self.status = status

    @classmethod
    def about(cls, annotation: Annotation, message: str) -> Conflict:
        """A conflict over this annotation, carrying its current version and status."""
        return cls(message, current_version=annotation.version, status=annotation.status)


# Roles ---------------------------------------------------------------------------------


def _groups(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", True):
        return frozenset()
    cached = getattr(user, "_workbench_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._workbench_groups = cached
    return cached


def is_editor(user) -> bool:
    return EDITOR_GROUP in _groups(user)


def can_annotate(user) -> bool:
    """Reviewers annotate; an editor may also review."""
    return bool(_groups(user) & {REVIEWER_GROUP, EDITOR_GROUP})


def is_author(user, annotation: Annotation) -> bool:
    return getattr(user, "pk", None) is not None and annotation.author_id == user.pk


# Acts and the status transition table --------------------------------------------------


class Act(StrEnum):
    """What can happen to an annotation. The first eight are people's acts; the last
    three are the importer's, when an article's text changes under its annotations."""

    EDIT = "edit"
    WITHDRAW = "withdraw"
    APPROVE = "approve"
    REJECT = "reject"
    REQUEST_CHANGES = "request_changes"
    REOPEN = "reopen"
    REATTACH = "reattach"
    COPY = "copy"  # apply this annotation's verdict to the same words elsewhere
    REANCHOR = "reanchor"  # moved in a new text, same words
    REQUOTE = "requote"  # moved in a new text onto other words: needs a fresh review
    ORPHAN = "orphan"  # not found in a new text


DECISIONS = (Act.APPROVE, Act.REJECT, Act.REQUEST_CHANGES)
PENDING, APPROVED, REJECTED, CHANGES = (
    Status.PENDING,
    Status.APPROVED,
    Status.REJECTED,
    Status.CHANGES_REQUESTED,
)
_EVERY = tuple(Status)

# (status now, act) -> status after. A pair that is missing is an act the status does not
# allow (409), whoever asks.
TRANSITIONS: dict[tuple[str, str], str] = {
    (PENDING, Act.APPROVE): APPROVED,
    (PENDING, Act.REJECT): REJECTED,
    (PENDING, Act.REQUEST_CHANGES): CHANGES,
    (PENDING, Act.EDIT): PENDING,
    # Editing what an editor sent back resubmits it.
    (CHANGES, Act.EDIT): PENDING,
    (APPROVED, Act.REOPEN): PENDING,
    (REJECTED, Act.REOPEN): PENDING,
    (CHANGES, Act.REOPEN): PENDING,
    # Withdrawing keeps the status in the history; only approved work stays published.
    (PENDING, Act.WITHDRAW): PENDING,
    (REJECTED, Act.WITHDRAW): REJECTED,
    (CHANGES, Act.WITHDRAW): CHANGES,
    # A rejected verdict is not worth carrying over; the copy starts pending.
    (PENDING, Act.COPY): PENDING,
    (APPROVED, Act.COPY): PENDING,
    (CHANGES, Act.COPY): PENDING,
    **{(status, Act.REANCHOR): status for status in _EVERY},
    **{(status, Act.REQUOTE): PENDING for status in _EVERY},
    **{(status, Act.ORPHAN): PENDING for status in _EVERY},
    **{(status, Act.REATTACH): PENDING for status in _EVERY},
}


def next_status(status: str, act: str) -> str | None:
    """The status after `act`, or None when the current status does not allow it."""
    return TRANSITIONS.get((status, act))


def statuses_allowing(act: str) -> tuple[str, ...]:
    """The statuses from which `act` is possible: what a query for candidates filters on."""
    return tuple(status for status in Status.values if (status, act) in TRANSITIONS)


# Who may do what -----------------------------------------------------------------------


def _author_only(verb: str) -> Callable[[object, Annotation], str]:
    def rule(user, annotation: Annotation) -> str:
        return "" if is_author(user, annotation) else f"Only the author can {verb} an annotation."

    return rule


_REVIEWERS_ONLY = "Only reviewers can annotate."
_EDITORS_ONLY = {
    Act.APPROVE: "Only editors decide on annotations.",
    Act.REJECT: "Only editors decide on annotations.",
    Act.REQUEST_CHANGES: "Only editors decide on annotations.",
    Act.REOPEN: "Only editors reopen annotations.",
}


def check_role(user, act: str) -> None:
    """The part of an act's rule that needs no annotation: checked before any input is
    looked at, so a reviewer hears 403 whatever they sent."""
    if act in _EDITORS_ONLY and not is_editor(user):
        raise PermissionDenied(_EDITORS_ONLY[act])


def _editor_not_own(act: str, noun: str) -> Callable[[object, Annotation], str]:
    def rule(user, annotation: Annotation) -> str:
        if not is_editor(user):
            return _EDITORS_ONLY[act]
        if is_author(user, annotation):
            return f"Nobody {noun} their own annotation."
        return ""

    return rule


def _reattach_rule(user, annotation: Annotation) -> str:
    if not can_annotate(user):
        return "Only reviewers can re-attach annotations."
    if not (is_author(user, annotation) or is_editor(user)):
        return "Only the author or an editor can re-attach an annotation."
    return ""


def _copy_rule(user, annotation: Annotation) -> str:
    return "" if can_annotate(user) else _REVIEWERS_ONLY


def _importer_rule(user, annotation: Annotation) -> str:
    return ""  # the importer acts on the text, not on anybody's behalf


ROLE_RULES: dict[str, Callable[[object, Annotation], str]] = {
    Act.EDIT: _author_only("edit"),
    Act.WITHDRAW: _author_only("withdraw"),
    **{act: _editor_not_own(act, "decides on") for act in DECISIONS},
    Act.REOPEN: _editor_not_own(Act.REOPEN, "reopens"),
    Act.REATTACH: _reattach_rule,
    Act.COPY: _copy_rule,
    Act.REANCHOR: _importer_rule,
    Act.REQUOTE: _importer_rule,
    Act.ORPHAN: _importer_rule,
}


def _state_problem(act: str, annotation: Annotation) -> str:
    """Why the annotation's state does not allow `act`, or ""."""
    status = annotation.status
    label = Status(status).label.lower()
    if getattr(annotation, "deleted", False):
        return "This annotation was withdrawn."
    if act == Act.REATTACH:
        if not annotation.orphaned:
            return "This annotation is not orphaned; it is already attached to the text."
        return ""
    if annotation.orphaned and act in (Act.EDIT, Act.APPROVE, Act.COPY):
        # Its offsets point into an older text: approving would publish, and editing or
        # copying would judge, a span that the current article does not hold.
        return (
            "This annotation lost its place in the changed article text; it must be "
            "re-attached first."
        )
    if next_status(status, act) is not None:
        return ""
    if act == Act.EDIT:
        return f"This annotation is {label}; it can no longer be edited."
    if act == Act.WITHDRAW:
        return "An approved annotation cannot be withdrawn."
    if act in DECISIONS:
        return f"Already decided: this annotation is {label}."
    if act == Act.REOPEN:
        return "This annotation is already pending."
    return f"A {label} annotation cannot be used for that."


def check_who(user, act: str, annotation: Annotation) -> None:
    """Raise PermissionDenied unless `user` is someone who may do `act` to `annotation`
    (whatever its state: that is the service's to judge, inside its transaction)."""
    reason = ROLE_RULES[act](user, annotation)
    if reason:
        raise PermissionDenied(reason)


def check(user, act: str, annotation: Annotation) -> None:
    """Raise PermissionDenied (who) or Conflict (the annotation's state) unless `user`
    may do `act` to `annotation` now. Who is asked first: a stranger learns nothing."""
    check_who(user, act, annotation)
    problem = _state_problem(act, annotation)
    if problem:
        raise Conflict.about(annotation, problem)


def allows(user, act: str, annotation: Annotation) -> bool:
    """Whether `check` would pass: what a page offers, and what the admin would allow."""
    return not ROLE_RULES[act](user, annotation) and not _state_problem(act, annotation)


def check_annotate(user) -> None:
    if not can_annotate(user):
        raise PermissionDenied(_REVIEWERS_ONLY)


def check_review(user) -> None:
    """Working the review queue (seeing decisions to make) is for editors."""
    if not is_editor(user):
        raise PermissionDenied("Only editors review annotations.")


# Reading ------------------------------------------------------------------------------

STATUS_ALL = "all"


def may_export_status(user, status: str) -> bool:
    """Approved verdicts are for everyone signed in; `all` is for editors."""
    if status == STATUS_ALL:
        return is_editor(user)
    return getattr(user, "is_authenticated", False)


# Publishing ---------------------------------------------------------------------------


def public_site_on() -> bool:
    """Whether the public fact-check pages exist (setting WORKBENCH_PUBLIC_SITE)."""
    return bool(settings.WORKBENCH_PUBLIC_SITE)


# What anonymous readers may see: approved verdicts still attached to the current text.
# Pending, rejected, sent-back, orphaned and withdrawn ones never show.
PUBLIC_FIELDS = {"status": APPROVED, "orphaned": False, "deleted": False}
PUBLIC_ANNOTATIONS = Q(**PUBLIC_FIELDS)


def public_annotations_of(relation: str) -> Q:
    """PUBLIC_ANNOTATIONS seen from a related model (e.g. `annotations` from Article)."""
    return Q(**{f"{relation}__{name}": value for name, value in PUBLIC_FIELDS.items()})


def is_public(annotation: Annotation) -> bool:
    """Whether anyone, signed in or not, may read this annotation."""
    return (
        public_site_on()
        and annotation.status == APPROVED
        and not annotation.orphaned
        and not getattr(annotation, "deleted", False)
    )


def may_read(user, annotation: Annotation) -> bool:
    """Signed-in users read every live annotation; anonymous ones only public verdicts."""
    return bool(getattr(user, "is_authenticated", False)) or is_public(annotation)
