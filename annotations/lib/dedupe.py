"""Pure: near-duplicate detection by hashed word shingles (containment of the smaller
article's 5-grams in the larger one)."""

from __future__ import annotations

import hashlib
import re

_WORD = re.compile(r"\w+")

SHINGLE_SIZE = 5
# Containment of the smaller article's word 5-grams in the larger one. Syndicated copies
# with a new headline and trimmed paragraphs score above 0.8; two reports of the same
# event in different words score under 0.1 (5-grams rarely repeat by chance), so 0.5
# leaves a wide margin on both sides.
NEAR_DUPLICATE_CONTAINMENT = 0.5
# Below this many shingles the measure is noise (a headline-only file).
MIN_SHINGLES = 20


def shingles(text: str, size: int = SHINGLE_SIZE) -> frozenset[int]:
    """Hashed word n-grams of case-folded text; punctuation and spacing do not count."""
    words = _WORD.findall(text.casefold())
    return frozenset(
        int.from_bytes(
            hashlib.blake2b(" ".join(words[i : i + size]).encode(), digest_size=8).digest()
        )
        for i in range(max(0, len(words) - size + 1))
    )


def containment(a: frozenset[int], b: frozenset[int]) -> float:
    """Share of the smaller set found in the larger one (0.0 when either is too small)."""
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    if len(small) < MIN_SHINGLES:
        return 0.0
    return len(small & large) / len(small)


def is_near_duplicate(a: frozenset[int], b: frozenset[int]) -> bool:
    return containment(a, b) >= NEAR_DUPLICATE_CONTAINMENT


def as_signed(value: int) -> int:
    """A 64-bit hash as the signed integer a BIGINT column holds."""
    return value - 2**64 if value >= 2**63 else value


def earliest_near_duplicate(size: int, overlaps: dict[int, tuple[int, int]]) -> int | None:
    """The lowest id among `overlaps` ({id: (shared shingles, its size)}) that a text of
    `size` shingles nearly duplicates, by the same containment rule as is_near_duplicate."""
    for other_id in sorted(overlaps):
        shared, other_size = overlaps[other_id]
        smaller = min(size, other_size)
        if smaller >= MIN_SHINGLES and shared / smaller >= NEAR_DUPLICATE_CONTAINMENT:
            return other_id
    return None
