"""Every write to an annotation: create, edit, delete, review, re-attach, copy. Each one
validates, saves and records history in a single transaction, and refuses stale or
unauthorised changes instead of guessing. Article imports are in article_services.py,
API tokens in token_services.py."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from . import anchoring
from . import text as textlib
from .models import (
    Action,
    Annotation,
    Article,
    EvidenceLink,
    ReviewEvent,
    Status,
    Verdict,
)
from .roles import can_annotate, is_editor
from .validators import clean_evidence_url, clean_plain_text

NOTE_MAX = 10_000
EVIDENCE_TITLE_MAX = 300
EVIDENCE_MAX = 20


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


class QuoteMismatch(ValidationError):
    """The quote sent does not match the article text at the offsets sent."""


# Annotations ---------------------------------------------------------------------------


def _clean_evidence(evidence: Iterable[dict] | None) -> list[dict]:
    cleaned, errors = [], []
    for item in evidence or ():
        url = (item.get("url") or "").strip()
        title = (item.get("title") or "").strip()
        if not url and not title:
            continue
        try:
            url = clean_evidence_url(url)
            title = clean_plain_text(title, field="title", max_length=EVIDENCE_TITLE_MAX)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        cleaned.append({"url": url, "title": title})
    if errors:
        raise ValidationError({"evidence": errors})
    if len(cleaned) > EVIDENCE_MAX:
        raise ValidationError({"evidence": f"At most {EVIDENCE_MAX} links."})
    return cleaned


def _check_verdict(verdict: str, evidence: list[dict]) -> None:
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": f"Choose one of: {', '.join(Verdict.values)}."})
    if verdict == Verdict.DISPUTED and not evidence:
        raise ValidationError({"evidence": "A disputed verdict needs at least one evidence link."})


def check_span(text: str, start: int, end: int, quote: str) -> None:
    """Offsets inside the text, a non-blank span, and the quote equal to text[start:end]."""
    if not (isinstance(start, int) and isinstance(end, int)):
        raise ValidationError({"start": "Offsets must be whole numbers."})
    if start < 0 or end > len(text) or start >= end:
        raise ValidationError(
            {"start": f"The span {start}–{end} is outside the article text (0–{len(text)})."}
        )
    actual = text[start:end]
    if not actual.strip():
        raise ValidationError({"quote": "Select some words, not just spaces."})
    if quote != actual:
        raise QuoteMismatch(
            {"quote": f"The text at {start}–{end} reads {actual[:200]!r}, not {quote[:200]!r}."}
        )


def _evidence_list(annotation: Annotation) -> list[dict]:
    return [{"url": e.url, "title": e.title} for e in annotation.evidence.all()]


def _record(annotation: Annotation, actor, action: str, *, comment: str = "", changes=None):
    return ReviewEvent.objects.create(
        annotation=annotation,
        actor=actor,
        action=action,
        comment=comment,
        changes=changes or {},
        version=annotation.version,
    )


def _locked(annotation_id: int, expected_version: int | None) -> Annotation:
    """Fetch the row for update and refuse if someone changed it since the caller saw it."""
    annotation = Annotation.objects.select_for_update().get(pk=annotation_id)
    _check_version(annotation, expected_version)
    return annotation


def _check_version(annotation: Annotation, expected_version: int | None) -> None:
    if expected_version is not None and annotation.version != expected_version:
        raise Conflict.about(
            annotation,
            f"This annotation was changed since you opened it (now version "
            f"{annotation.version}, you had {expected_version}). Reload and try again.",
        )


def annotation_create(
    *,
    article: Article,
    author,
    start: int,
    end: int,
    quote: str,
    verdict: str,
    note: str = "",
    evidence: Iterable[dict] | None = None,
    copied_from: Annotation | None = None,
) -> Annotation:
    if not can_annotate(author):
        raise PermissionDenied("Only reviewers can annotate.")
    check_span(article.text, start, end, quote)
    note = clean_plain_text(note or "", field="note", max_length=NOTE_MAX)
    links = _clean_evidence(evidence)
    _check_verdict(verdict, links)
    prefix, suffix = textlib.context(article.text, start, end)
    annotation = Annotation(
        article=article,
        author=author,
        start=start,
        end=end,
        quote=quote,
        prefix=prefix,
        suffix=suffix,
        verdict=verdict,
        note=note,
        revision=article.revision,
        copied_from=copied_from,
    )
    annotation.full_clean()
    with transaction.atomic():
        annotation.save()
        EvidenceLink.objects.bulk_create(EvidenceLink(annotation=annotation, **e) for e in links)
        changes = {
            "start": {"before": None, "after": start},
            "end": {"before": None, "after": end},
            "verdict": {"before": None, "after": verdict},
            "note": {"before": None, "after": note},
            "evidence": {"before": None, "after": links},
        }
        if copied_from is not None:
            _record(
                annotation,
                author,
                Action.COPIED,
                changes=changes,
                comment=f"Copied from annotation #{copied_from.pk} on article "
                f"#{copied_from.article_id}.",
            )
        else:
            _record(annotation, author, Action.CREATED, changes=changes)
    return annotation


_UNSET = object()


def _apply_fields(annotation: Annotation, *, verdict, note, evidence) -> tuple[dict, list | None]:
    """Set the given fields; return the before/after of what changed and new evidence."""
    changes: dict = {}
    links = None
    current_links = _evidence_list(annotation)
    if evidence is not _UNSET:
        links = _clean_evidence(evidence)
        if links != current_links:
            changes["evidence"] = {"before": current_links, "after": links}
        else:
            links = None
    if verdict is not _UNSET and verdict != annotation.verdict:
        changes["verdict"] = {"before": annotation.verdict, "after": verdict}
        annotation.verdict = verdict
    if note is not _UNSET:
        note = clean_plain_text(note or "", field="note", max_length=NOTE_MAX)
        if note != annotation.note:
            changes["note"] = {"before": annotation.note, "after": note}
            annotation.note = note
    _check_verdict(annotation.verdict, links if links is not None else current_links)
    return changes, links


def _save_changes(annotation: Annotation, links: list | None) -> None:
    annotation.version += 1
    annotation.full_clean()
    annotation.save()
    if links is not None:
        annotation.evidence.all().delete()
        EvidenceLink.objects.bulk_create(EvidenceLink(annotation=annotation, **e) for e in links)


def annotation_update(
    *,
    annotation_id: int,
    actor,
    expected_version: int,
    verdict=_UNSET,
    note=_UNSET,
    evidence=_UNSET,
) -> Annotation:
    """The author edits verdict, note or evidence. Editing after "changes requested"
    resubmits it for review. Approved and rejected annotations are locked."""
    with transaction.atomic():
        annotation = _locked(annotation_id, expected_version)
        if annotation.author_id != actor.pk:
            raise PermissionDenied("Only the author can edit an annotation.")
        if annotation.status in (Status.APPROVED, Status.REJECTED):
            raise Conflict.about(
                annotation,
                f"This annotation is {annotation.get_status_display().lower()}; "
                "it can no longer be edited.",
            )
        changes, links = _apply_fields(annotation, verdict=verdict, note=note, evidence=evidence)
        if not changes:
            return annotation
        if annotation.status == Status.CHANGES_REQUESTED:
            changes["status"] = {"before": annotation.status, "after": Status.PENDING}
            annotation.status = Status.PENDING
        _save_changes(annotation, links)
        _record(annotation, actor, Action.EDITED, changes=changes)
    return annotation


def annotation_delete(*, annotation_id: int, actor, expected_version: int | None) -> None:
    """The author withdraws an annotation that is not approved. History is kept."""
    with transaction.atomic():
        annotation = _locked(annotation_id, expected_version)
        if annotation.author_id != actor.pk:
            raise PermissionDenied("Only the author can withdraw an annotation.")
        if annotation.status == Status.APPROVED:
            raise Conflict.about(
                annotation,
                "An approved annotation cannot be withdrawn.",
            )
        annotation.deleted = True
        annotation.version += 1
        annotation.save(update_fields=["deleted", "version", "updated"])
        _record(
            annotation, actor, Action.DELETED, changes={"deleted": {"before": False, "after": True}}
        )


DECISIONS = {
    "approve": (Status.APPROVED, Action.APPROVED),
    "reject": (Status.REJECTED, Action.REJECTED),
    "request_changes": (Status.CHANGES_REQUESTED, Action.CHANGES_REQUESTED),
}


def annotation_review(
    *,
    annotation_id: int,
    editor,
    decision: str,
    expected_version: int | None,
    comment: str = "",
    verdict=_UNSET,
    note=_UNSET,
    evidence=_UNSET,
) -> Annotation:
    """An editor decides on a pending annotation; with approve, they may fix the verdict,
    note or evidence in the same step (the event keeps before and after)."""
    if decision not in DECISIONS:
        raise ValidationError({"decision": f"Choose one of: {', '.join(DECISIONS)}."})
    if not is_editor(editor):
        raise PermissionDenied("Only editors decide on annotations.")
    comment = clean_plain_text(comment or "", field="comment", max_length=NOTE_MAX).strip()
    if decision != "approve" and not comment:
        raise ValidationError({"comment": "Say why, so the reviewer can act on it."})
    fixing = any(v is not _UNSET for v in (verdict, note, evidence))
    if fixing and decision != "approve":
        raise ValidationError({"decision": "Only an approval can carry the editor's fix."})
    with transaction.atomic():
        # Status before version: a second editor should hear "already decided", the more
        # useful of the two reasons, even though their version is stale too.
        annotation = _locked(annotation_id, None)
        if annotation.author_id == editor.pk:
            raise PermissionDenied("Nobody decides on their own annotation.")
        if annotation.status != Status.PENDING:
            raise Conflict.about(
                annotation,
                f"Already decided: this annotation is {annotation.get_status_display().lower()}.",
            )
        _check_version(annotation, expected_version)
        if annotation.orphaned and decision == "approve":
            # Its offsets point into an older text; approving would publish a span that the
            # current article does not hold.
            raise Conflict.about(
                annotation,
                "This annotation lost its place in the changed article text; it must be "
                "re-attached before it can be approved.",
            )
        status, action = DECISIONS[decision]
        changes, links = _apply_fields(annotation, verdict=verdict, note=note, evidence=evidence)
        changes["status"] = {"before": annotation.status, "after": status}
        annotation.status = status
        annotation.review_comment = comment
        _save_changes(annotation, links)
        _record(annotation, editor, action, comment=comment, changes=changes)
    return annotation


def annotation_reopen(
    *, annotation_id: int, editor, expected_version: int | None, comment: str = ""
) -> Annotation:
    """An editor sends a decided annotation back to pending."""
    if not is_editor(editor):
        raise PermissionDenied("Only editors reopen annotations.")
    comment = clean_plain_text(comment or "", field="comment", max_length=NOTE_MAX).strip()
    with transaction.atomic():
        annotation = _locked(annotation_id, expected_version)
        # Reopening your own approved work would let you edit it after approval.
        if annotation.author_id == editor.pk:
            raise PermissionDenied("Nobody reopens their own annotation.")
        if annotation.status == Status.PENDING:
            raise Conflict.about(
                annotation,
                "This annotation is already pending.",
            )
        changes = {"status": {"before": annotation.status, "after": Status.PENDING}}
        annotation.status = Status.PENDING
        annotation.review_comment = comment
        _save_changes(annotation, None)
        _record(annotation, editor, Action.REOPENED, comment=comment, changes=changes)
    return annotation


# Orphans and duplicates ----------------------------------------------------------------


def annotation_reattach(
    *, annotation_id: int, actor, expected_version: int | None, start: int, end: int, quote: str
) -> Annotation:
    """Attach an orphan to a span the reviewer selected in the article's current text."""
    if not can_annotate(actor):
        raise PermissionDenied("Only reviewers can re-attach annotations.")
    with transaction.atomic():
        annotation = _locked(annotation_id, expected_version)
        if annotation.author_id != actor.pk and not is_editor(actor):
            raise PermissionDenied("Only the author or an editor can re-attach an annotation.")
        if not annotation.orphaned:
            raise Conflict.about(
                annotation,
                "This annotation is not orphaned; it is already attached to the text.",
            )
        article = Article.objects.get(pk=annotation.article_id)
        check_span(article.text, start, end, quote)
        changes = {
            "start": {"before": annotation.start, "after": start},
            "end": {"before": annotation.end, "after": end},
            "revision": {"before": annotation.revision, "after": article.revision},
            "orphaned": {"before": True, "after": False},
        }
        if quote != annotation.quote:
            changes["quote"] = {"before": annotation.quote, "after": quote}
        if annotation.status != Status.PENDING:
            changes["status"] = {"before": annotation.status, "after": Status.PENDING}
            annotation.status = Status.PENDING
        annotation.start, annotation.end, annotation.quote = start, end, quote
        annotation.prefix, annotation.suffix = textlib.context(article.text, start, end)
        annotation.revision = article.revision
        annotation.orphaned = False
        _save_changes(annotation, None)
        _record(annotation, actor, Action.REATTACHED, changes=changes)
    return annotation


