"""Streamed exports: own-shape JSONL, W3C Web Annotations (JSON-LD), schema.org ClaimReview
and CSV. Rows come from one cursor as plain dicts, are mapped by `export_mapping` and dumped
with orjson, chunk by chunk, so memory stays flat and the first byte leaves at once."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

import django_filters
import orjson
from django.conf import settings
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import export_mapping as mapping
from ..models import Annotation, Status, Verdict
from ..roles import is_editor
from ..selectors import annotation_export_chunks, annotation_export_queryset
from .filters import AnnotationFilter

Chunks = Iterable[list[tuple[dict, list[dict]]]]

STATUS_ALL = "all"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ExportFilter(AnnotationFilter):
    """The annotation list's filters; `status=all` lifts the status filter (editors only)."""

    status = django_filters.ChoiceFilter(
        choices=[*Status.choices, (STATUS_ALL, "All")], method="filter_status"
    )

    def filter_status(self, queryset, name, value):
        if value == STATUS_ALL:
            return queryset
        # Compared through Lower() so that SQLite does not pick the (status, created) index:
        # a status matches a large share of the rows, and that index would need a sort of
        # all of them before the first row, where walking the primary key streams at once.
        return queryset.alias(status_value=Lower("status")).filter(status_value=value)


class ExportError(Exception):
    """Bad export parameters: `detail` is a field -> messages mapping, shown as is."""

    def __init__(self, detail: dict):
        super().__init__(detail)
        self.detail = detail


