"""API views: thin. Serializers check the shape, services decide and write."""

from __future__ import annotations

from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse, extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import generics, status
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import policy, selectors, services
from annotations.models import Annotation, Status
from annotations.policy import Act

from ..params import ID_MAX
from . import schema_docs as docs
from . import w3c
from .conditional import PreconditionFailed, etag, if_match_version, none_match
from .filters import AnnotationFilter, ArticleFilter
from .pagination import IdCursorPagination
from .permissions import CanAnnotate, IsEditor
from .serializers import (
    AnnotationCreateSerializer,
    AnnotationSerializer,
    AnnotationUpdateSerializer,
    ArticleDetailSerializer,
    ArticleSerializer,
    ReviewEventSerializer,
    ReviewSerializer,
)


def get_live_annotation(annotation_id: int) -> Annotation:
    if annotation_id > ID_MAX:
        raise NotFound()
    annotation = selectors.annotations_for_api().filter(pk=annotation_id).first()
    if annotation is None:
        raise NotFound()
    return annotation


def annotation_response(annotation_id: int, *, status_code: int = 200, request=None) -> Response:
    annotation = get_live_annotation(annotation_id)
    if request is not None and not policy.may_see_status(request.user, annotation.status):
        raise NotFound()  # as if it did not exist: its status is not this reader's to see
    headers = {"ETag": etag(annotation)}
    if request is not None and none_match(request, annotation):
        return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
    if status_code == status.HTTP_201_CREATED:
        headers["Location"] = reverse("api-annotation-detail", args=[annotation.pk])
    return Response(AnnotationSerializer(annotation).data, status=status_code, headers=headers)


def annotation_refreshed(annotation: Annotation) -> Annotation:
    """The annotation as it is now (after a write lost a race), for the 412's body."""
    return Annotation.all_objects.get(pk=annotation.pk)


