"""Similar claims: quality on a labelled set, and speed at 10,000 articles.

Quality: the seed articles plus short articles holding paraphrases and hard negatives
(bench/claims_set.py); for each claim quoted from a seed, recall@1 and recall@5 of a
passage stating it, and the precision of what the page shows (score >= the threshold).
Speed: 10,000 synthetic articles; p50/p95 of a similar-claims query, against a brute-force
scan of every sentence as the baseline, and the cost of indexing. Run on SQLite, then
on PostgreSQL (BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

from claims_set import CLAIMS, FILLER, SEED  # noqa: E402
from django_env import setup_django  # noqa: E402

ARTICLES = 10_000
SENTENCES_PER_ARTICLE = 15
QUERIES = 200
BASELINE_QUERIES = 5
RECALL5_GOAL = 0.9
PRECISION_GOAL = 0.8
P95_GOAL_MS = 100
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/postgres"


def setup(db: str) -> str | None:
    """Point Django at a fresh database; returns the PostgreSQL database name to drop."""
    name = None
    if db == "sqlite":
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'claims.sqlite3'}"
    else:
        import psycopg

        base = os.environ.get("BENCH_POSTGRES_URL", PG_DEFAULT)
        name = f"bench_claims_{os.getpid()}"
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        url = base.rsplit("/", 1)[0] + f"/{name}"
    setup_django(url)
    return name


def teardown(name: str | None) -> None:
    if name is None:
        return
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(os.environ.get("BENCH_POSTGRES_URL", PG_DEFAULT), autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {name}")


def load_quality_set() -> dict[str, object]:
    from annotations.services import article_import

    seeds = {}
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        seeds[path.name[:3]] = article_import(raw=path.read_bytes(), source_file=str(path)).article
    rng = random.Random(16)
    for n, (_, _, positives, negatives) in enumerate(CLAIMS):
        for kind, passages in (("outlet", positives), ("wire", negatives)):
            written = [p for p in passages if not isinstance(p, tuple)]
            if not written:
                continue
            body = rng.sample(FILLER, 3)
            body.insert(rng.randrange(4), " ".join(written))
            text = f"{kind.title()} report {n}\n" + " ".join(body) + "\n"
            article_import(raw=text.encode(), source_file=f"bench/{kind}-{n}.txt")
    return seeds


def quality(seeds: dict) -> tuple[float, float, dict[float, tuple[float, int, float]]]:
    """recall@1, recall@5, and {threshold: (precision, shown, recall)} over the claims:
    the precision of the passages scoring at least the threshold, how many there are, and
    the share of claims with a right passage among them."""
    from annotations.selectors import similar_passages

    hits1 = hits5 = 0
    shown: list[tuple[float, bool]] = []
    best_right: list[float] = []
    for prefix, phrase, positives, _negatives in CLAIMS:
        article = seeds[prefix]
        start = article.text.index(phrase)
        wanted = [p[1] if isinstance(p, tuple) and p[0] == SEED else p for p in positives]
        results = similar_passages(article=article, start=start, end=start + len(phrase), limit=5)

        def good(passage, wanted=wanted, phrase=phrase) -> bool:
            # A verbatim copy of the claim (a near-duplicate article) states it too.
            return phrase in passage.quote or any(w in passage.quote for w in wanted)

        flags = [good(p) for p in results]
        hits1 += bool(flags[:1] and flags[0])
        hits5 += any(flags)
        shown += [(p.score, f) for p, f in zip(results, flags, strict=True)]
        best_right.append(
            max((p.score for p, f in zip(results, flags, strict=True) if f), default=0)
        )
    n = len(CLAIMS)
    table = {}
    for threshold in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6):
        above = [f for s, f in shown if s >= threshold]
        recall = sum(best >= threshold for best in best_right) / n
        table[threshold] = (sum(above) / len(above) if above else 1.0, len(above), recall)
    return hits1 / n, hits5 / n, table


def synthetic_corpus(count: int) -> float:
    """Add `count` articles of seed-vocabulary sentences; returns the seconds it took to
    split and index their sentences (the articles' own rows are timed apart)."""
    from django.db import transaction

    from annotations.lib import sentences as sentencelib
    from annotations.models import Article, ArticleSentence

    words = sorted({w for p in (ROOT / "seeds").glob("*.txt") for w in p.read_text().split()})
    rng = random.Random(10_000)
    indexing = 0.0
    batch = 500
    for first in range(0, count, batch):
        articles = []
        for n in range(first, min(count, first + batch)):
            sentences = []
            for _ in range(SENTENCES_PER_ARTICLE):
                chosen = [rng.choice(words) for _ in range(rng.randint(8, 24))]
                chosen.append(str(rng.randint(2, 99_999)))
                rng.shuffle(chosen)
                sentences.append(" ".join(chosen).capitalize() + ".")
            text = " ".join(sentences)
            articles.append(Article(title=f"Synthetic {n}", text=text, content_hash=f"{n:064x}"))
        with transaction.atomic():
            made = Article.objects.bulk_create(articles)
        began = time.perf_counter()
        with transaction.atomic():
            ArticleSentence.objects.bulk_create(
                ArticleSentence(article=a, start=s.start, end=s.end, text=s.text)
                for a in made
                for s in sentencelib.split(a.text)
            )
        indexing += time.perf_counter() - began
    return indexing


def settle(db: str) -> None:
    """What autovacuum does shortly after a bulk load (and SQLite's ANALYZE), so the
    planner knows the table sizes and the GIN index has merged its pending entries."""
    from django.db import connection

    with connection.cursor() as cursor:
        if db == "postgres":
            cursor.execute("VACUUM ANALYZE annotations_articlesentence")
            cursor.execute("VACUUM ANALYZE annotations_article")
        else:
            cursor.execute("ANALYZE")


def speed() -> tuple[list[float], float]:
    """Similar-claims query times (ms) for random spans, and the brute-force baseline (ms)."""
    from rapidfuzz import fuzz, process

    from annotations.models import Article, ArticleSentence
    from annotations.selectors import similar_passages

    rng = random.Random(95)
    ids = list(Article.objects.values_list("id", flat=True))
    picks = [Article.objects.get(pk=rng.choice(ids)) for _ in range(QUERIES)]
    times = []
    for article in picks:
        start = rng.randrange(0, max(1, len(article.text) - 160))
        end = start + rng.randint(40, 160)
        began = time.perf_counter()
        similar_passages(article=article, start=start, end=end, limit=10)
        times.append((time.perf_counter() - began) * 1000)
    # The baseline: what one would write without an index, rapidfuzz's C scan of every
    # sentence of the other articles (token-set ratio), best ten kept.
    texts = list(ArticleSentence.objects.values_list("article_id", "text"))
    began = time.perf_counter()
    for article in picks[:BASELINE_QUERIES]:
        others = [t for a, t in texts if a != article.pk]
        process.extract(article.text[:120], others, scorer=fuzz.token_set_ratio, limit=10)
    baseline = (time.perf_counter() - began) * 1000 / BASELINE_QUERIES
    return times, baseline


def run(db: str, articles: int) -> int:
    name = setup(db)
    failed = 0
    try:
        seeds = load_quality_set()
        r1, r5, table = quality(seeds)
        from annotations.lib.similarity import SHOWN_THRESHOLD

        print(f"[{db}] labelled claims: {len(CLAIMS)}; recall@1 {r1:.2f}, recall@5 {r5:.2f}")
        for threshold, (precision, count, recall) in table.items():
            mark = "  <- the page's threshold" if threshold == SHOWN_THRESHOLD else ""
            print(
                f"[{db}]   score >= {threshold:.2f}: precision {precision:.2f} of {count} "
                f"passages, a right one for {recall:.2f} of the claims{mark}"
            )
        precision = table.get(SHOWN_THRESHOLD, (0.0, 0, 0.0))[0]
        failed += r5 < RECALL5_GOAL or precision < PRECISION_GOAL
        began = time.perf_counter()
        indexing = synthetic_corpus(articles)
        total = time.perf_counter() - began
        from annotations.models import ArticleSentence

        sentences = ArticleSentence.objects.count()
        settle(db)
        print(
            f"[{db}] {articles:,} synthetic articles, {sentences:,} sentences: stored in "
            f"{total:.1f} s, of which sentence index {indexing:.1f} s "
            f"({indexing / articles * 1000:.2f} ms an article)"
        )
        times, baseline = speed()
        p50 = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[-1]
        print(
            f"[{db}] similar claims over {articles:,} articles: p50 {p50:.1f} ms, p95 "
            f"{p95:.1f} ms ({len(times)} queries); baseline, a rapidfuzz scan of every "
            f"sentence: {baseline:.0f} ms a query, {baseline / p50:.1f}x our p50"
        )
        if db == "postgres" and p95 > P95_GOAL_MS:
            failed += 1
        goals = f"recall@5 >= {RECALL5_GOAL}, precision >= {PRECISION_GOAL}"
        if db == "postgres":
            goals += f", p95 <= {P95_GOAL_MS} ms"
        print(f"[{db}] goals ({goals}): {'FAIL' if failed else 'met'}")
    finally:
        teardown(name)
    return failed


def main(articles: int = ARTICLES) -> int:
    failed = 0
    for db in ("sqlite", "postgres"):
        command = [sys.executable, __file__, "--db", db, "--articles", str(articles)]
        failed += subprocess.run(command, cwd=ROOT, check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=("sqlite", "postgres"))
    parser.add_argument("--articles", type=int, default=ARTICLES)
    args = parser.parse_args()
    if args.db:
        sys.exit(1 if run(args.db, args.articles) else 0)
    sys.exit(main(args.articles))
