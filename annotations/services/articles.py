"""Writes to articles: import a file's text, and store a changed text as a new revision,
re-anchoring its annotations (what cannot be placed is orphaned, never guessed)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from ..lib import anchoring, dedupe
from ..lib import text as textlib
from ..models import Action, Annotation, Article, ArticleRevision
from ..policy import Act
from . import shingles
from .annotations import set_status
from .events import record_event
from .search import article_sentences_index


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

    hashes = dedupe.shingles(parsed.body)
    duplicate_of = find_near_duplicate(parsed.body, hashes=hashes)
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
        shingles.shingles_store(article=article, hashes=hashes)
        article_sentences_index(article=article)
    return ImportResult(article, created=True, near_duplicate_of=duplicate_of)


def find_near_duplicate(body: str, *, hashes: frozenset[int] | None = None) -> Article | None:
    """The earliest stored article whose text mostly contains this one, or is contained:
    looked up in the shingle index (services/shingles.py), not by re-reading every text."""
    shingles.index_missing()
    found = shingles.near_duplicate_id(dedupe.shingles(body) if hashes is None else hashes)
    return None if found is None else Article.objects.get(pk=found)


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
        article_sentences_index(article=article)
        summary = _reanchor_annotations(article, old_text, old_revision, actor)
        shingles.shingles_store(article=article)
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
    set_status(annotation, Act.ORPHAN, changes)
    annotation.orphaned = True
    annotation.version += 1
    annotation.full_clean(exclude=_RECHECKED)
    annotation.save()
    record_event(
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
    status = annotation.status
    set_status(annotation, Act.REQUOTE if quote != annotation.quote else Act.REANCHOR, changes)
    if annotation.status != status:
        comment += " The quoted words changed, so it is back for review."
    annotation.start, annotation.end, annotation.quote = after
    annotation.prefix, annotation.suffix = prefix, suffix
    annotation.revision = article.revision
    annotation.version += 1
    annotation.full_clean(exclude=_RECHECKED)
    annotation.save()
    record_event(annotation, actor, Action.REANCHORED, changes=changes, comment=comment)
    return True
