"""Re-anchoring: find where an annotated span went when the article text changed.

Pure functions, no Django. An anchor is the quote with up to 32 code points of context
on each side and its old offsets. It is placed, in this order:

1. exact: the quote where both the stored prefix and suffix still surround it;
2. nearest: the quote elsewhere, preferring the occurrence whose context is most alike,
   then the one nearest where the old span should now be;
3. fuzzy: an approximate match of the quote (at most a quarter of its length in edits),
   scored mostly on the quote and partly on the context, near the old position first;
4. otherwise an orphan: nothing is moved on a guess.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

EXACT = "exact"
NEAREST = "nearest"
FUZZY = "fuzzy"
ORPHAN = "orphan"

# A fuzzy match may differ from the quote by at most this share of its length in edits.
ERROR_BUDGET = 0.25
# The quote counts for three quarters of a match's score, its context for one quarter:
# a claim that moved into new surroundings is still the claim; the same surroundings
# around different words are not.
QUOTE_WEIGHT = 0.75
# Below this score a candidate is not trusted. A quote with a quarter of its characters
# changed and unfamiliar context (0.5625) fails; a fixed typo in place (about 0.98) passes.
MIN_SCORE = 0.7
# The fuzzy search looks this far (at least) either side of the expected position first.
WINDOW = 256
# A moved and edited passage lies in new text (as the diff sees it) that can hold the
# quote; the search there reaches this far beyond it, for words the diff matched by chance.
CONTEXT_REACH = 32
# Gram length for the filter that skips regions which cannot hold a match.
Q = 3
# How many separate fuzzy candidates get a context score before choosing.
MAX_CANDIDATES = 8

_TOKEN = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class Anchor:
    """What is stored about a span: its old offsets, quote and context."""

    start: int
    end: int
    quote: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Placement:
    """Where an anchor lands in the new text, how it was found and how well it fits.

    An orphan has start = end = None and the best score seen (0.0 if none)."""

    start: int | None
    end: int | None
    method: str
    score: float

    @property
    def orphaned(self) -> bool:
        return self.method == ORPHAN


# Edit distance -------------------------------------------------------------------------


def match_ends(pattern: str, text: str) -> list[int]:
    """For each i, the fewest edits turning `pattern` into a substring of `text` ending
    at i + 1 (Myers' bit-parallel algorithm: one pass, a few integer ops per character)."""
    m = len(pattern)
    if m == 0:
        return [0] * len(text)
    peq: dict[str, int] = {}
    for i, ch in enumerate(pattern):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    full = (1 << m) - 1
    high = 1 << (m - 1)
    pv, mv, score = full, 0, m
    out = []
    append = out.append
    get = peq.get
    for ch in text:
        eq = get(ch, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & full) ^ pv) | eq
        ph = mv | (~(xh | pv) & full)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        # Shifting in zero lets a match start anywhere in the text.
        ph = (ph << 1) & full
        mh = (mh << 1) & full
        pv = mh | (~(xv | ph) & full)
        mv = ph & xv
        append(score)
    return out


def _agree(a: str, b: str) -> int:
    """How many leading characters two strings share."""
    return len(os.path.commonprefix((a, b)))


def _best_start(
    pattern: str, text: str, end: int, budget: int, prefix: str = ""
) -> tuple[int, int]:
    """Start and distance of the closest match of `pattern` ending exactly at `end`;
    among equally close starts, the one the stored prefix leads up to best."""
    lo = max(0, end - len(pattern) - budget)
    window = text[lo:end]
    # Matching the reversed pattern against the reversed window finds where it starts.
    distances = match_ends(pattern[::-1], window[::-1])
    reversed_prefix = prefix[::-1]

    def rank(i: int) -> tuple[int, int, int]:
        start = end - (i + 1)
        before = text[max(0, start - len(prefix)) : start][::-1]
        return distances[i], -_agree(before, reversed_prefix), abs((i + 1) - len(pattern))

    best_i = min(range(len(distances)), key=rank)
    return end - (best_i + 1), distances[best_i]


# Context -------------------------------------------------------------------------------


def _similarity(a: str, b: str) -> float:
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    """How alike the text around [start, end) is to the stored prefix and suffix (0..1)."""
    total = len(prefix) + len(suffix)
    if total == 0:
        return 1.0
    before = text[max(0, start - len(prefix)) : start]
    after = text[end : end + len(suffix)]
    weighted = len(prefix) * _similarity(prefix, before) + len(suffix) * _similarity(suffix, after)
    return weighted / total


