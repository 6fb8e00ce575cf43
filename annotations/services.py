"""Every write to the workbench's data. Each one validates, saves and records history
in a single transaction, and refuses stale or unauthorised changes instead of guessing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import anchoring, keys
from . import text as textlib
from .models import (
    Action,
    Annotation,
    ApiToken,
    Article,
    ArticleRevision,
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


class QuoteMismatch(ValidationError):
    """The quote sent does not match the article text at the offsets sent."""


# Articles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReanchorSummary:
    """What a new revision of an article's text did to its annotations."""

    revision: int
    moved: int = 0
    fuzzy: int = 0
    orphaned: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class ImportResult:
    article: Article
    created: bool
    near_duplicate_of: Article | None = None
    # Set when the file replaced the text of an existing article.
    reanchored: ReanchorSummary | None = None

    @property
    def updated(self) -> bool:
        return self.reanchored is not None


def article_import(
    *, raw: bytes, source_file: str, article_id: int | None = None, actor=None
) -> ImportResult:
    """Create an article from a file's bytes, or return the existing one with that text.

    A changed text for the article loaded from the same `source_file` (or for
    `article_id`) becomes its new revision, and its annotations are re-anchored."""
    if not raw.strip():
        raise textlib.ArticleFileError("empty file")
    if textlib.looks_binary(raw):
        raise textlib.ArticleFileError("binary file, not article text")
    normalised = textlib.normalise(raw)
    parsed = textlib.parse_article(normalised, fallback_title=Path(source_file).stem)
    digest = textlib.content_hash(parsed.body)

    if article_id is not None:
        target = Article.objects.filter(pk=article_id).first()
        if target is None:
            raise textlib.ArticleFileError(f"there is no article #{article_id}")
    else:
        target = Article.objects.filter(source_file=source_file[:500]).order_by("id").first()
    existing = Article.objects.filter(content_hash=digest).first()
    if existing is not None and target is not None and existing.pk != target.pk:
        raise textlib.ArticleFileError(
            f"the new text of article #{target.pk} is exactly the text of article "
            f"#{existing.pk}; not replacing it"
        )
    if existing is not None:
        return ImportResult(existing, created=False, near_duplicate_of=existing.near_duplicate_of)
    if target is not None:
        return article_replace_text(
            article_id=target.pk, parsed=parsed, source_file=source_file, actor=actor
        )

    duplicate_of = find_near_duplicate(parsed.body)
    article = Article(
        title=parsed.title,
        source=parsed.source,
        published=parsed.published,
        text=parsed.body,
        content_hash=digest,
        source_file=source_file[:500],
        near_duplicate_of=duplicate_of,
    )
    article.full_clean()
    with transaction.atomic():
        article.save()
    return ImportResult(article, created=True, near_duplicate_of=duplicate_of)


def find_near_duplicate(body: str) -> Article | None:
    """The earliest stored article whose text mostly contains this one, or is contained."""
    mine = textlib.shingles(body)
    for other_id, other_text in Article.objects.order_by("id").values_list("id", "text"):
        if textlib.is_near_duplicate(mine, textlib.shingles(other_text)):
            return Article.objects.get(pk=other_id)
    return None


IMPORTER_USERNAME = "importer"


def importer_user():
    """The account that re-anchoring is recorded under: it cannot log in."""
    user, created = get_user_model().objects.get_or_create(
        username=IMPORTER_USERNAME, defaults={"is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def article_replace_text(
    *, article_id: int, parsed: textlib.ParsedArticle, source_file: str = "", actor=None
) -> ImportResult:
    """Store a changed text as the article's next revision (the old text is kept) and
    re-anchor every annotation; what cannot be placed is orphaned, never guessed."""
    actor = actor or importer_user()
    digest = textlib.content_hash(parsed.body)
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_id)
        if article.content_hash == digest:
            return ImportResult(article, created=False, near_duplicate_of=article.near_duplicate_of)
        clash = Article.objects.filter(content_hash=digest).exclude(pk=article.pk).first()
        if clash is not None:
            raise textlib.ArticleFileError(
                f"the new text of article #{article.pk} is exactly the text of article "
                f"#{clash.pk}; not replacing it"
            )
        old_text, old_revision = article.text, article.revision
        ArticleRevision.objects.create(
            article=article, number=old_revision, text=old_text, content_hash=article.content_hash
        )
        article.text = parsed.body
        article.content_hash = digest
        article.revision = old_revision + 1
        article.title = parsed.title or article.title
        article.published = parsed.published or article.published
        article.source = parsed.source or article.source
        if source_file:
            article.source_file = source_file[:500]
        article.full_clean()
        try:
            with transaction.atomic():
                article.save()
        except IntegrityError:
            # Another import stored this very text a moment ago.
            raise textlib.ArticleFileError(
                f"the new text of article #{article.pk} is already another article's text; "
                "not replacing it"
            ) from None
        summary = _reanchor_annotations(article, old_text, old_revision, actor)
    return ImportResult(
        article,
        created=False,
        near_duplicate_of=article.near_duplicate_of,
        reanchored=summary,
    )


