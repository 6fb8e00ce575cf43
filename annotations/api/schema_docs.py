"""OpenAPI pieces shared by the views: error responses, headers and examples."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from .serializers import ConflictSerializer, ErrorSerializer, FieldErrorsSerializer


class StrictSerializerSchema(OpenApiSerializerExtension):
    """A StrictSerializer answers 400 to a field it does not know: the schema says so with
    `additionalProperties: false` (registered by being imported, as the views do)."""

    target_class = "annotations.api.serializers.StrictSerializer"
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        return schema | {"additionalProperties": False}


BAD_REQUEST = OpenApiResponse(
    FieldErrorsSerializer,
    description="Malformed input: bad JSON, unknown fields, wrong types, out-of-range values.",
    examples=[
        OpenApiExample(
            "Field errors",
            value={"start": ["Ensure this value is greater than or equal to 0."]},
            response_only=True,
            status_codes=["400"],
        )
    ],
)
UNAUTHENTICATED = OpenApiResponse(
    ErrorSerializer,
    description="No or bad credentials. Send `Authorization: Token <key>` or a session cookie.",
)
FORBIDDEN = OpenApiResponse(ErrorSerializer, description="Your role does not allow this.")
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such object.")
CONFLICT = OpenApiResponse(
    ConflictSerializer,
    description="The annotation changed since you saw it, or its status does not allow this.",
    examples=[
        OpenApiExample(
            "Already decided",
            value={
                "detail": "Already decided: this annotation is approved.",
                "current_version": 2,
                "status": "approved",
            },
            response_only=True,
            status_codes=["409"],
        )
    ],
)
PRECONDITION_FAILED = OpenApiResponse(
    ConflictSerializer,
    description="If-Match names no current version (someone changed the annotation, or the "
    "tag is not one this API issued; a weak tag never matches). Reload and retry.",
)
NOT_MODIFIED = OpenApiResponse(description="If-None-Match names the current version.")
PRECONDITION_REQUIRED = OpenApiResponse(
    ErrorSerializer, description="If-Match is missing: send the ETag you got."
)
QUOTE_MISMATCH = OpenApiResponse(
    FieldErrorsSerializer,
    description="Well-formed, but it does not fit: `quote` is not the article text at "
    "`start`–`end` (the message says what is), the span is outside the text or only spaces, "
    "the article does not exist, or a disputed verdict has no evidence link.",
    examples=[
        OpenApiExample(
            "Quote mismatch",
            value={"quote": ["The text at 10–16 reads 'bridge', not 'tunnel'."]},
            response_only=True,
            status_codes=["422"],
        )
    ],
)
UNPROCESSABLE = OpenApiResponse(
    FieldErrorsSerializer,
    description="Well-formed, but it does not fit the stored data or a rule joining two "
    "fields: a span outside the article text, a disputed verdict without evidence, a "
    "rejection without a comment.",
)

LIST_ERRORS = {400: BAD_REQUEST, 401: UNAUTHENTICATED}
READ_ERRORS = {401: UNAUTHENTICATED, 404: NOT_FOUND}
WRITE_ERRORS = {400: BAD_REQUEST, 401: UNAUTHENTICATED, 403: FORBIDDEN}

ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    response=[200],
    description='The annotation\'s version, quoted: `"3"`. Send it back in If-Match.',
)
ETAG_HEADER_201 = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    response=[201],
    description='The new annotation\'s version, quoted: `"1"`.',
)
IF_MATCH_REQUIRED = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=True,
    description='The ETag from your last GET, e.g. `"3"`; a list (`"2", "3"`) or `*` (any '
    "current version) also works (RFC 9110, strong comparison). Malformed: 400.",
    examples=[OpenApiExample("Version 1", value='"1"')],
)
IF_MATCH_OPTIONAL = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description='Optional ETag, e.g. `"3"`, a list, or `*`; 412 if it names no current version.',
)
IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description='ETags you hold, e.g. `"3"` (weak comparison) or `*`: 304 if one is current.',
)

CREATE_EXAMPLES = [
    OpenApiExample(
        "Disputed claim with evidence",
        request_only=True,
        value={
            "article": 1,
            "start": 28,
            "end": 44,
            "quote": "42 million euros",
            "verdict": "disputed",
            "note": "The council's budget says 61 million.",
            "evidence": [{"url": "https://example.org/budget.pdf", "title": "2025 budget"}],
        },
    ),
    OpenApiExample(
        "Created",
        response_only=True,
        status_codes=["201"],
        value={
            "id": 7,
            "article": 1,
            "start": 28,
            "end": 44,
            "quote": "42 million euros",
            "prefix": "The mayor said the bridge cost “",
            "suffix": "” — far above the estimate.\n",
            "verdict": "disputed",
            "note": "The council's budget says 61 million.",
            "evidence": [{"url": "https://example.org/budget.pdf", "title": "2025 budget"}],
            "status": "pending",
            "author": "rita",
            "created": "2026-11-23T15:04:05.123456Z",
            "updated": "2026-11-23T15:04:05.123456Z",
            "version": 1,
            "orphaned": False,
            "review_comment": "",
        },
    ),
]
UPDATE_EXAMPLES = [
    OpenApiExample(
        "Change the note",
        request_only=True,
        value={"note": "The budget line is on page 12."},
    ),
]
REVIEW_EXAMPLES = [
    OpenApiExample("Approve", request_only=True, value={"decision": "approve", "version": 1}),
    OpenApiExample(
        "Request changes",
        request_only=True,
        value={"decision": "request_changes", "comment": "Cite the budget itself.", "version": 1},
    ),
    OpenApiExample(
        "Fix and approve",
        request_only=True,
        value={"decision": "approve", "verdict": "opinion", "comment": "A forecast, not a claim."},
    ),
]