def _context_exact(text: str, start: int, end: int, prefix: str, suffix: str) -> bool:
    return text.startswith(suffix, end) and text[max(0, start - len(prefix)) : start] == prefix


# Position map --------------------------------------------------------------------------


class PositionMap:
    """Maps offsets in the old text to where they most likely are in the new text, from a
    word-level diff, so searches start in the right place after insertions and deletions."""

    def __init__(self, old: str, new: str):
        old_tokens = _TOKEN.findall(old)
        new_tokens = _TOKEN.findall(new)
        old_starts = _starts(old_tokens)
        new_starts = _starts(new_tokens)
        matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
        # (old_start, old_end, new_start, new_end) in characters; pure insertions are
        # skipped so an offset at an insertion point maps to after the inserted text.
        opcodes = matcher.get_opcodes()
        self._blocks = [
            (old_starts[i1], old_starts[i2], new_starts[j1], new_starts[j2])
            for _tag, i1, i2, j1, j2 in opcodes
            if i2 > i1
        ]
        # Text that is new here: where a passage that moved and changed can only be.
        self.new_regions = [
            (new_starts[j1], new_starts[j2])
            for tag, _i1, _i2, j1, j2 in opcodes
            if j2 > j1 and tag != "equal"
        ]
        self._ends = [block[1] for block in self._blocks]
        self._new_length = len(new)

    def __call__(self, offset: int) -> int:
        i = bisect.bisect_right(self._ends, offset)
        if i == len(self._blocks):
            return self._new_length
        old_start, old_end, new_start, new_end = self._blocks[i]
        if old_end - old_start == new_end - new_start:
            return new_start + (offset - old_start)
        return new_start + (offset - old_start) * (new_end - new_start) // (old_end - old_start)


def _starts(tokens: Sequence[str]) -> list[int]:
    starts = [0]
    for token in tokens:
        starts.append(starts[-1] + len(token))
    return starts


# Placing one anchor --------------------------------------------------------------------


def _occurrences(text: str, quote: str) -> list[int]:
    found, i = [], text.find(quote)
    while i != -1:
        found.append(i)
        i = text.find(quote, i + 1)
    return found


def _exact(text: str, anchor: Anchor, expected: int) -> Placement | None:
    """Steps 1 and 2: the quote verbatim, best context first, then nearest."""
    starts = _occurrences(text, anchor.quote)
    if not starts:
        return None
    n = len(anchor.quote)
    in_context = [s for s in starts if _context_exact(text, s, s + n, anchor.prefix, anchor.suffix)]
    if in_context:
        start = min(in_context, key=lambda s: abs(s - expected))
        return Placement(start, start + n, EXACT, 1.0)
    scored = [
        (context_score(text, s, s + n, anchor.prefix, anchor.suffix), -abs(s - expected), s)
        for s in starts
    ]
    ctx, _, start = max(scored)
    return Placement(start, start + n, NEAREST, QUOTE_WEIGHT + (1 - QUOTE_WEIGHT) * ctx)


def _fuzzy_in(
    text: str, anchor: Anchor, lo: int, hi: int, budget: int, expected: int
) -> Placement | None:
    quote = anchor.quote
    distances = match_ends(quote, text[lo:hi])
    # Each run of acceptable end positions is one candidate; the ends at the run's lowest
    # distance can differ in context (a letter more or less at an edge).
    runs: list[list[int]] = []  # [distance, end, end, ...]
    run: list[int] | None = None
    for i, d in enumerate(distances):
        if d <= budget:
            if run is None or d < run[0]:
                run = [d, i]
            elif d == run[0]:
                run.append(i)
        elif run is not None:
            runs.append(run)
            run = None
    if run is not None:
        runs.append(run)
    if not runs:
        return None
    runs.sort(key=lambda r: (r[0], abs(lo + r[1] - len(quote) - expected)))
    best: Placement | None = None
    for run in runs[:MAX_CANDIDATES]:
        # Of the equally close ends, the one the stored suffix follows best.
        end = (
            lo
            + 1
            + max(
                run[1:],
                key=lambda i: _agree(
                    text[lo + i + 1 : lo + i + 1 + len(anchor.suffix)], anchor.suffix
                ),
            )
        )
        start, distance = _best_start(quote, text, end, budget, anchor.prefix)
        if distance > budget or not text[start:end].strip():
            continue
        quote_sim = 1 - distance / len(quote)
        ctx = context_score(text, start, end, anchor.prefix, anchor.suffix)
        score = QUOTE_WEIGHT * quote_sim + (1 - QUOTE_WEIGHT) * ctx
        if best is None or score > best.score:
            best = Placement(start, end, FUZZY, score)
    return best