def validated(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# Articles -------------------------------------------------------------------------------


@extend_schema(
    tags=["articles"],
    summary="List articles",
    responses={200: ArticleSerializer, **docs.LIST_ERRORS},
)
class ArticleList(generics.ListAPIView):
    """Articles in id order, with annotation counts; `?q=` is a full-text search."""

    serializer_class = ArticleSerializer
    filterset_class = ArticleFilter
    pagination_class = IdCursorPagination

    def get_queryset(self):
        return selectors.articles_with_counts().defer("text")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        q = request.query_params.get("q", "").strip()
        snippets = selectors.article_snippets([a.pk for a in page], q) if q and page else {}
        serializer = self.get_serializer(page, many=True)
        serializer.context["snippets"] = snippets
        return self.get_paginated_response(serializer.data)


@extend_schema(
    tags=["articles"],
    summary="One article, with its text",
    responses={200: ArticleDetailSerializer, **docs.READ_ERRORS},
)
class ArticleDetail(generics.RetrieveAPIView):
    """One article with its full text; annotation offsets are code points into `text`."""

    serializer_class = ArticleDetailSerializer
    lookup_url_kwarg = "article_id"

    def get_queryset(self):
        return selectors.articles_with_counts()

    def get_object(self):
        if self.kwargs["article_id"] > ID_MAX:
            raise NotFound()
        return super().get_object()


# Annotations ----------------------------------------------------------------------------


class AnnotationListCreate(generics.ListAPIView):
    serializer_class = AnnotationSerializer
    filterset_class = AnnotationFilter
    pagination_class = IdCursorPagination
    # With the anno profile in Accept this is the W3C annotation container (api/w3c.py).
    content_negotiation_class = w3c.W3CNegotiation

    def get_queryset(self):
        user = getattr(self.request, "user", None)
        return selectors.with_visible_status(
            selectors.annotations_for_api(), statuses=policy.visible_statuses(user)
        )

    def get_serializer_class(self):
        # What OPTIONS describes for POST: the input, not the output.
        if self.request is not None and self.request.method == "POST":
            return AnnotationCreateSerializer
        return AnnotationSerializer

    def get_permissions(self):
        if self.request.method == "POST":
            return [*super().get_permissions(), CanAnnotate()]
        if self.request.method in ("GET", "HEAD") and w3c.wants_w3c(self.request):
            return []  # the container answers anonymous readers with public verdicts only
        return super().get_permissions()

    @extend_schema(
        tags=["annotations"],
        summary="List annotations",
        description=(
            "Live annotations in id order, filtered by the query parameters. Accounts "
            "without a role (API consumers) see approved annotations only (403 for "
            "another `status`); reviewers and editors see every status. With "
            '`Accept: application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"` this is '
            "the W3C annotation container instead (README: W3C Web Annotation Protocol)."
        ),
        responses={200: AnnotationSerializer, **docs.LIST_ERRORS, 403: docs.FORBIDDEN},
    )
    def get(self, request, *args, **kwargs):
        if w3c.wants_w3c(request):
            return w3c.container_response(request)
        wanted = request.query_params.get("status", "")
        if wanted in Status.values and not policy.may_see_status(request.user, wanted):
            return Response({"detail": policy.STATUS_HIDDEN}, status=status.HTTP_403_FORBIDDEN)
        response = super().get(request, *args, **kwargs)
        response["Vary"] = w3c.VARY
        return response

    @extend_schema(
        tags=["annotations"],
        summary="Create an annotation (reviewers)",
        description=(
            "The server checks that `quote` is exactly the article text between `start` and "
            "`end` (422 if not, saying what the text holds there), and computes `prefix` and "
            "`suffix`. New annotations are `pending`; `status` cannot be set."
        ),
        request=AnnotationCreateSerializer,
        responses={
            201: OpenApiResponse(AnnotationSerializer, description="Created."),
            **docs.WRITE_ERRORS,
            422: docs.QUOTE_MISMATCH,
        },
        parameters=[docs.ETAG_HEADER_201],
        examples=docs.CREATE_EXAMPLES,
    )
    def post(self, request, *args, **kwargs):
        serializer = AnnotationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        annotation = services.annotation_create(author=request.user, **serializer.create_fields())
        return annotation_response(annotation.pk, status_code=status.HTTP_201_CREATED)


class AnnotationDetail(APIView):
    http_method_names = ["get", "patch", "delete", "head", "options"]
    # With the anno profile in Accept the id answers as a W3C Web Annotation (api/w3c.py).
    content_negotiation_class = w3c.W3CNegotiation

    def get_permissions(self):
        if self.request.method in ("GET", "HEAD") and w3c.wants_w3c(self.request):
            return []  # anonymous readers get public verdicts; w3c asks policy.may_read
        return super().get_permissions()

    @extend_schema(
        tags=["annotations"],
        summary="One annotation",
        description=(
            'With `Accept: application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"` '
            "the W3C Web Annotation, anonymously too for published verdicts."
        ),
        responses={
            200: AnnotationSerializer,
            304: docs.NOT_MODIFIED,
            400: docs.BAD_REQUEST,
            **docs.READ_ERRORS,
        },
        parameters=[docs.ETAG_HEADER, docs.IF_NONE_MATCH],
    )
    def get(self, request, annotation_id: int):
        if w3c.wants_w3c(request):
            if request.user.is_anonymous and annotation_id > ID_MAX:
                raise NotAuthenticated()
            annotation = selectors.annotations_for_api().filter(pk=annotation_id).first()
            if annotation is None:
                if request.user.is_anonymous:
                    raise NotAuthenticated()  # the same answer as for a verdict not public
                raise NotFound()
            return w3c.annotation_response(request, annotation)
        response = annotation_response(annotation_id, request=request)
        response["Vary"] = w3c.VARY
        response["Link"] = w3c.LDP_RESOURCE
        return response

    @extend_schema(
        tags=["annotations"],
        summary="Edit your annotation",
        description=(
            "Only the author, and only while the annotation is pending or has changes "
            "requested (an edit then resubmits it). Send `If-Match` with the ETag you got: "
            "428 without it, 412 (with `current_version`) if someone changed it since. "
            "`start`, `end`, `quote` and `status` cannot be changed."
        ),
        request=AnnotationUpdateSerializer,
        responses={
            200: AnnotationSerializer,
            **docs.WRITE_ERRORS,
            404: docs.NOT_FOUND,
            409: docs.CONFLICT,
            412: docs.PRECONDITION_FAILED,
            422: docs.UNPROCESSABLE,
            428: docs.PRECONDITION_REQUIRED,
        },
        parameters=[docs.IF_MATCH_REQUIRED, docs.ETAG_HEADER],
        examples=docs.UPDATE_EXAMPLES,
    )
    def patch(self, request, annotation_id: int):
        annotation = get_live_annotation(annotation_id)
        policy.check_who(request.user, Act.EDIT, annotation)
        expected = if_match_version(request, annotation, required=True)
        data = validated(AnnotationUpdateSerializer, request.data)
        try:
            services.annotation_update(
                annotation_id=annotation.pk, actor=request.user, expected_version=expected, **data
            )
        except services.Conflict as exc:
            if expected is not None and exc.current_version != expected:
                raise PreconditionFailed(annotation_refreshed(annotation)) from None
            raise
        return annotation_response(annotation.pk)

    @extend_schema(
        tags=["annotations"],
        summary="Withdraw your annotation",
        description=(
            "Only the author, and not once approved (409). `If-Match` is optional; when sent "
            "and stale, 412. The history is kept."
        ),
        responses={
            204: OpenApiResponse(description="Withdrawn."),
            **docs.WRITE_ERRORS,
            404: docs.NOT_FOUND,
            409: docs.CONFLICT,
            412: docs.PRECONDITION_FAILED,
        },
        parameters=[docs.IF_MATCH_OPTIONAL],
    )
    def delete(self, request, annotation_id: int):
        annotation = get_live_annotation(annotation_id)
        policy.check_who(request.user, Act.WITHDRAW, annotation)
        expected = if_match_version(request, annotation, required=False)
        try:
            services.annotation_delete(
                annotation_id=annotation.pk, actor=request.user, expected_version=expected
            )
        except services.Conflict as exc:
            if expected is not None and exc.current_version != expected:
                raise PreconditionFailed(annotation_refreshed(annotation)) from None
            raise
        return Response(status=status.HTTP_204_NO_CONTENT)


class AnnotationReview(APIView):
    permission_classes = [*APIView.permission_classes, IsEditor]

    @extend_schema(
        tags=["annotations"],
        summary="Decide on a pending annotation (editors)",
        description=(
            "`approve`, `reject` or `request_changes` (the last two need a `comment`). An "
            "approval may carry the editor's fix of `verdict`, `note` or `evidence`. Send the "
            "`version` you reviewed (or `If-Match`): 409 if it changed since, or if the "
            "annotation is not pending. Nobody decides on their own annotation (403)."
        ),
        request=ReviewSerializer,
        responses={
            200: AnnotationSerializer,
            **docs.WRITE_ERRORS,
            404: docs.NOT_FOUND,
            409: docs.CONFLICT,
            412: docs.PRECONDITION_FAILED,
            422: docs.UNPROCESSABLE,
        },
        parameters=[docs.IF_MATCH_OPTIONAL, docs.ETAG_HEADER],
        examples=docs.REVIEW_EXAMPLES,
    )
    def post(self, request, annotation_id: int):
        annotation = get_live_annotation(annotation_id)
        data = validated(ReviewSerializer, request.data)
        expected = data.pop("version", None)
        if expected is None:
            expected = if_match_version(request, annotation, required=False)
        services.annotation_review(
            annotation_id=annotation.pk, editor=request.user, expected_version=expected, **data
        )
        return annotation_response(annotation.pk)


@extend_schema(
    tags=["annotations"],
    summary="History of an annotation",
    description="Every change, oldest first; also for withdrawn annotations.",
    responses={200: ReviewEventSerializer, **docs.LIST_ERRORS, 404: docs.NOT_FOUND},
)
class AnnotationHistory(generics.ListAPIView):
    serializer_class = ReviewEventSerializer
    pagination_class = IdCursorPagination
    filter_backends = []

    def get_queryset(self):
        annotation_id = self.kwargs["annotation_id"]
        found = None
        if annotation_id <= ID_MAX:
            found = Annotation.all_objects.filter(pk=annotation_id).values_list("status").first()
        if found is None or not policy.may_see_status(self.request.user, found[0]):
            raise NotFound()
        return selectors.annotation_history(annotation_id=annotation_id)


@csrf_exempt  # it changes nothing, and must answer JSON to any method
def api_not_found(request, *args, **kwargs) -> JsonResponse:
    """Any other path under /api/: a JSON 404, not the HTML page (e.g. /annotations/abc/)."""
    return JsonResponse({"detail": "Not found."}, status=404)


# Schema and docs ------------------------------------------------------------------------


class JsonErrorsMixin:
    """Errors as JSON even on views whose normal output is YAML or HTML."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


class SchemaView(JsonErrorsMixin, SpectacularAPIView):
    pass


class DocsView(JsonErrorsMixin, SpectacularSwaggerSplitView):
    url_name = "api-schema"
