"""Writes to an annotation by its author or a reviewer: create, edit, withdraw, re-attach
an orphan, copy a verdict to the same words in another article. Each one asks the rule
book (policy), validates, saves and records history in a single transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .. import policy
from ..lib import anchoring
from ..lib import text as textlib
from ..models import CLAIM_MAX, Action, Annotation, Article, EvidenceLink, Verdict
from ..policy import Act
from .events import lock_annotation, record_event, save_new_version
from .inputs import NOTE_MAX, Unprocessable, clean_evidence, clean_user_text

UNSET = object()


class QuoteMismatch(Unprocessable):
    """The quote sent does not match the article text at the offsets sent."""


def check_verdict(verdict: str, evidence: list[dict]) -> None:
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": f"Choose one of: {', '.join(Verdict.values)}."})
    if verdict == Verdict.DISPUTED and not evidence:
        raise Unprocessable({"evidence": "A disputed verdict needs at least one evidence link."})


def check_span(text: str, start: int, end: int, quote: str) -> None:
    """Offsets inside the text, a non-blank span, and the quote equal to text[start:end]."""
    if not (isinstance(start, int) and isinstance(end, int)):
        raise ValidationError({"start": "Offsets must be whole numbers."})
    if start < 0 or end > len(text) or start >= end:
        raise Unprocessable(
            {"start": f"The span {start}–{end} is outside the article text (0–{len(text)})."}
        )
    actual = text[start:end]
    if not actual.strip():
        raise Unprocessable({"quote": "Select some words, not just spaces."})
    if quote != actual:
        raise QuoteMismatch(
            {"quote": f"The text at {start}–{end} reads {actual[:200]!r}, not {quote[:200]!r}."}
        )


def lock_article(article_id: int) -> Article:
    """The article's current text, locked against a re-import until the transaction ends
    (a row lock on PostgreSQL; SQLite's IMMEDIATE transactions already hold the write lock)."""
    return Article.objects.select_for_update().only("id", "text", "revision").get(pk=article_id)


def evidence_list(annotation: Annotation) -> list[dict]:
    return [{"url": e.url, "title": e.title} for e in annotation.evidence.all()]


def clean_note(note) -> str:
    return clean_user_text(note or "", field="note", max_length=NOTE_MAX)


def clean_claim(claim) -> str:
    """The claim as phrased by the fact-checker: one line, spaces collapsed."""
    value = clean_user_text(claim or "", field="claim", max_length=CLAIM_MAX * 4)
    value = " ".join(value.split())
    if len(value) > CLAIM_MAX:
        raise ValidationError({"claim": f"At most {CLAIM_MAX} characters (75 recommended)."})
    return value


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
    client_key: str = "",
    claim: str = "",
) -> Annotation:
    """A new annotation. With a `client_key` the same draft sent twice (the first answer was
    lost) returns the annotation the first one made, and nothing is written again."""
    policy.check_annotate(author)
    if client_key:
        earlier = Annotation.all_objects.filter(author=author, client_key=client_key).first()
        if earlier is not None:
            return earlier
    note = clean_note(note)
    claim = clean_claim(claim)
    links = clean_evidence(evidence)
    check_verdict(verdict, links)
    try:
        with transaction.atomic():
            # Offsets are checked against the text as it is now, and the text cannot change
            # until this annotation is stored: a re-import waits, then re-anchors it.
            current = lock_article(article.pk)
            check_span(current.text, start, end, quote)
            prefix, suffix = textlib.context(current.text, start, end)
            annotation = Annotation(
                article=current,
                author=author,
                start=start,
                end=end,
                quote=quote,
                prefix=prefix,
                suffix=suffix,
                verdict=verdict,
                note=note,
                claim=claim,
                revision=current.revision,
                copied_from=copied_from,
                client_key=client_key,
            )
            annotation.full_clean()
            annotation.save()
            EvidenceLink.objects.bulk_create(
                EvidenceLink(annotation=annotation, **e) for e in links
            )
            changes = {
                "start": {"before": None, "after": start},
                "end": {"before": None, "after": end},
                "verdict": {"before": None, "after": verdict},
                "note": {"before": None, "after": note},
                "evidence": {"before": None, "after": links},
            }
            if claim:
                changes["claim"] = {"before": None, "after": claim}
            if copied_from is not None:
                record_event(
                    annotation,
                    author,
                    Action.COPIED,
                    changes=changes,
                    comment=f"Copied from annotation #{copied_from.pk} on article "
                    f"#{copied_from.article_id}.",
                )
            else:
                record_event(annotation, author, Action.CREATED, changes=changes)
    except IntegrityError:
        # The same draft arrived twice at once: the other request stored it.
        if not client_key:
            raise
        return Annotation.all_objects.get(author=author, client_key=client_key)
    annotation.article = article
    return annotation