def _regions(
    new_regions: Sequence[tuple[int, int]], length: int, size: int, reach: int
) -> list[tuple[int, int]]:
    """New-text regions big enough to hold a quote, widened and merged."""
    merged: list[tuple[int, int]] = []
    for lo, hi in new_regions:
        if hi - lo < size:
            continue
        lo, hi = max(0, lo - reach), min(length, hi + reach)
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


@functools.lru_cache(maxsize=512)
def _grams(chunk: str) -> frozenset[str]:
    # The same regions are checked for every anchor of a re-import.
    return frozenset(chunk[i : i + Q] for i in range(len(chunk) - Q + 1))


def _fuzzy(
    text: str,
    anchor: Anchor,
    expected: int,
    new_regions: Sequence[tuple[int, int]] | None = None,
) -> Placement | None:
    """Step 3: an approximate match, looked for near the expected position first, then
    in `new_regions` of the text (the whole text when not given)."""
    budget = int(len(anchor.quote) * ERROR_BUDGET)
    if budget == 0 or not text:
        return None
    reach = max(WINDOW, len(anchor.quote))
    lo = max(0, expected - reach)
    hi = min(len(text), expected + len(anchor.quote) + reach)
    found = _fuzzy_in(text, anchor, lo, hi, budget, expected)
    if found is not None and found.score >= MIN_SCORE:
        return found
    if new_regions is None:
        elsewhere = [(0, len(text))] if lo > 0 or hi < len(text) else []
    else:
        n = len(anchor.quote)
        elsewhere = _regions(new_regions, len(text), n - budget, budget + CONTEXT_REACH)
    # Each edit spoils at most Q of the quote's Q-grams, so a match within the budget
    # keeps at least `needed` of them: a region with fewer is skipped without a search.
    grams = [anchor.quote[i : i + Q] for i in range(len(anchor.quote) - Q + 1)]
    needed = len(grams) - Q * budget
    for region_lo, region_hi in elsewhere:
        if region_lo >= lo and region_hi <= hi:
            continue
        if needed > 0:
            present = _grams(text[region_lo:region_hi])
            if sum(g in present for g in grams) < needed:
                continue
        other = _fuzzy_in(text, anchor, region_lo, region_hi, budget, expected)
        if other is not None and (found is None or other.score > found.score):
            found = other
    return found


def locate(
    text: str,
    anchor: Anchor,
    expected: int | None = None,
    new_regions: Sequence[tuple[int, int]] | None = None,
) -> Placement:
    """Place one anchor in `text`; `expected` is where its start most likely is now.
    A fuzzy match away from there is looked for in `new_regions`, or everywhere."""
    if expected is None:
        expected = anchor.start
    if not anchor.quote.strip():
        return Placement(None, None, ORPHAN, 0.0)
    # The words themselves, wherever they are, beat any approximation of them.
    exact = _exact(text, anchor, expected)
    if exact is not None:
        return exact
    fuzzy = _fuzzy(text, anchor, expected, new_regions)
    if fuzzy is None:
        return Placement(None, None, ORPHAN, 0.0)
    if fuzzy.score < MIN_SCORE:
        return Placement(None, None, ORPHAN, fuzzy.score)
    return fuzzy


def find_exact(text: str, anchor: Anchor, expected: int | None = None) -> Placement | None:
    """The verbatim quote in `text` (steps 1 and 2 only), or None: for copying verdicts,
    where a near miss is a different claim."""
    if not anchor.quote.strip():
        return None
    return _exact(text, anchor, anchor.start if expected is None else expected)


def reanchor(old: str, new: str, anchors: Iterable[Anchor]) -> list[Placement]:
    """Place every anchor from the old text in the new one, in the order given."""
    anchors = list(anchors)
    if not anchors:
        return []
    if old == new:
        return [Placement(a.start, a.end, EXACT, 1.0) for a in anchors]
    position = PositionMap(old, new)
    return [locate(new, a, position(a.start), position.new_regions) for a in anchors]
