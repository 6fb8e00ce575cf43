"""The export endpoints: GET one format, streamed, filtered like the annotation list."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import policy
from ..models import Status, Verdict
from . import pages
from .mapping import ExportContext
from .query import ExportError, ReadAhead, export_chunks, export_context, export_queryset
from .streaming import FORMATS, ExportFormat, export_stream

# What the OpenAPI schema says each body is: JSON documents are described as such, so
# schema-driven clients (and checkers) parse them; line and table formats are text.
SCHEMA_TYPES = {
    "jsonl": OpenApiTypes.STR,
    "jsonld": OpenApiTypes.OBJECT,
    "claimreview": {"type": "array", "items": {"type": "object"}},
    "csv": OpenApiTypes.STR,
}


class JSONErrorsOnly(BaseContentNegotiation):
    """The body's type is fixed by the URL; DRF only renders errors, always as JSON, so an
    `Accept: application/x-ndjson` header must not turn into a 406."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ExportView(APIView):
    """GET one export, streamed. Any signed-in user; statuses as policy.visible_statuses."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONErrorsOnly
    format_name = "jsonl"

    def get(self, request):
        fmt = FORMATS[self.format_name]
        wanted = request.query_params.get("status", Status.APPROVED)
        if wanted in (*Status.values, policy.STATUS_ALL) and not policy.may_see_status(
            request.user, wanted
        ):
            return Response({"detail": policy.STATUS_HIDDEN}, status=403)
        try:
            qs = export_queryset(
                request.query_params, statuses=policy.visible_statuses(request.user)
            )
        except ExportError as error:
            return Response(error.detail, status=400)
        ctx = export_context(request.build_absolute_uri("/"))
        collection_id = pages.collection_iri(
            request.build_absolute_uri(request.path), request.query_params
        )
        params = request.query_params
        if fmt.name == "jsonld" and ("page" in params or "page_size" in params):
            try:
                body, chunks = paged_body(fmt, qs, ctx, collection_id, request.query_params)
            except pages.PageError as error:
                code = 404 if isinstance(error, pages.NoSuchPage) else 400
                return Response({"detail": str(error)}, status=code)
        else:
            chunks = export_chunks(fmt, qs)
            body = export_stream(fmt, chunks, ctx, collection_id=collection_id)
        if request.META.get("SERVER_PROTOCOL") == "HTTP/1.0":
            # No chunked transfer in HTTP/1.0: a stream cut short by a failure would end
            # like a whole file. Build the body first, so a failure is a 500 before any
            # byte (this client trades the flat memory of streaming for that).
            try:
                response = HttpResponse(b"".join(body), content_type=fmt.content_type)
            finally:
                chunks.close()  # the cursor ends here, also when a row failed
        else:
            response = StreamingHttpResponse(body, content_type=fmt.content_type)
        response["Content-Disposition"] = f'attachment; filename="{fmt.filename}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        if not ctx.public:
            # Said, not hidden: the links point at the API, which needs a login.
            response["X-Public-Pages"] = "off; links point at the API"
        return response


def paged_body(
    fmt: ExportFormat, qs: QuerySet, ctx: ExportContext, collection_id: str, params: Mapping
) -> tuple[Iterator[bytes], ReadAhead]:
    """One AnnotationPage of the W3C export (`?page=N&page_size=M`, from 0), and its rows."""
    page = pages.whole_number(params.get("page"), name="page", default=0, low=0, high=10**9)
    size = pages.page_size(params)
    paging = pages.Paging(collection_id, total=qs.count(), size=size)
    head = paging.page_head(page, part_of=paging.collection_head())
    window = qs[page * size : (page + 1) * size]
    chunks = export_chunks(fmt, window)
    return pages.page_body(chunks, ctx, head, iris=False), chunks


_PARAMETERS = [
    OpenApiParameter("article", int, description="article id"),
    OpenApiParameter("verdict", str, enum=Verdict.values),
    OpenApiParameter(
        "status",
        str,
        enum=[*Status.values, policy.STATUS_ALL],
        description="default approved; other statuses and `all` for reviewers and editors",
    ),
    OpenApiParameter("author", str, description="username"),
    OpenApiParameter("updated_after", OpenApiTypes.DATETIME, description="ISO 8601"),
    OpenApiParameter("include_orphans", bool, description="also annotations that lost their span"),
]
_PAGING = [
    OpenApiParameter("page", int, description="one AnnotationPage, from 0"),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": pages.PAGE_SIZE_MAX},
        description="annotations a page: 1 to 1,000, default 100",
    ),
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
        parameters=_PARAMETERS + (_PAGING if name == "jsonld" else []),
        responses={
            (200, fmt.content_type.split(";")[0]): OpenApiResponse(SCHEMA_TYPES[name]),
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="bad filter values"),
            404: OpenApiResponse(OpenApiTypes.OBJECT, description="no such page (W3C pages)"),
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
