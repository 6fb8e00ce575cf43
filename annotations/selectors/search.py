"""Full-text search of articles and annotations: SQLite FTS5 or PostgreSQL tsvector (GIN),
behind one set of functions. The indexes are described in search_schema.py."""

from __future__ import annotations

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL

from ..lib import search as searchlib
from ..lib.search import Snippet
from ..models import Annotation, Article

RANKED_MAX = 200
SNIPPET_WORDS = 24
# Titles weigh ten times the body in FTS5's bm25, as setweight 'A' over 'B' does in tsvector.
_SQLITE_WEIGHTS = "10.0, 1.0"


def _pg() -> bool:
    return connection.vendor == "postgresql"


def _query(words: list[str]) -> SearchQuery:
    return SearchQuery(searchlib.websearch_all(words), config="english", search_type="websearch")


def _vector(table: str) -> RawSQL:
    return RawSQL(f'"{table}"."search"', [], output_field=SearchVectorField())


def _matching_ids_sql(table: str, fts: str, words: list[str]) -> tuple[str, list]:
    if _pg():
        return (
            f"SELECT id FROM {table} WHERE search @@ websearch_to_tsquery('english', %s)",
            [searchlib.websearch_all(words)],
        )
    return f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [searchlib.fts5_all(words)]


def _noted_article_ids(words: list[str]) -> QuerySet:
    """Articles with a live annotation whose quote or note holds every word."""
    sql, params = _matching_ids_sql("annotations_annotation", "annotations_annotation_fts", words)
    return Annotation.objects.filter(pk__in=RawSQL(sql, params)).values("article_id")


def filter_articles(qs: QuerySet[Article], q: str) -> QuerySet[Article]:
    """Articles whose title or text holds every word of `q`, or one of whose annotations
    does in its quote or note (the order of `qs` kept)."""
    words = searchlib.query_words(q)
    if not words:
        return qs.none()
    sql, params = _matching_ids_sql("annotations_article", "annotations_article_fts", words)
    return qs.filter(Q(pk__in=RawSQL(sql, params)) | Q(pk__in=_noted_article_ids(words)))


def filter_annotations(qs: QuerySet[Annotation], q: str) -> QuerySet[Annotation]:
    """Annotations whose quote or note holds every word of `q`."""
    words = searchlib.query_words(q)
    if not words:
        return qs.none()
    sql, params = _matching_ids_sql("annotations_annotation", "annotations_annotation_fts", words)
    return qs.filter(pk__in=RawSQL(sql, params))


def ranked_article_ids(q: str, *, limit: int = RANKED_MAX) -> list[int]:
    """Ids of the articles matching every word of `q`, best first (title matches weigh most),
    then those matched only by an annotation's note."""
    words = searchlib.query_words(q)
    if not words:
        return []
    ranked = _ranked_by_text(words, limit)
    seen = set(ranked)
    for pk in _noted_article_ids(words).order_by("article_id").distinct()[:limit]:
        if pk["article_id"] not in seen and len(ranked) < limit:
            ranked.append(pk["article_id"])
            seen.add(pk["article_id"])
    return ranked


def _ranked_by_text(words: list[str], limit: int) -> list[int]:
    if _pg():
        query = _query(words)
        rows = (
            Article.objects.annotate(rank=SearchRank(_vector("annotations_article"), query))
            .filter(pk__in=RawSQL(*_matching_ids_sql("annotations_article", "", words)))
            .order_by("-rank", "id")
            .values_list("id", flat=True)[:limit]
        )
        return list(rows)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM annotations_article_fts WHERE annotations_article_fts MATCH %s "
            f"ORDER BY bm25(annotations_article_fts, {_SQLITE_WEIGHTS}), rowid LIMIT %s",
            [searchlib.fts5_all(words), limit],
        )
        return [row[0] for row in cursor.fetchall()]


def in_rank_order(qs: QuerySet, ids: list[int]) -> QuerySet:
    """`qs` restricted to `ids`, ordered as they are."""
    if not ids:
        return qs.none()
    order = Case(
        *(When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)), output_field=IntegerField()
    )
    return qs.filter(pk__in=ids).order_by(order)


def article_snippets(ids: list[int], q: str) -> dict[int, Snippet]:
    """For each article id, a short passage around the words of `q`, matches marked."""
    words = searchlib.query_words(q)
    if not ids or not words:
        return {}
    if _pg():
        rows = (
            Article.objects.filter(pk__in=ids)
            .annotate(
                headline=SearchHeadline(
                    "text",
                    _query(words),
                    config="english",
                    start_sel=searchlib.MARK_START,
                    stop_sel=searchlib.MARK_END,
                    max_words=SNIPPET_WORDS,
                    min_words=SNIPPET_WORDS // 2,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                )
            )
            .values_list("id", "headline")
        )
    else:
        marks = (searchlib.MARK_START, searchlib.MARK_END)
        placeholders = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid, snippet(annotations_article_fts, -1, %s, %s, '…', "
                f"{SNIPPET_WORDS}) FROM annotations_article_fts WHERE annotations_article_fts "
                f"MATCH %s AND rowid IN ({placeholders})",
                [*marks, searchlib.fts5_all(words), *ids],
            )
            rows = cursor.fetchall()
    return {pk: searchlib.parse_marked(text or "") for pk, text in rows}
