"""Sentence segmentation of article text into code point spans (pure, no Django).

News prose only needs a few rules: a sentence ends at . ! ? or … (with any closing quote
or bracket after it) followed by white space and a capital, digit or opening quote, unless
the word before is a common abbreviation; a line break always ends one. Very long spans
are cut at ; or : so a candidate passage stays about one claim long.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A full stop after these does not end a sentence ("Dr. Mitchell", "U.S. policy").
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st mt gen col lt sgt capt gov sen rep pres rev vs etc no "  # noqa: SIM905
    "jan feb mar apr jun jul aug sep sept oct nov dec inc ltd co corp dept est approx fig "
    "u.s u.k u.n e.u d.c a.m p.m i.e e.g".split()
)
_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[\w*#])")
_LINE = re.compile(r"\n+")
_SOFT = re.compile(r"[;:](?=\s)")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
LONG = 400
MIN_CHARS = 3


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def _is_abbreviation(text: str, stop: int) -> bool:
    """Whether the full stop at `stop` closes an abbreviation or an initial ("J. Smith")."""
    match = _WORD_BEFORE.search(text, max(0, stop - 12), stop)
    if match is None:
        return False
    word = match.group(1).lower().rstrip(".")
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _cuts(text: str, start: int, end: int) -> list[int]:
    """Offsets inside [start, end) where a sentence ends."""
    cuts = []
    for match in _END.finditer(text, start, end):
        if text[match.start()] == "." and _is_abbreviation(text, match.start()):
            continue
        cuts.append(match.end())
    return cuts


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if end - start <= LONG:
        return [(start, end)]
    pieces, begin = [], start
    for match in _SOFT.finditer(text, start, end):
        if match.end() - begin >= LONG // 4:
            pieces.append((begin, match.end()))
            begin = match.end()
    pieces.append((begin, end))
    return pieces


def split(text: str) -> list[Sentence]:
    """The sentences of `text`, in order, as trimmed code point spans that never overlap."""
    spans: list[tuple[int, int]] = []
    line_start = 0
    for line_end in [m.start() for m in _LINE.finditer(text)] + [len(text)]:
        begin = line_start
        for cut in [*_cuts(text, line_start, line_end), line_end]:
            spans.extend(_split_long(text, begin, cut))
            begin = cut
        line_start = line_end + 1
    sentences = []
    for start, end in spans:
        start, end = _trimmed(text, start, end)
        if end - start >= MIN_CHARS and any(c.isalnum() for c in text[start:end]):
            sentences.append(Sentence(start, end, text[start:end]))
    return sentences


def covering(sentences: list[Sentence], start: int, end: int) -> tuple[int, int]:
    """The span of the sentences that overlap [start, end), or the span itself if none."""
    hit = [s for s in sentences if s.start < end and s.end > start]
    if not hit:
        return start, end
    return min(hit[0].start, start), max(hit[-1].end, end)
