"""The Web Annotation Protocol, read side, at the annotations' own URLs: content
negotiation (the anno profile gets W3C JSON-LD, anything else the project's JSON), the
protocol's headers, and the annotation container with `Prefer` and real pages.

Anonymous readers get approved, attached verdicts while the public site is on
(policy.is_public); everything else needs a login and answers 401 to them, whether it
exists or not, so nothing leaks."""

from __future__ import annotations

import orjson
from django.http import HttpResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotAuthenticated, NotFound, ParseError, PermissionDenied
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.views import APIView

from annotations import policy, selectors
from annotations.exports import mapping, pages
from annotations.exports.query import ExportError, export_chunks, export_context, export_queryset
from annotations.exports.streaming import FORMATS
from annotations.exports.views import JSONErrorsOnly

from . import schema_docs as docs
from .conditional import parse_tags
from .filters import ID_MAX

ANNO_PROFILE = "http://www.w3.org/ns/anno.jsonld"
LDP_RESOURCE = '<http://www.w3.org/ns/ldp#Resource>; rel="type"'
LDP_CONTAINER = (
    '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type", '
    '<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"'
)
ANNOTATION_ALLOW = "GET, HEAD, OPTIONS, PATCH, DELETE"
CONTAINER_ALLOW = "GET, HEAD, OPTIONS, POST"
PREFER_IRIS = "http://www.w3.org/ns/oa#PreferContainedIRIs"
PREFER_DESCRIPTIONS = "http://www.w3.org/ns/oa#PreferContainedDescriptions"
PREFER_MINIMAL = "http://www.w3.org/ns/ldp#PreferMinimalContainer"
CONTAINER_CONTEXT = [*mapping.W3C_CONTEXT_VALUE[:1], "http://www.w3.org/ns/ldp.jsonld"]
CONTAINER_CONTEXT.append(mapping.W3C_CONTEXT_VALUE[1])
VARY = "Accept, Prefer, Authorization, Cookie"
W3C = FORMATS["jsonld"]


def _media_ranges(header: str) -> list[tuple[str, dict[str, str], float]]:
    """(type, parameters, q) of each media range in an Accept header."""
    ranges = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        params: dict[str, str] = {}
        for piece in pieces[1:]:
            name, _, value = piece.partition("=")
            params[name.strip().lower()] = value.strip().strip('"')
        try:
            q = float(params.pop("q", "1"))
        except ValueError:
            q = 0.0
        ranges.append((media, params, q))
    return ranges


def wants_w3c(request) -> bool:
    """True when Accept prefers JSON-LD with the anno profile (or no profile) to plain JSON."""
    best_ld = best_json = 0.0
    for media, params, q in _media_ranges(request.headers.get("Accept", "")):
        if media == "application/ld+json":
            profiles = params.get("profile", ANNO_PROFILE).split()
            if ANNO_PROFILE in profiles:
                best_ld = max(best_ld, q)
        elif media in ("application/json", "*/*", "application/*"):
            best_json = max(best_json, q)
    return best_ld > 0 and best_ld >= best_json


class W3CNegotiation(DefaultContentNegotiation):
    """Lets the anno profile through (it is answered outside DRF's renderers; errors are
    rendered as JSON) instead of a 406."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if wants_w3c(request):
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)


def _not_modified(request, tag: str) -> bool:
    header = request.headers.get("If-None-Match")
    if header is None or not header.strip():
        return False
    tags = parse_tags(header, name="If-None-Match")
    return tags == "*" or any(t.opaque == tag for t in tags)


def _protocol_headers(response: HttpResponse, *, link: str, allow: str, tag: str) -> None:
    response["ETag"] = tag
    response["Link"] = link
    response["Allow"] = allow
    response["Vary"] = VARY
    response["X-Content-Type-Options"] = "nosniff"


def annotation_document(annotation_id: int, base_url: str) -> dict | None:
    """One annotation as the W3C export writes it, with its own @context, or None."""
    qs = selectors.annotation_export_queryset(include_orphans=True).filter(pk=annotation_id)
    ctx = export_context(base_url)
    for chunk in export_chunks(W3C, qs):
        for annotation in mapping.to_w3c_chunk(chunk, ctx):
            annotation.pop("generated", None)  # the same bytes on every request
            return {"@context": mapping.W3C_CONTEXT_VALUE, **annotation}
    return None


def annotation_response(request, annotation) -> HttpResponse:
    """GET/HEAD of an annotation's id with the anno profile."""
    if not policy.may_read(request.user, annotation):
        raise NotAuthenticated()
    document = annotation_document(annotation.pk, request.build_absolute_uri("/"))
    if document is None:
        raise NotFound()
    # Another representation than the project's JSON (whose tag is the bare version).
    tag = f'"{annotation.version}-w3c"'
    if _not_modified(request, tag):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(
            orjson.dumps(document), content_type=mapping.W3C_PROFILE, status=200
        )
    _protocol_headers(response, link=LDP_RESOURCE, allow=ANNOTATION_ALLOW, tag=tag)
    response["Cache-Control"] = (
        "public, no-cache" if request.user.is_anonymous else "private, no-cache"
    )
    return response


