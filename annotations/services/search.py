"""Writes to the search index: an article's sentences, rebuilt with its text. The full-text
indexes over articles, annotations and sentences follow by database triggers."""

from __future__ import annotations

from django.db import transaction

from ..lib import sentences as sentencelib
from ..models import Article, ArticleSentence


def article_sentences_index(*, article: Article) -> int:
    """Replace the stored sentences of `article` with those of its current text."""
    with transaction.atomic():
        ArticleSentence.objects.filter(article=article).delete()
        rows = ArticleSentence.objects.bulk_create(
            ArticleSentence(article=article, start=s.start, end=s.end, text=s.text)
            for s in sentencelib.split(article.text)
        )
    return len(rows)
