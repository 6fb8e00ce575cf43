"""Editorial decisions: approve (optionally with the editor's fix), reject, request
changes, and reopen a decided annotation. The rules are the policy's; this writes them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import policy
from ..models import Action, Annotation
from ..policy import Act
from .annotations import UNSET, apply_fields, set_status
from .events import check_version, lock_annotation, record_event, save_new_version
from .inputs import NOTE_MAX, Unprocessable, clean_user_text

# The API's and the forms' decision words, with the history action each one records.
DECISIONS = {
    Act.APPROVE.value: Action.APPROVED,
    Act.REJECT.value: Action.REJECTED,
    Act.REQUEST_CHANGES.value: Action.CHANGES_REQUESTED,
}


def clean_comment(comment) -> str:
    return clean_user_text(comment or "", field="comment", max_length=NOTE_MAX)


def annotation_review(
    *,
    annotation_id: int,
    editor,
    decision: str,
    expected_version: int | None,
    comment: str = "",
    verdict=UNSET,
    note=UNSET,
    evidence=UNSET,
    claim=UNSET,
) -> Annotation:
    """An editor decides on a pending annotation; with approve, they may fix the verdict,
    note or evidence in the same step (the event keeps before and after)."""
    if decision not in DECISIONS:
        raise ValidationError({"decision": f"Choose one of: {', '.join(DECISIONS)}."})
    policy.check_role(editor, decision)
    comment = clean_comment(comment)
    if decision != Act.APPROVE and not comment:
        raise Unprocessable({"comment": "Say why, so the reviewer can act on it."})
    fixing = any(v is not UNSET for v in (verdict, note, evidence, claim))
    if fixing and decision != Act.APPROVE:
        raise Unprocessable({"decision": "Only an approval can carry the editor's fix."})
    with transaction.atomic():
        annotation = lock_annotation(annotation_id)
        # Status before version: a second editor should hear "already decided", the more
        # useful of the two reasons, even though their version is stale too.
        policy.check(editor, decision, annotation)
        check_version(annotation, expected_version)
        changes, links = apply_fields(
            annotation, verdict=verdict, note=note, evidence=evidence, claim=claim
        )
        set_status(annotation, decision, changes)
        annotation.review_comment = comment
        save_new_version(annotation, links)
        record_event(annotation, editor, DECISIONS[decision], comment=comment, changes=changes)
    return annotation


def annotation_reopen(
    *, annotation_id: int, editor, expected_version: int | None, comment: str = ""
) -> Annotation:
    """An editor sends a decided annotation back to pending."""
    policy.check_role(editor, Act.REOPEN)
    comment = clean_comment(comment)
    with transaction.atomic():
        annotation = lock_annotation(annotation_id, expected_version)
        # Reopening your own approved work would let you edit it after approval.
        policy.check(editor, Act.REOPEN, annotation)
        changes: dict = {}
        set_status(annotation, Act.REOPEN, changes)
        annotation.review_comment = comment
        save_new_version(annotation)
        record_event(annotation, editor, Action.REOPENED, comment=comment, changes=changes)
    return annotation
