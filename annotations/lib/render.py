"""Pure: split an article's text into segments at every span boundary.

Each segment is a run of text covered by the same set of spans, so overlapping and nested
highlights render as flat, non-nesting elements the browser can map back to offsets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Most important first: when spans of several verdicts cover a segment, the first one
# present sets its main colour and underline; the others show as extra underlines.
VERDICT_ORDER = ("disputed", "verified", "opinion")
MAX_DEPTH_CLASS = 3


@dataclass(frozen=True)
class Span:
    id: int
    start: int
    end: int
    verdict: str


@dataclass(frozen=True)
class Segment:
    start: int  # code point offset of the segment's first character in the text
    end: int
    text: str  # the segment's text (templates escape it)
    ids: tuple[int, ...] = ()  # covering spans, outermost (earliest start) first
    verdicts: tuple[str, ...] = ()  # distinct verdicts of those spans, in VERDICT_ORDER
    ends: tuple[str, ...] = ()  # verdicts of spans that end with this segment

    @property
    def depth(self) -> int:
        return len(self.ids)

    @property
    def is_break(self) -> bool:
        return self.text == "\n"

    @property
    def css_class(self) -> str:
        """Classes for the segment's element: verdict, nesting depth, other verdicts."""
        if self.is_break:
            return "seg br"
        if not self.ids:
            return "seg"
        names = ["seg", "hl", f"hl-{self.verdicts[0]}"]
        names.append(f"depth-{min(self.depth, MAX_DEPTH_CLASS)}")
        names += [f"also-{v}" for v in self.verdicts[1:]]
        if self.ends:
            names.append(f"end-{self.ends[0]}")
        return " ".join(names)

    @property
    def ids_attr(self) -> str:
        return " ".join(str(i) for i in self.ids)


def _verdict_rank(verdict: str) -> int:
    try:
        return VERDICT_ORDER.index(verdict)
    except ValueError:
        return len(VERDICT_ORDER)


def segments(text: str, spans: Iterable[Span]) -> list[Segment]:
    """Segments covering the whole text, in order. Spans outside the text are ignored.

    One pass over the sorted boundaries (span ends and line breaks): each span is added at
    its start and removed at its end, so the cost is O(b log b + output) rather than a
    scan per span.
    """
    n = len(text)
    valid = [s for s in spans if 0 <= s.start < s.end <= n]
    opening: dict[int, list[Span]] = {}
    closing: dict[int, list[Span]] = {}
    for s in sorted(valid, key=lambda s: (s.start, -s.end, s.id)):
        opening.setdefault(s.start, []).append(s)
        closing.setdefault(s.end, []).append(s)
    # Each line break is a segment of its own, so paragraphs can be spaced apart in CSS
    # without adding anything to the text the offsets count.
    breaks = [i for i, ch in enumerate(text) if ch == "\n"]
    boundaries = sorted({0, n, *opening, *closing, *breaks, *(i + 1 for i in breaks)})

    active: dict[int, Span] = {}  # insertion order = outermost first
    result: list[Segment] = []
    for here, there in zip(boundaries, boundaries[1:], strict=False):
        for s in closing.get(here, ()):
            del active[s.id]
        for s in opening.get(here, ()):
            active[s.id] = s
        covering = tuple(active.values())
        verdicts = tuple(sorted({s.verdict for s in covering}, key=_verdict_rank))
        ends = tuple(
            sorted({s.verdict for s in closing.get(there, ())}, key=_verdict_rank)
            if covering
            else ()
        )
        result.append(
            Segment(
                start=here,
                end=there,
                text=text[here:there],
                ids=tuple(s.id for s in covering),
                verdicts=verdicts,
                ends=ends,
            )
        )
    return result