def _reanchor_annotations(article: Article, old_text: str, old_revision: int, actor):
    annotations = list(
        Annotation.objects.select_for_update()
        .filter(article=article, orphaned=False, revision=old_revision)
        .order_by("id")
    )
    placements = anchoring.reanchor(
        old_text,
        article.text,
        (anchoring.Anchor(a.start, a.end, a.quote, a.prefix, a.suffix) for a in annotations),
    )
    counts = {"moved": 0, "fuzzy": 0, "orphaned": 0, "unchanged": 0}
    untouched = []
    for annotation, placement in zip(annotations, placements, strict=True):
        if placement.orphaned:
            _orphan(annotation, actor, placement, article.revision)
            counts["orphaned"] += 1
        elif _move(annotation, actor, placement, article):
            counts["fuzzy" if placement.method == anchoring.FUZZY else "moved"] += 1
        else:
            untouched.append(annotation.pk)
            counts["unchanged"] += 1
    # Same offsets and context: they now simply point into the new revision.
    Annotation.objects.filter(pk__in=untouched).update(revision=article.revision)
    return ReanchorSummary(revision=article.revision, **counts)


_RECHECKED = ["article", "author", "copied_from"]


def _orphan(annotation: Annotation, actor, placement, revision: int) -> None:
    changes = {"orphaned": {"before": False, "after": True}}
    if annotation.status != Status.PENDING:
        changes["status"] = {"before": annotation.status, "after": Status.PENDING}
        annotation.status = Status.PENDING
    annotation.orphaned = True
    annotation.version += 1
    annotation.full_clean(exclude=_RECHECKED)
    annotation.save()
    _record(
        annotation,
        actor,
        Action.ORPHANED,
        changes=changes,
        comment=f"Not found in revision {revision} of the article (best score "
        f"{placement.score:.2f}); it still points into revision {annotation.revision}.",
    )


def _move(annotation: Annotation, actor, placement, article: Article) -> bool:
    """Apply a placement; False when nothing but the revision number changes."""
    quote = article.text[placement.start : placement.end]
    prefix, suffix = textlib.context(article.text, placement.start, placement.end)
    before = (annotation.start, annotation.end, annotation.quote)
    after = (placement.start, placement.end, quote)
    if before == after and (annotation.prefix, annotation.suffix) == (prefix, suffix):
        return False
    changes = {
        field: {"before": old, "after": new}
        for field, old, new in zip(("start", "end", "quote"), before, after, strict=True)
        if old != new
    }
    changes["revision"] = {"before": annotation.revision, "after": article.revision}
    changes["method"] = {"before": None, "after": placement.method}
    changes["score"] = {"before": None, "after": round(placement.score, 4)}
    comment = (
        f"Re-anchored into revision {article.revision} ({placement.method} match, "
        f"score {placement.score:.2f})."
    )
    # The verdict was given on other words: it needs a fresh review.
    if quote != annotation.quote and annotation.status != Status.PENDING:
        changes["status"] = {"before": annotation.status, "after": Status.PENDING}
        annotation.status = Status.PENDING
        comment += " The quoted words changed, so it is back for review."
    annotation.start, annotation.end, annotation.quote = after
    annotation.prefix, annotation.suffix = prefix, suffix
    annotation.revision = article.revision
    annotation.version += 1
    annotation.full_clean(exclude=_RECHECKED)
    annotation.save()
    _record(annotation, actor, Action.REANCHORED, changes=changes, comment=comment)
    return True


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
        raise Conflict(
            f"This annotation was changed since you opened it (now version "
            f"{annotation.version}, you had {expected_version}). Reload and try again.",
            current_version=annotation.version,
            status=annotation.status,
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
            raise Conflict(
                f"This annotation is {annotation.get_status_display().lower()}; "
                "it can no longer be edited.",
                current_version=annotation.version,
                status=annotation.status,
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
            raise Conflict(
                "An approved annotation cannot be withdrawn.",
                current_version=annotation.version,
                status=annotation.status,
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
            raise Conflict(
                f"Already decided: this annotation is {annotation.get_status_display().lower()}.",
                current_version=annotation.version,
                status=annotation.status,
            )
        _check_version(annotation, expected_version)
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
            raise Conflict(
                "This annotation is already pending.",
                current_version=annotation.version,
                status=annotation.status,
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
            raise Conflict(
                "This annotation is not orphaned; it is already attached to the text.",
                current_version=annotation.version,
                status=annotation.status,
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


# API tokens ----------------------------------------------------------------------------

# last_used is a hint for operators, not an audit log: write it at most this often so a
# busy client does not turn every read into a write.
TOKEN_TOUCH_INTERVAL = dt.timedelta(minutes=5)


def api_token_create(*, user, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for the user; return it with the plain key, which is never stored."""
    if not user.is_active:
        raise ValidationError({"user": "This account is inactive."})
    name = clean_plain_text(name or "", field="name", max_length=100).strip()
    key = keys.new_key()
    token = ApiToken(user=user, key_hash=keys.key_hash(key), prefix=keys.key_prefix(key), name=name)
    token.full_clean()
    with transaction.atomic():
        token.save()
    return token, key


def api_token_revoke(*, prefix: str, user=None) -> int:
    """Revoke the live tokens whose key starts with prefix (optionally only the user's)."""
    prefix = (prefix or "").strip()
    if len(prefix) != keys.PREFIX_LENGTH:
        raise ValidationError({"prefix": f"Give the first {keys.PREFIX_LENGTH} characters."})
    tokens = ApiToken.objects.filter(prefix=prefix, revoked__isnull=True)
    if user is not None:
        tokens = tokens.filter(user=user)
    with transaction.atomic():
        return tokens.update(revoked=timezone.now())


def api_token_touch(*, token: ApiToken) -> None:
    """Record that the token was used, at most once per TOKEN_TOUCH_INTERVAL."""
    now = timezone.now()
    if token.last_used is not None and now - token.last_used < TOKEN_TOUCH_INTERVAL:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    token.last_used = now
