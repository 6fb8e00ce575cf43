"""The near-duplicate index: each article's hashed word shingles in a table with an index
on the hash, so an import looks up the articles that share its shingles (a cost that grows
with the new file) instead of re-reading and re-hashing every stored text."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction
from django.db.models import Count

from ..lib import dedupe
from ..models import Article, ArticleShingle, ArticleShingles

# Hashes a query: under SQLite's historical 999-parameter limit.
LOOKUP_BATCH = 900
INSERT_BATCH = 5000


def _signed(hashes: Iterable[int]) -> list[int]:
    return sorted(dedupe.as_signed(h) for h in hashes)


def shingles_store(*, article: Article, hashes: frozenset[int] | None = None) -> None:
    """(Re)index one article's current text; idempotent, and safe against a concurrent
    import indexing the same article."""
    if hashes is None:
        hashes = dedupe.shingles(article.text)
    table = ArticleShingle._meta.db_table
    # Plain executemany: a 10 MB text has 1.7 million shingles, and model instances for
    # each would cost more than hashing them.
    sql = f"INSERT INTO {table} (article_id, hash) VALUES (%s, %s)"
    signed = _signed(hashes)
    try:
        with transaction.atomic():
            ArticleShingle.objects.filter(article_id=article.pk).delete()
            ArticleShingles.objects.filter(article_id=article.pk).delete()
            with connection.cursor() as cursor:
                for start in range(0, len(signed), INSERT_BATCH):
                    batch = signed[start : start + INSERT_BATCH]
                    cursor.executemany(sql, [(article.pk, h) for h in batch])
            ArticleShingles.objects.create(
                article_id=article.pk, size=len(hashes), revision=article.revision
            )
    except IntegrityError:
        # Another import indexed this very article a moment ago: its rows stand.
        if not ArticleShingles.objects.filter(article_id=article.pk).exists():
            raise


def index_missing() -> int:
    """Index the articles that are not in the index yet (loaded before it existed, or
    written by other code); each is read once, then never again. Returns how many."""
    # Ids first: the database can answer from an index without touching the texts, so
    # the check costs next to nothing when every article is indexed (the usual case).
    ids = sorted(
        Article.objects.filter(shingle_index__isnull=True)
        .order_by()  # no ORDER BY: a covering index answers it
        .values_list("id", flat=True)
    )
    for article in Article.objects.filter(pk__in=ids).only("id", "text", "revision"):
        shingles_store(article=article)
    return len(ids)


def near_duplicate_id(hashes: frozenset[int], *, exclude_id: int | None = None) -> int | None:
    """The earliest indexed article that this shingle set nearly duplicates, either way."""
    if len(hashes) < dedupe.MIN_SHINGLES:
        return None
    shared: dict[int, int] = defaultdict(int)
    signed = _signed(hashes)
    for start in range(0, len(signed), LOOKUP_BATCH):
        rows = (
            ArticleShingle.objects.filter(hash__in=signed[start : start + LOOKUP_BATCH])
            .values("article_id")
            .annotate(n=Count("id"))
            .values_list("article_id", "n")
        )
        for article_id, n in rows:
            shared[article_id] += n
    shared.pop(exclude_id, None)
    if not shared:
        return None
    sizes = dict(
        ArticleShingles.objects.filter(article_id__in=list(shared)).values_list(
            "article_id", "size"
        )
    )
    overlaps = {pk: (n, sizes[pk]) for pk, n in shared.items() if pk in sizes}
    return dedupe.earliest_near_duplicate(len(hashes), overlaps)
