"""The API's JSON shapes. Input serializers check shape and types only; services decide."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from annotations import selectors, services
from annotations.exports import mapping
from annotations.models import CLAIM_MAX, URL_MAX, Annotation, Article, ReviewEvent, Status, Verdict

from ..params import ID_MAX

# Offsets are stored in a 32-bit integer column; larger numbers are refused up front.
OFFSET_MAX = 2**31 - 1
CLAIM_HELP = (
    "The claim as the fact-checker phrases it, for ClaimReview's claimReviewed (75 "
    "characters or fewer recommended); blank: the quote stands in."
)


def claim_field() -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_blank=True, max_length=CLAIM_MAX, help_text=CLAIM_HELP
    )


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know (or may not be set) instead of dropping them."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(str(key) for key in data if key not in writable)
            if unknown:
                raise serializers.ValidationError(
                    {key: ["Unknown field, or one that cannot be set."] for key in unknown}
                )
        return super().to_internal_value(data)


# Output ---------------------------------------------------------------------------------


class EvidenceSerializer(StrictSerializer):
    url = serializers.CharField(max_length=URL_MAX, help_text="An http or https link.")
    title = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class VerdictCountsSerializer(serializers.Serializer):
    verified = serializers.IntegerField(source="n_verified")
    disputed = serializers.IntegerField(source="n_disputed")
    opinion = serializers.IntegerField(source="n_opinion")


class StatusCountsSerializer(serializers.Serializer):
    pending = serializers.IntegerField(source="n_pending")
    approved = serializers.IntegerField(source="n_approved")
    rejected = serializers.IntegerField(source="n_rejected")
    changes_requested = serializers.IntegerField(source="n_changes_requested")


class SnippetSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="Words around the match, from the title or text.")
    marks = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2),
        help_text="[start, end) code point offsets into `text` of the matched words.",
    )


class ArticleSerializer(serializers.ModelSerializer):
    # Blank when the source file named no link, so not declared as a URI.
    url = serializers.CharField(read_only=True, help_text="The article's link, or blank.")
    verdict_counts = VerdictCountsSerializer(source="*", read_only=True)
    status_counts = StatusCountsSerializer(source="*", read_only=True)
    snippet = serializers.SerializerMethodField(
        help_text="With `?q=`: where the words are, matches marked; null otherwise."
    )

    @extend_schema_field(SnippetSerializer(allow_null=True))
    def get_snippet(self, article) -> dict | None:
        snippet = self.context.get("snippets", {}).get(article.pk)
        return snippet.as_dict() if snippet is not None else None

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "source",
            "url",
            "published",
            "content_hash",
            "near_duplicate_of",
            "created",
            "verdict_counts",
            "status_counts",
            "snippet",
        ]
        read_only_fields = fields


class ArticleDetailSerializer(ArticleSerializer):
    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "text"]
        read_only_fields = fields


class AnnotationSerializer(serializers.Serializer):
    """The annotation's JSON: written by the one mapping the JSONL export uses too
    (exports.mapping.to_own); the fields below describe it for the schema."""

    id = serializers.IntegerField(read_only=True)
    article = serializers.IntegerField(read_only=True)
    start = serializers.IntegerField(read_only=True)
    end = serializers.IntegerField(read_only=True)
    quote = serializers.CharField(read_only=True)
    prefix = serializers.CharField(read_only=True)
    suffix = serializers.CharField(read_only=True)
    verdict = serializers.ChoiceField(choices=Verdict.choices, read_only=True)
    note = serializers.CharField(read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    author = serializers.CharField(read_only=True, help_text="The author's username.")
    created = serializers.DateTimeField(read_only=True)
    updated = serializers.DateTimeField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    orphaned = serializers.BooleanField(
        read_only=True, help_text="True if a re-import could not place the span in the new text."
    )
    revision = serializers.IntegerField(
        read_only=True, help_text="The article revision whose text the offsets point into."
    )
    review_comment = serializers.CharField(
        read_only=True, help_text="The editor's comment on the latest decision."
    )
    claim = serializers.CharField(read_only=True, help_text=CLAIM_HELP)

    def to_representation(self, instance: Annotation) -> dict:
        ((row, evidence),) = selectors.annotation_rows([instance])
        return mapping.to_own(row, evidence)


class ReviewEventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True)
    changes = serializers.JSONField(
        read_only=True, help_text='{"field": {"before": …, "after": …}} for each field changed.'
    )

    class Meta:
        model = ReviewEvent
        fields = ["id", "actor", "action", "comment", "changes", "version", "created"]
        read_only_fields = fields


# Input ----------------------------------------------------------------------------------


class AnnotationCreateSerializer(StrictSerializer):
    article = serializers.IntegerField(min_value=1, max_value=ID_MAX, help_text="Article id.")
    start = serializers.IntegerField(
        min_value=0, max_value=OFFSET_MAX, help_text="Code point offset into the article text."
    )
    end = serializers.IntegerField(
        min_value=1, max_value=OFFSET_MAX, help_text="Code point offset, exclusive."
    )
    quote = serializers.CharField(
        trim_whitespace=False,
        min_length=1,
        help_text="Exactly the article text between start and end.",
    )
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=services.NOTE_MAX
    )
    evidence = EvidenceSerializer(
        many=True, required=False, help_text="A disputed verdict needs at least one link."
    )
    claim = claim_field()

    def create_fields(self) -> dict:
        """The validated fields for services.annotation_create, the article looked up: one
        that does not exist is a well-formed request that does not fit the data (422)."""
        data = dict(self.validated_data)
        article = Article.objects.filter(pk=data["article"]).only("id", "text", "revision")
        data["article"] = article.first()
        if data["article"] is None:
            raise services.Unprocessable({"article": "No article with this id."})
        return data


class AnnotationUpdateSerializer(StrictSerializer):
    verdict = serializers.ChoiceField(choices=Verdict.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=services.NOTE_MAX)
    evidence = EvidenceSerializer(many=True, required=False)
    claim = claim_field()


class ReviewSerializer(StrictSerializer):
    decision = serializers.ChoiceField(choices=list(services.DECISIONS))
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=services.NOTE_MAX,
        help_text="Required to reject or request changes.",
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=OFFSET_MAX,
        help_text="The version you reviewed; 409 if the annotation changed since.",
    )
    verdict = serializers.ChoiceField(
        choices=Verdict.choices, required=False, help_text="Fix-and-approve only."
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=services.NOTE_MAX,
        help_text="Fix-and-approve only.",
    )
    evidence = EvidenceSerializer(many=True, required=False, help_text="Fix-and-approve only.")
    claim = claim_field()


# Errors (for the schema) ----------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong.")


class FieldErrorsSerializer(serializers.Serializer):
    """Either {"detail": …} or one list of messages per field that was refused."""

    detail = serializers.CharField(required=False)


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    current_version = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Status.choices, required=False)