def _are_duplicates(a: Article, b: Article) -> bool:
    return a.near_duplicate_of_id == b.pk or b.near_duplicate_of_id == a.pk


def annotation_copy(*, original_id: int, article: Article, author) -> Annotation:
    """Apply a near duplicate's verdict to the same words in this article: a new pending
    annotation with the same verdict, note and evidence, linked to the original."""
    if not can_annotate(author):
        raise PermissionDenied("Only reviewers can annotate.")
    with transaction.atomic():
        # Locking the original makes a double click create one copy, not two.
        original = (
            Annotation.objects.select_for_update().select_related("article").get(pk=original_id)
        )
        if not _are_duplicates(original.article, article):
            raise ValidationError(
                {"copied_from": "Verdicts are carried over only between near duplicates."}
            )
        if original.orphaned:
            raise ValidationError(
                {"copied_from": "That annotation is orphaned; re-attach it first."}
            )
        earlier = Annotation.objects.filter(
            article=article, copied_from=original, author=author
        ).first()
        if earlier is not None:
            message = f"You already applied this verdict here (annotation #{earlier.pk})."
            raise ValidationError({"copied_from": message})
        placement = anchoring.find_exact(
            article.text,
            anchoring.Anchor(
                original.start, original.end, original.quote, original.prefix, original.suffix
            ),
        )
        if placement is None:
            raise ValidationError({"quote": "The quoted words are not in this article."})
        return annotation_create(
            article=article,
            author=author,
            start=placement.start,
            end=placement.end,
            quote=original.quote,
            verdict=original.verdict,
            note=original.note,
            evidence=_evidence_list(original),
            copied_from=original,
        )