def parse_flag(value: str | None, *, name: str) -> bool:
    text = (value or "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ExportError({name: ["Use 1 or 0 (true or false)."]})


def export_queryset(params: Mapping[str, str]) -> QuerySet[Annotation]:
    """Filter live annotations by the list's query parameters; status defaults to approved."""
    data = {key: params[key] for key in params}
    data.setdefault("status", Status.APPROVED)
    errors: dict = {}
    try:
        include_orphans = parse_flag(data.pop("include_orphans", None), name="include_orphans")
    except ExportError as error:
        errors |= error.detail
        include_orphans = False
    filterset = ExportFilter(
        data=data, queryset=annotation_export_queryset(include_orphans=include_orphans)
    )
    if not filterset.is_valid():
        errors |= {name: list(messages) for name, messages in filterset.errors.items()}
    if errors:
        raise ExportError(errors)
    return filterset.qs


# Bodies: each yields bytes, one piece per chunk of rows. -------------------------------------


def jsonl_body(chunks: Chunks, ctx: mapping.ExportContext) -> Iterator[bytes]:
    dumps, to_own, newline = orjson.dumps, mapping.to_own, orjson.OPT_APPEND_NEWLINE
    for chunk in chunks:
        yield b"".join([dumps(to_own(row, links), option=newline) for row, links in chunk])


def jsonld_body(
    chunks: Chunks, ctx: mapping.ExportContext, *, collection_id: str
) -> Iterator[bytes]:
    """One AnnotationCollection with its only page embedded as `first`. The collection's
    opening goes out before any row is read, the total at the end once it is known; an
    empty collection has no page."""
    page_id = f"{collection_id}#page-1"
    head = {
        "@context": mapping.W3C_CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": "Fact-check annotations",
        "generated": ctx.generated,
    }
    page = {"id": page_id, "type": "AnnotationPage", "partOf": collection_id, "startIndex": 0}
    yield orjson.dumps(head)[:-1]
    dumps, to_w3c_chunk = orjson.dumps, mapping.to_w3c_chunk
    total = 0
    for chunk in chunks:
        items = b",".join([dumps(annotation) for annotation in to_w3c_chunk(chunk, ctx)])
        if not total:
            items = b',"first":' + dumps(page)[:-1] + b',"items":[' + items
        else:
            items = b"," + items
        yield items
        total += len(chunk)
    tail = {"total": total, "last": page_id} if total else {"total": 0}
    yield (b"]}," if total else b",") + dumps(tail)[1:] + b"\n"


def claimreview_body(chunks: Chunks, ctx: mapping.ExportContext) -> Iterator[bytes]:
    yield b"["
    first = True
    for chunk in chunks:
        reviews = (mapping.to_claimreview(row, links, ctx) for row, links in chunk)
        items = b",".join(orjson.dumps(r) for r in reviews if r is not None)
        if items:
            yield items if first else b"," + items
            first = False
    yield b"]\n"


def csv_body(chunks: Chunks, ctx: mapping.ExportContext) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(mapping.CSV_HEADER)
    for chunk in chunks:
        writer.writerows(mapping.to_csv_row(row, links) for row, links in chunk)
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():  # only the header: an empty export
        yield buffer.getvalue().encode()


@dataclass(frozen=True)
class ExportFormat:
    name: str
    content_type: str
    filename: str
    body: Callable[..., Iterator[bytes]]
    article_fields: tuple[str, ...]
    # ClaimReview covers claims only; opinions are left out in the query, not row by row.
    verdicts: tuple[str, ...] | None = None
    # What the OpenAPI schema says the body is: JSON documents are described as such, so
    # schema-driven clients (and checkers) parse them; line and table formats are text.
    schema_type: object = OpenApiTypes.STR


FORMATS = {
    f.name: f
    for f in (
        ExportFormat(
            "jsonl",
            "application/x-ndjson",
            "annotations.jsonl",
            jsonl_body,
            mapping.ARTICLE_KEYS["own"],
        ),
        ExportFormat(
            "jsonld",
            mapping.W3C_PROFILE,
            "annotations.jsonld",
            jsonld_body,
            mapping.ARTICLE_KEYS["w3c"],
            schema_type=OpenApiTypes.OBJECT,
        ),
        ExportFormat(
            "claimreview",
            "application/json",
            "claimreview.json",
            claimreview_body,
            mapping.ARTICLE_KEYS["claimreview"],
            verdicts=mapping.CLAIM_VERDICTS,
            schema_type={"type": "array", "items": {"type": "object"}},
        ),
        ExportFormat(
            "csv",
            "text/csv; charset=utf-8",
            "annotations.csv",
            csv_body,
            mapping.ARTICLE_KEYS["csv"],
        ),
    )
}
COLLECTION_PATH = "/api/v1/export/annotations.jsonld"


def export_context(base_url: str) -> mapping.ExportContext:
    return mapping.ExportContext(
        base_url=base_url.rstrip("/"),
        generated=mapping.iso(timezone.now()),
        org_name=settings.WORKBENCH_ORG_NAME,
        org_url=settings.WORKBENCH_ORG_URL,
    )


def export_chunks(fmt: ExportFormat, qs: QuerySet[Annotation]) -> Chunks:
    if fmt.verdicts is not None:
        qs = qs.filter(verdict__in=fmt.verdicts)
    return annotation_export_chunks(qs, article_fields=fmt.article_fields)


def export_stream(
    fmt: ExportFormat, chunks: Chunks, ctx: mapping.ExportContext, *, collection_id: str
) -> Iterator[bytes]:
    """The body of one export; the view and the management command both use it."""
    if fmt.name == "jsonld":
        return fmt.body(chunks, ctx, collection_id=collection_id)
    return fmt.body(chunks, ctx)


# The view -----------------------------------------------------------------------------------


class JSONErrorsOnly(BaseContentNegotiation):
    """The body's type is fixed by the URL; DRF only renders errors, always as JSON, so an
    `Accept: application/x-ndjson` header must not turn into a 406."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ExportView(APIView):
    """GET one export, streamed. Any signed-in user; `status=all` for editors."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONErrorsOnly
    format_name = "jsonl"

    def get(self, request):
        fmt = FORMATS[self.format_name]
        if request.query_params.get("status") == STATUS_ALL and not is_editor(request.user):
            return Response(
                {"detail": "Only editors can export annotations of every status."}, status=403
            )
        try:
            qs = export_queryset(request.query_params)
        except ExportError as error:
            return Response(error.detail, status=400)
        ctx = export_context(request.build_absolute_uri("/"))
        body = export_stream(
            fmt, export_chunks(fmt, qs), ctx, collection_id=request.build_absolute_uri()
        )
        response = StreamingHttpResponse(body, content_type=fmt.content_type)
        response["Content-Disposition"] = f'attachment; filename="{fmt.filename}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


_PARAMETERS = [
    OpenApiParameter("article", int, description="article id"),
    OpenApiParameter("verdict", str, enum=Verdict.values),
    OpenApiParameter(
        "status",
        str,
        enum=[*Status.values, STATUS_ALL],
        description="default approved; `all` for editors only",
    ),
    OpenApiParameter("author", str, description="username"),
    OpenApiParameter("updated_after", OpenApiTypes.DATETIME, description="ISO 8601"),
    OpenApiParameter("include_orphans", bool, description="also annotations that lost their span"),
]
_DESCRIPTIONS = {
    "jsonl": "Annotations in the project's own shape, one JSON object per line.",
    "jsonld": "A W3C Web Annotation AnnotationCollection with its page embedded.",
    "claimreview": "A JSON list of schema.org ClaimReview (verified and disputed only).",
    "csv": "One row per annotation; cells that would run as formulas start with '.",
}


def export_view(name: str):
    """The view for one format, with its own OpenAPI description and media type."""
    fmt = FORMATS[name]
    schema = extend_schema(
        operation_id=f"export_{name}",
        summary=f"Export ({fmt.filename})",
        description=_DESCRIPTIONS[name] + " Streamed; filters as the annotation list.",
        parameters=_PARAMETERS,
        responses={
            (200, fmt.content_type.split(";")[0]): OpenApiResponse(fmt.schema_type),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="bad filter values"),
            401: OpenApiResponse(OpenApiTypes.OBJECT, description="not logged in"),
            403: OpenApiResponse(OpenApiTypes.OBJECT, description="not allowed"),
        },
    )

    def get(self, request):  # a function of its own: extend_schema annotates it in place
        return ExportView.get(self, request)

    view = type(
        f"{name.title()}ExportView", (ExportView,), {"format_name": name, "get": schema(get)}
    )
    return view.as_view()
