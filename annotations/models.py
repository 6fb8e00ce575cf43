"""Articles, the annotations on them, their evidence and their append-only history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

REVIEWER_GROUP = "reviewer"
EDITOR_GROUP = "editor"
CONTEXT_MAX = 32
URL_MAX = 2048
# The claim as a fact-checker phrases it, for ClaimReview's claimReviewed: search engines
# recommend at most 75 characters; longer is allowed up to CLAIM_MAX.
CLAIM_RECOMMENDED = 75
CLAIM_MAX = 150


class Article(models.Model):
    title = models.CharField(max_length=300)
    source = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=URL_MAX, blank=True)
    published = models.DateField(null=True, blank=True)
    text = models.TextField(help_text="Normalised body; annotation offsets point into it.")
    content_hash = models.CharField(max_length=64, unique=True)
    source_file = models.CharField(max_length=500, blank=True, db_index=True)
    near_duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="near_duplicates"
    )
    # Bumped when a re-import replaces the text; earlier texts live in ArticleRevision.
    revision = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published", "-created", "-id"]

    def __str__(self) -> str:
        return self.title


class ArticleRevision(models.Model):
    """An earlier text of an article, kept so orphaned annotations still point somewhere."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    text = models.TextField()
    content_hash = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="revision_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.article_id} r{self.number}"


class ArticleShingles(models.Model):
    """An article's entry in the near-duplicate index: how many distinct word shingles its
    text has (lib/dedupe.py). Its shingles are ArticleShingle rows."""

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, primary_key=True, related_name="shingle_index"
    )
    size = models.PositiveIntegerField()
    revision = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"article {self.article_id}: {self.size} shingles"


class ArticleShingle(models.Model):
    """One hashed word shingle of an article: an n-gram table, so a new text finds the
    articles it overlaps through the hash index instead of re-reading every text."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+", db_index=False)
    # The shingle's 64-bit hash as a signed integer (the column is signed).
    hash = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "hash"], name="article_shingle_unique")
        ]
        indexes = [models.Index(fields=["hash"], name="article_shingle_hash")]

    def __str__(self) -> str:
        return f"article {self.article_id}: {self.hash}"


class Verdict(models.TextChoices):
    VERIFIED = "verified", "Verified"
    DISPUTED = "disputed", "Disputed"
    OPINION = "opinion", "Opinion"


class Status(models.TextChoices):
    PENDING = "pending", "Pending"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"


class LiveAnnotationManager(models.Manager):
    """Withdrawn annotations stay in the table so their history stays whole."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted=False)


class Annotation(models.Model):
    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="annotations")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="annotations"
    )
    start = models.PositiveIntegerField(help_text="Code point offset into article.text.")
    end = models.PositiveIntegerField(help_text="Code point offset, exclusive.")
    quote = models.TextField()
    prefix = models.CharField(max_length=CONTEXT_MAX, blank=True)
    suffix = models.CharField(max_length=CONTEXT_MAX, blank=True)
    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    note = models.TextField(blank=True)
    claim = models.CharField(
        max_length=CLAIM_MAX,
        blank=True,
        default="",
        # Also the database's default, so rows written by raw SQL (benchmarks, bulk loads)
        # that predate the column stay valid.
        db_default="",
        help_text="The claim as the fact-checker phrases it; the quote stands in when blank.",
    )
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.PENDING)
    # The editor's comment on the latest decision, shown on the reviewer's card.
    review_comment = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    # Which article revision the offsets point into; differs from article.revision only
    # for an orphan that could not be re-anchored into the current text.
    revision = models.PositiveIntegerField(default=1)
    orphaned = models.BooleanField(default=False)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    deleted = models.BooleanField(default=False)
    # The browser's key for one draft: a save sent again (its answer was lost) finds the
    # annotation it already made instead of making a second one.
    client_key = models.CharField(max_length=64, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True, db_index=True)

    objects = LiveAnnotationManager()
    all_objects = models.Manager()  # noqa: DJ012 (a second manager, not a field)

    class Meta:
        ordering = ["start", "end", "id"]
        base_manager_name = "all_objects"
        constraints = [
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(end__gt=F("start")), name="annotation_span_valid"
            ),
            models.CheckConstraint(
                condition=Q(verdict__in=Verdict.values), name="annotation_verdict_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="annotation_status_valid"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="annotation_version_valid"),
            models.UniqueConstraint(
                fields=["author", "client_key"],
                condition=~Q(client_key=""),
                name="annotation_unique_client_key",
            ),
        ]
        indexes = [
            models.Index(fields=["article", "start"], name="annotation_article_start"),
            models.Index(fields=["status", "created"], name="annotation_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.verdict}: {self.quote[:40]}"


class EvidenceLink(models.Model):
    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="evidence")
    url = models.CharField(max_length=URL_MAX)
    title = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(url__startswith="http://") | Q(url__startswith="https://"),
                name="evidence_url_http",
            ),
        ]

    def __str__(self) -> str:
        return self.url


class Action(models.TextChoices):
    CREATED = "created", "Created"
    EDITED = "edited", "Edited"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    REOPENED = "reopened", "Reopened"
    DELETED = "deleted", "Deleted"
    REANCHORED = "reanchored", "Re-anchored"
    ORPHANED = "orphaned", "Orphaned"
    REATTACHED = "reattached", "Re-attached"
    COPIED = "copied", "Copied from duplicate"


class AppendOnlyError(RuntimeError):
    pass


class ReviewEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("review events are append-only")

    def delete(self):
        raise AppendOnlyError("review events are append-only")


class ReviewEvent(models.Model):
    """One change to an annotation. Rows are only ever inserted."""

    annotation = models.ForeignKey(Annotation, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_events"
    )
    action = models.CharField(max_length=24, choices=Action.choices)
    comment = models.TextField(blank=True)
    # {"field": {"before": ..., "after": ...}} for the fields this change touched.
    changes = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(help_text="Annotation version after this change.")
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ReviewEventQuerySet.as_manager()

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=Action.values), name="reviewevent_action_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} #{self.annotation_id} v{self.version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("review events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("review events are append-only")


class ApiToken(models.Model):
    """An API key. Only its SHA-256 is stored; the key itself is shown once, at creation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    # The first characters of the key, so an operator can tell tokens apart when revoking.
    prefix = models.CharField(max_length=8, db_index=True)
    name = models.CharField(max_length=100, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"


class ArticleSentence(models.Model):
    """One sentence of an article's current text: the unit similar claims are looked up by.
    Rebuilt on import and re-import (services/search.py); the full-text index over it is
    kept by the database (selectors/search_schema.py)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sentences")
    start = models.PositiveIntegerField(help_text="Code point offset into article.text.")
    end = models.PositiveIntegerField(help_text="Code point offset, exclusive.")
    text = models.TextField()

    class Meta:
        ordering = ["article", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(end__gt=F("start")), name="sentence_span_valid"
            ),
        ]
        indexes = [models.Index(fields=["article", "start"], name="sentence_article_start")]

    def __str__(self) -> str:
        return f"{self.article_id}:{self.start}-{self.end}"


class LoginCounter(models.Model):
    """A login-throttle counter (workbench/throttle.py) kept in the database, so every app
    process shares it when no Redis is configured: login posts of one address, failed
    logins of one username. `key` is a hash; a row past `expires` counts as zero."""

    key = models.CharField(max_length=64, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key[:12]}… {self.count} until {self.expires:%H:%M:%S}"