def apply_fields(
    annotation: Annotation, *, verdict, note, evidence, claim=UNSET
) -> tuple[dict, list | None]:
    """Set the given fields; return the before/after of what changed and new evidence."""
    changes: dict = {}
    links = None
    current_links = evidence_list(annotation)
    if evidence is not UNSET:
        links = clean_evidence(evidence)
        if links != current_links:
            changes["evidence"] = {"before": current_links, "after": links}
        else:
            links = None
    if verdict is not UNSET and verdict != annotation.verdict:
        changes["verdict"] = {"before": annotation.verdict, "after": verdict}
        annotation.verdict = verdict
    if note is not UNSET:
        note = clean_note(note)
        if note != annotation.note:
            changes["note"] = {"before": annotation.note, "after": note}
            annotation.note = note
    if claim is not UNSET:
        claim = clean_claim(claim)
        if claim != annotation.claim:
            changes["claim"] = {"before": annotation.claim, "after": claim}
            annotation.claim = claim
    check_verdict(annotation.verdict, links if links is not None else current_links)
    return changes, links


def set_status(annotation: Annotation, act: str, changes: dict) -> None:
    """Move the annotation to the status the rule book gives for `act`."""
    status = policy.next_status(annotation.status, act)
    if status != annotation.status:
        changes["status"] = {"before": annotation.status, "after": status}
        annotation.status = status


def annotation_update(
    *,
    annotation_id: int,
    actor,
    expected_version: int | None,
    verdict=UNSET,
    note=UNSET,
    evidence=UNSET,
    claim=UNSET,
) -> Annotation:
    """The author edits verdict, note, evidence or claim. Editing after "changes requested"
    resubmits it for review. Approved and rejected annotations are locked."""
    with transaction.atomic():
        annotation = lock_annotation(annotation_id, expected_version)
        policy.check(actor, Act.EDIT, annotation)
        changes, links = apply_fields(
            annotation, verdict=verdict, note=note, evidence=evidence, claim=claim
        )
        if not changes:
            return annotation
        set_status(annotation, Act.EDIT, changes)
        save_new_version(annotation, links)
        record_event(annotation, actor, Action.EDITED, changes=changes)
    return annotation


def annotation_delete(*, annotation_id: int, actor, expected_version: int | None) -> None:
    """The author withdraws an annotation that is not approved. History is kept."""
    with transaction.atomic():
        annotation = lock_annotation(annotation_id, expected_version)
        policy.check(actor, Act.WITHDRAW, annotation)
        annotation.deleted = True
        annotation.version += 1
        annotation.save(update_fields=["deleted", "version", "updated"])
        record_event(
            annotation, actor, Action.DELETED, changes={"deleted": {"before": False, "after": True}}
        )


def annotation_reattach(
    *, annotation_id: int, actor, expected_version: int | None, start: int, end: int, quote: str
) -> Annotation:
    """Attach an orphan to a span the reviewer selected in the article's current text."""
    with transaction.atomic():
        annotation = lock_annotation(annotation_id, expected_version)
        policy.check(actor, Act.REATTACH, annotation)
        article = lock_article(annotation.article_id)
        check_span(article.text, start, end, quote)
        changes = {
            "start": {"before": annotation.start, "after": start},
            "end": {"before": annotation.end, "after": end},
            "revision": {"before": annotation.revision, "after": article.revision},
            "orphaned": {"before": True, "after": False},
        }
        if quote != annotation.quote:
            changes["quote"] = {"before": annotation.quote, "after": quote}
        set_status(annotation, Act.REATTACH, changes)
        annotation.start, annotation.end, annotation.quote = start, end, quote
        annotation.prefix, annotation.suffix = textlib.context(article.text, start, end)
        annotation.revision = article.revision
        annotation.orphaned = False
        save_new_version(annotation)
        record_event(annotation, actor, Action.REATTACHED, changes=changes)
    return annotation


def are_duplicates(a: Article, b: Article) -> bool:
    return a.near_duplicate_of_id == b.pk or b.near_duplicate_of_id == a.pk


def check_not_copied(original: Annotation, article: Article, author) -> None:
    """One copy of a verdict per reviewer and article: a second click changes nothing."""
    earlier = Annotation.objects.filter(article=article, copied_from=original, author=author)
    earlier = earlier.first()
    if earlier is not None:
        message = f"You already applied this verdict here (annotation #{earlier.pk})."
        raise ValidationError({"copied_from": message})


def annotation_copy(*, original_id: int, article: Article, author) -> Annotation:
    """Apply a near duplicate's verdict to the same words in this article: a new pending
    annotation with the same verdict, note and evidence, linked to the original."""
    policy.check_annotate(author)
    with transaction.atomic():
        # Locking the original makes a double click create one copy, not two.
        original = (
            Annotation.objects.select_for_update().select_related("article").get(pk=original_id)
        )
        if not are_duplicates(original.article, article):
            raise ValidationError(
                {"copied_from": "Verdicts are carried over only between near duplicates."}
            )
        policy.check(author, Act.COPY, original)
        check_not_copied(original, article, author)
        current = lock_article(article.pk)
        placement = anchoring.find_exact(
            current.text,
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
            evidence=evidence_list(original),
            copied_from=original,
            claim=original.claim,
        )