def _preference(request) -> str:
    """Which of the protocol's container preferences `Prefer` asks for, or ""."""
    for part in request.headers.get("Prefer", "").split(","):
        _, _, include = part.partition("include=")
        for iri in include.strip().strip('"').split():
            if iri in (PREFER_IRIS, PREFER_DESCRIPTIONS, PREFER_MINIMAL):
                return iri
    return ""


def _container_queryset(request):
    anonymous = request.user.is_anonymous
    if anonymous and not policy.public_site_on():
        raise NotAuthenticated()
    params = request.query_params
    wanted = params.get("status", "approved")
    if anonymous and wanted != "approved":
        raise NotAuthenticated()
    if not anonymous and not policy.may_export_status(request.user, wanted):
        raise PermissionDenied("Only editors can read annotations of every status.")
    try:
        qs = export_queryset(params)
    except ExportError as error:
        raise ParseError(error.detail) from None
    if anonymous:
        qs = qs.filter(policy.PUBLIC_ANNOTATIONS)
    return qs


def container_response(request) -> HttpResponse:
    """GET/HEAD of the annotation container (/api/v1/annotations/ with the anno profile):
    a minimal container by default; `?page=N` one AnnotationPage; `iris=1` IRIs only."""
    qs = _container_queryset(request)
    params = request.query_params
    try:
        size = pages.page_size(params)
        page = pages.whole_number(params.get("page"), name="page", default=-1, low=0, high=10**9)
    except pages.PageError as error:
        raise ParseError(str(error)) from None
    preference = _preference(request)
    iris = params.get("iris") == "1" or (page < 0 and preference == PREFER_IRIS)
    base = request.build_absolute_uri(request.path)
    paging = pages.Paging(
        pages.collection_iri(base, params), total=qs.count(), size=size, iris=iris
    )
    ctx = export_context(request.build_absolute_uri("/"))
    if page >= 0:
        try:
            head = paging.page_head(page, part_of=paging.collection_head())
        except pages.PageError as error:
            raise NotFound(str(error)) from None
        window = qs[page * size : (page + 1) * size]
        body = pages.page_body(export_chunks(W3C, window), ctx, head, iris=iris)
        tag = f'W/"{paging.total}-{_latest(qs)}-{page}"'
        response = StreamingHttpResponse(body, content_type=mapping.W3C_PROFILE)
    else:
        head = {
            "@context": CONTAINER_CONTEXT,
            **paging.collection_head(),
            "type": ["BasicContainer", "AnnotationCollection"],
        }
        tag = f'W/"{paging.total}-{_latest(qs)}-{preference or "minimal"}"'
        if paging.total and preference in (PREFER_IRIS, PREFER_DESCRIPTIONS):
            # Asked for: the first page embedded, as IRIs or as full annotations.
            first = paging.page_head(0)
            window = qs[:size]
            chunks = export_chunks(W3C, window)
            parts = list(pages.page_body(chunks, ctx, first, iris=iris, context=False))
            inner = b"".join(parts).rstrip(b"\n")
            head.pop("first")
            body = [orjson.dumps(head)[:-1] + b',"first":' + inner + b"}\n"]
            response = HttpResponse(b"".join(body), content_type=mapping.W3C_PROFILE)
        else:
            response = HttpResponse(orjson.dumps(head), content_type=mapping.W3C_PROFILE)
        if preference:
            response["Preference-Applied"] = "return=representation"
    if _not_modified(request, tag):
        response = HttpResponse(status=304)
    _protocol_headers(response, link=LDP_CONTAINER, allow=CONTAINER_ALLOW, tag=tag)
    response["Cache-Control"] = "private, no-cache"
    return response


def _latest(qs) -> str:
    """A token that changes when any annotation in the set changes (for the ETag)."""
    latest = qs.order_by("-updated").values_list("updated", flat=True).first()
    return latest.strftime("%Y%m%d%H%M%S%f") if latest else "0"


class RevisionText(APIView):
    """The plain text of one revision of an article: what an orphan's offsets count into
    (the W3C export names it as the orphan's target source)."""

    content_negotiation_class = JSONErrorsOnly

    @extend_schema(
        tags=["articles"],
        summary="The text of one revision of an article",
        responses={(200, "text/plain"): OpenApiResponse(OpenApiTypes.STR), **docs.READ_ERRORS},
    )
    def get(self, request, article_id: int, number: int):
        text = None
        if article_id <= ID_MAX and number <= ID_MAX:
            text = selectors.revision_text(article_id, number)
        if text is None:
            raise NotFound()
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        response["X-Content-Type-Options"] = "nosniff"
        return response
