"""Re-anchoring 2,000 annotations on a 50,000-character article after scattered edits.

Prints the time per annotation and the share placed exactly, by nearest occurrence,
fuzzily, and orphaned. Run alone (python bench/anchoring.py) or through bench/run.py.
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotations.lib.anchoring import Anchor, reanchor  # noqa: E402
from annotations.lib.text import context  # noqa: E402

ARTICLE_CHARS = 50_000
ANNOTATIONS = 2_000
EDITS = 120
SEED = 8

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
# Sentences are drawn from the seed articles' own words, so the text has the variety of
# real news prose rather than a handful of repeated words.
WORDS = sorted({w for p in SEEDS.glob("*.txt") for w in p.read_text(encoding="utf-8").split()})


def make_article(rng: random.Random) -> str:
    paragraphs, size = [], 0
    while size < ARTICLE_CHARS:
        sentences = []
        for _ in range(rng.randint(3, 7)):
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
            words.append(str(rng.randint(2, 9999)))
            rng.shuffle(words)
            sentences.append(" ".join(words).capitalize() + ".")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph) + 1
    return "\n".join(paragraphs)[:ARTICLE_CHARS]


def make_anchors(rng: random.Random, text: str) -> list[Anchor]:
    anchors = []
    while len(anchors) < ANNOTATIONS:
        start = rng.randrange(0, len(text) - 200)
        end = start + rng.randint(12, 160)
        if not text[start:end].strip():
            continue
        prefix, suffix = context(text, start, end)
        anchors.append(Anchor(start, end, text[start:end], prefix, suffix))
    return anchors


def edit(rng: random.Random, text: str) -> str:
    """Scattered edits: sentences inserted, passages deleted, words and letters changed."""
    for _ in range(EDITS):
        at = rng.randrange(0, len(text))
        kind = rng.random()
        if kind < 0.35:
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 25)))
            text = text[:at] + words.capitalize() + ". " + text[at:]
        elif kind < 0.55:
            text = text[:at] + text[at + rng.randint(50, 400) :]
        elif kind < 0.8:
            text = text[:at] + rng.choice(WORDS) + text[at + rng.randint(1, 8) :]
        else:
            text = text[:at] + rng.choice("abcdefghijklmnopqrstuvwxyz") + text[at + 1 :]
    return text


def main() -> None:
    rng = random.Random(SEED)
    old = make_article(rng)
    anchors = make_anchors(rng, old)
    new = edit(rng, old)
    began = time.perf_counter()
    placements = reanchor(old, new, anchors)
    elapsed = time.perf_counter() - began
    methods = Counter(p.method for p in placements)
    misplaced = sum(
        1
        for a, p in zip(anchors, placements, strict=True)
        if p.method in ("exact", "nearest") and new[p.start : p.end] != a.quote
    )
    print(
        f"anchoring: {len(anchors)} annotations on {len(old):,} characters, "
        f"{EDITS} scattered edits ({len(new):,} characters after)"
    )
    print(f"  {elapsed:.2f} s in all, {elapsed / len(anchors) * 1000:.2f} ms per annotation")
    for method in ("exact", "nearest", "fuzzy", "orphan"):
        share = methods[method] / len(anchors)
        print(f"  {method:<8} {methods[method]:>5}  {share:6.1%}")
    assert misplaced == 0, f"{misplaced} exact placements do not read as their quote"


if __name__ == "__main__":
    main()
