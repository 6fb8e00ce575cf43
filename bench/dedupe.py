"""Import cost with the near-duplicate check: one 10 MB article, then 1,000 small files.

Prints the per-file import cost at 10, 100 and 1,000 stored articles, and, at each point,
the cost of the old check (re-read and re-hash every stored text) on the same database as
the baseline, as a ratio. Fails if, at the last checkpoint, the index is not at least
MIN_SPEEDUP times cheaper than the old check in the same run, or if the index and the
full comparison disagree on any sampled file. The growth from 10 to 1,000 is printed.
Run alone (python bench/dedupe.py [--files N] [--big-mb M]) or through bench/run.py.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from django_env import setup_django

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
WORDS = sorted({w for p in SEEDS.glob("*.txt") for w in p.read_text(encoding="utf-8").split()})
CHECKPOINTS = (10, 100, 1000)
MIN_SPEEDUP = 20.0
SAMPLES = 5  # files timed around each checkpoint
BASELINE_SAMPLES = 2  # the old check is slow: a couple of files a checkpoint


def paragraph(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def small_file(rng: random.Random, n: int, earlier: list[str]) -> str:
    # One file in ten is a trimmed copy of an earlier one: the check has work to find.
    if earlier and n % 10 == 9:
        body = rng.choice(earlier)
        words = body.split()
        cut = len(words) // 5
        return f"Copy {n}\n\n" + " ".join(words[cut:])
    return f"Story {n}\n\n" + paragraph(rng, rng.randint(300, 900)) + f" {n}"


def old_check(body: str):
    """The check before the index: every stored text re-read and re-hashed."""
    from annotations.lib import dedupe
    from annotations.models import Article

    mine = dedupe.shingles(body)
    for other_id, other_text in Article.objects.order_by("id").values_list("id", "text"):
        if dedupe.is_near_duplicate(mine, dedupe.shingles(other_text)):
            return other_id
    return None


def main(files: int = 1000, big_mb: int = 10) -> int:
    with tempfile.TemporaryDirectory() as folder:
        setup_django(f"sqlite:///{Path(folder) / 'dedupe.sqlite3'}")
        from annotations.lib import text as textlib
        from annotations.services import article_import

        rng = random.Random(17)
        big = "Big\n\n" + paragraph(rng, big_mb * 1024 * 1024 // 7)
        began = time.perf_counter()
        article_import(raw=big.encode(), source_file="big.txt")
        print(f"one {len(big) / 1e6:.1f} MB article: {time.perf_counter() - began:.1f} s")

        checkpoints = [c for c in CHECKPOINTS if c <= files]
        bodies: list[str] = []
        timings: dict[int, list[float]] = {c: [] for c in checkpoints}
        baseline: dict[int, list[float]] = {c: [] for c in checkpoints}
        disagreements = 0
        for n in range(1, files + 1):
            raw = small_file(rng, n, bodies[-200:])
            near = [c for c in checkpoints if c - SAMPLES < n <= c]
            if near and len(baseline[near[0]]) < BASELINE_SAMPLES:
                body = textlib.parse_article(textlib.normalise(raw.encode()), fallback_title="x")
                t0 = time.perf_counter()
                expected = old_check(body.body)
                baseline[near[0]].append(time.perf_counter() - t0)
            else:
                expected = "unchecked"
            t0 = time.perf_counter()
            result = article_import(raw=raw.encode(), source_file=f"{n}.txt")
            elapsed = time.perf_counter() - t0
            if near:
                timings[near[0]].append(elapsed)
            if expected != "unchecked":
                found = result.near_duplicate_of.pk if result.near_duplicate_of else None
                disagreements += found != expected
            bodies.append(raw.split("\n\n", 1)[1])

        print(f"{'stored':>8} {'per file (index)':>18} {'old check':>12} {'old / index':>12}")
        for c in checkpoints:
            new = statistics.median(timings[c])
            old = statistics.median(baseline[c]) if baseline[c] else float("nan")
            print(f"{c:>8} {new * 1000:>15.1f} ms {old * 1000:>9.0f} ms {old / new:>11.1f}x")
        first, last = checkpoints[0], checkpoints[-1]
        growth = statistics.median(timings[last]) / statistics.median(timings[first])
        speedup = statistics.median(baseline[last]) / statistics.median(timings[last])
        print(f"cost at {last} / cost at {first}: {growth:.2f}")
        print(f"old check / index at {last}: {speedup:.1f}x (min {MIN_SPEEDUP:.0f}x)")
        print(f"index and full comparison disagree on {disagreements} sampled files")
        return 0 if speedup >= MIN_SPEEDUP and disagreements == 0 else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--big-mb", type=int, default=10)
    args = parser.parse_args()
    sys.exit(main(files=args.files, big_mb=args.big_mb))
