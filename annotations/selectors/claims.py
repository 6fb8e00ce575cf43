"""Similar claims: the passages of other articles most likely to state the claim of a
quote, best first, each with the verdicts already given on it.

Candidates are sentences from the full-text index (any of the quote's words, ranked by
bm25 or ts_rank); they are re-ranked by lib/similarity.py, which knows numbers and names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import connection
from django.db.models import Q

from .. import policy
from ..lib import search as searchlib
from ..lib import sentences as sentencelib
from ..lib import similarity
from ..models import Annotation, Article
from ..policy import Act

CANDIDATES = 60
LIMIT_MAX = 50
# Quotes shorter than this many words are judged with their sentence around them too.
SHORT_QUOTE_WORDS = 6
CONTEXT_WEIGHT = 0.25


@dataclass
class SimilarPassage:
    article_id: int
    start: int
    end: int
    quote: str
    score: float
    title: str = ""
    annotations: list[Annotation] = field(default_factory=list)

    @property
    def likely(self) -> bool:
        """Whether the page presents it as the same claim, not merely a related one."""
        return self.score >= similarity.SHOWN_THRESHOLD

    def as_dict(self) -> dict:
        return {
            "article": self.article_id,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "score": round(self.score, 4),
            "annotations": [
                {"id": a.pk, "verdict": a.verdict, "status": a.status} for a in self.annotations
            ],
        }


def _candidates(words: list[str], article_id: int, limit: int, *, pairs: bool) -> list[tuple]:
    """(article_id, start, end, text) of sentences outside `article_id` holding two of the
    words (`pairs`) or any one of them, best full-text rank first."""
    if connection.vendor == "postgresql":
        build = searchlib.websearch_pairs if pairs else searchlib.websearch_any
        sql = (
            'SELECT s.article_id, s.start, s."end", s.text FROM annotations_articlesentence s, '
            "websearch_to_tsquery('english', %s) query WHERE s.search @@ query "
            "AND s.article_id <> %s ORDER BY ts_rank(s.search, query) DESC, s.id LIMIT %s"
        )
    else:
        build = searchlib.fts5_pairs if pairs else searchlib.fts5_any
        sql = (
            'SELECT s.article_id, s.start, s."end", s.text FROM annotations_sentence_fts f '
            "JOIN annotations_articlesentence s ON s.id = f.rowid "
            "WHERE annotations_sentence_fts MATCH %s AND s.article_id <> %s "
            "ORDER BY bm25(annotations_sentence_fts), s.id LIMIT %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [build(words), article_id, limit])
        return cursor.fetchall()


def candidates(words: list[str], article_id: int) -> list[tuple]:
    """Sentences sharing two of the words; when too few do, those sharing any one."""
    rows = _candidates(words, article_id, CANDIDATES, pairs=len(words) > 1)
    if len(rows) < CANDIDATES // 2 and len(words) > 1:
        seen = {(r[0], r[1]) for r in rows}
        more = _candidates(words, article_id, CANDIDATES, pairs=False)
        rows += [r for r in more if (r[0], r[1]) not in seen][: CANDIDATES - len(rows)]
    return rows


def similar_passages(
    *, article: Article, start: int, end: int, limit: int = 10, min_score: float = 0.0
) -> list[SimilarPassage]:
    """Passages of other articles likely to state what article.text[start:end] states.
    Three or four queries, whatever the number of articles or annotations."""
    quote = article.text[start:end]
    context = ""
    if len(similarity.features(quote).stems) < SHORT_QUOTE_WORDS:
        begin, stop = sentencelib.covering(sentencelib.split(article.text), start, end)
        context = article.text[begin:stop]
    words = similarity.search_terms(quote + " " + context)
    if not words:
        return []
    rows = candidates(words, article.pk)
    texts = [row[3] for row in rows]
    values = similarity.score_all(quote, texts)
    if context:
        around = similarity.score_all(context, texts)
        values = [
            (1 - CONTEXT_WEIGHT) * v + CONTEXT_WEIGHT * c
            for v, c in zip(values, around, strict=True)
        ]
    best = sorted(enumerate(values), key=lambda item: (-item[1], item[0]))
    passages = [
        SimilarPassage(rows[i][0], rows[i][1], rows[i][2], rows[i][3], value)
        for i, value in best
        if value >= min_score
    ][:limit]
    if passages:
        _attach(passages)
    return passages


def _attach(passages: list[SimilarPassage]) -> None:
    """Give each passage its article's title and the live verdicts on words inside it."""
    titles = dict(
        Article.objects.filter(pk__in={p.article_id for p in passages}).values_list("id", "title")
    )
    overlap = reduce(
        or_, (Q(article_id=p.article_id, start__lt=p.end, end__gt=p.start) for p in passages)
    )
    # The verdicts that can be carried over, as the rule book says (not rejected ones).
    annotations = list(
        Annotation.objects.filter(
            overlap, orphaned=False, status__in=policy.statuses_allowing(Act.COPY)
        ).order_by("start", "id")
    )
    for passage in passages:
        passage.title = titles.get(passage.article_id, "")
        passage.annotations = [
            a
            for a in annotations
            if a.article_id == passage.article_id
            and a.start < passage.end
            and a.end > passage.start
        ]
