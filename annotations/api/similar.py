"""Similar claims in the API: for an annotation, or for a span not yet annotated, the
passages of other articles most likely to state the same claim, best first."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations import policy, selectors, services
from annotations.lib.similarity import SHOWN_THRESHOLD
from annotations.models import Article
from annotations.selectors.claims import LIMIT_MAX

from ..params import ID_MAX
from . import schema_docs as docs
from .serializers import OFFSET_MAX
from .views import get_live_annotation

# A selection longer than this is not one claim; the page never sends one.
SELECTION_MAX = 5_000


class SimilarAnnotationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    verdict = serializers.CharField()
    status = serializers.CharField()


class SimilarPassageSerializer(serializers.Serializer):
    article = serializers.IntegerField(help_text="The other article's id.")
    start = serializers.IntegerField(help_text="Code point offset into that article's text.")
    end = serializers.IntegerField(help_text="Code point offset, exclusive.")
    quote = serializers.CharField(help_text="The passage: that article's text[start:end].")
    score = serializers.FloatField(help_text="0 to 1; the page shows those at `threshold` or up.")
    annotations = SimilarAnnotationSerializer(
        many=True,
        help_text="Live annotations on words inside the passage whose verdict can be "
        "carried over (not rejected ones).",
    )


class SimilarListSerializer(serializers.Serializer):
    results = SimilarPassageSerializer(many=True)
    threshold = serializers.FloatField(help_text="The score from which the page shows a match.")


class SimilarQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=LIMIT_MAX, default=10)
    min_score = serializers.FloatField(min_value=0, max_value=1, default=0)


class SelectionQuerySerializer(SimilarQuerySerializer):
    start = serializers.IntegerField(min_value=0, max_value=OFFSET_MAX)
    end = serializers.IntegerField(min_value=1, max_value=OFFSET_MAX)


QUERY_PARAMETERS = [
    OpenApiParameter("limit", int, description=f"At most this many, 1 to {LIMIT_MAX} (10)."),
    OpenApiParameter("min_score", float, description="Only passages scoring at least this."),
]


def _answer(request, article: Article, start: int, end: int, options: dict) -> Response:
    passages = selectors.similar_passages(
        article=article,
        start=start,
        end=end,
        limit=options["limit"],
        min_score=options["min_score"],
    )
    # The verdicts given elsewhere are shown only in the statuses this reader may see.
    visible = policy.visible_statuses(request.user)
    results = []
    for passage in passages:
        found = passage.as_dict()
        found["annotations"] = [a for a in found["annotations"] if a["status"] in visible]
        results.append(found)
    return Response({"results": results, "threshold": SHOWN_THRESHOLD})


def _options(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class AnnotationSimilar(APIView):
    @extend_schema(
        tags=["annotations"],
        summary="The same claim in other articles",
        description=(
            "Passages of other articles most likely to state the claim this annotation "
            "quotes, best first, each with the verdicts already given on it."
        ),
        parameters=QUERY_PARAMETERS,
        responses={200: SimilarListSerializer, 400: docs.BAD_REQUEST, **docs.READ_ERRORS},
    )
    def get(self, request, annotation_id: int):
        options = _options(SimilarQuerySerializer, request)
        annotation = get_live_annotation(annotation_id)
        if not policy.may_see_status(request.user, annotation.status):
            raise NotFound()  # as the annotation itself answers this reader
        if annotation.orphaned:
            # Its offsets point into an earlier text: there is no passage to compare.
            return Response({"results": [], "threshold": SHOWN_THRESHOLD})
        article = Article.objects.only("id", "text").get(pk=annotation.article_id)
        return _answer(request, article, annotation.start, annotation.end, options)


class ArticleSimilar(APIView):
    @extend_schema(
        tags=["articles"],
        summary="The same claim in other articles, for a selection",
        description=(
            "Like the annotation's `similar/`, for the span `start`–`end` (code points) of "
            "this article's text before it is annotated."
        ),
        parameters=[
            OpenApiParameter("start", int, required=True, description="Code point offset."),
            OpenApiParameter("end", int, required=True, description="Exclusive; after start."),
            *QUERY_PARAMETERS,
        ],
        responses={
            200: SimilarListSerializer,
            400: docs.BAD_REQUEST,
            422: docs.UNPROCESSABLE,
            **docs.READ_ERRORS,
        },
    )
    def get(self, request, article_id: int):
        options = _options(SelectionQuerySerializer, request)
        if article_id > ID_MAX:
            raise NotFound()
        article = Article.objects.only("id", "text").filter(pk=article_id).first()
        if article is None:
            raise NotFound()
        start, end = options["start"], options["end"]
        problem = selection_problem(article.text, start, end)
        if problem:
            raise services.Unprocessable({"start": [problem]})
        return _answer(request, article, start, end, options)


def selection_problem(text: str, start: int, end: int) -> str:
    """Why start–end is not a span to look up, or "" if it is one."""
    if not 0 <= start < end <= len(text):
        return f"The span {start}–{end} is outside the article text (0–{len(text)})."
    if end - start > SELECTION_MAX:
        return f"Select at most {SELECTION_MAX:,} characters."
    if not text[start:end].strip():
        return "Select some words, not just spaces."
    return ""
