"""Pure: split an article's text into segments at every span boundary.

Each segment is a run of text covered by the same set of spans, so overlapping and nested
highlights render as flat, non-nesting elements the browser can map back to offsets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

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


def segments(text: str, spans: Iterable[Span], lo: int = 0, hi: int | None = None) -> list[Segment]:
    """Segments covering text[lo:hi] (the whole text by default), in order, with offsets
    into the whole text. Spans outside the text are ignored.

    One pass over the sorted boundaries (span ends and line breaks): each span is added at
    its start and removed at its end, so the cost is O(b log b + output) rather than a
    scan per span.
    """
    n = len(text)
    hi = n if hi is None else hi
    valid = [s for s in spans if 0 <= s.start < s.end <= n and s.start < hi and s.end > lo]
    opening: dict[int, list[Span]] = {}
    closing: dict[int, list[Span]] = {}
    for s in sorted(valid, key=lambda s: (s.start, -s.end, s.id)):
        opening.setdefault(s.start, []).append(s)
        closing.setdefault(s.end, []).append(s)
    # Each line break is a segment of its own, so paragraphs can be spaced apart in CSS
    # without adding anything to the text the offsets count.
    breaks = [i for i in range(lo, hi) if text[i] == "\n"]
    cuts = {lo, hi, *opening, *closing, *breaks, *(i + 1 for i in breaks)}
    boundaries = sorted(b for b in cuts if lo <= b <= hi)
    if lo >= hi:
        return []

    active: dict[int, Span] = {}  # insertion order = outermost first
    result: list[Segment] = []
    for s in valid:  # spans already open where the window starts, outermost first
        if s.start < lo < s.end:
            active[s.id] = s
    active = dict(sorted(active.items(), key=lambda kv: (kv[1].start, -kv[1].end, kv[0])))
    for here, there in zip(boundaries, boundaries[1:], strict=False):
        for s in closing.get(here, ()):
            active.pop(s.id, None)
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


# A chunk of about this many code points is the unit the page redraws after a save.
CHUNK_TARGET = 2_000


@dataclass(frozen=True)
class Chunk:
    start: int
    end: int
    block: bool  # starts at a line start and ends after a line break (or the text end)


def chunks(text: str, target: int = CHUNK_TARGET) -> list[Chunk]:
    """Cut the text into runs of whole lines of about `target` code points; a longer line
    is cut at a space after `target`. Depends on the text alone, so a chunk's bounds are
    the same on every render and a save can redraw just the chunks its span touches."""
    n = len(text)
    bounds = [0]
    at = 0
    while at < n:
        stop = min(n, at + target)
        if stop < n:
            line_end = text.find("\n", stop - 1)
            line_start = text.rfind("\n", at, stop)
            if line_start >= 0 and line_start + 1 > at:
                stop = line_start + 1  # the last whole line that fits
            elif 0 <= line_end < at + 2 * target:
                stop = line_end + 1  # one long line, but it ends soon
            else:
                space = text.find(" ", stop)
                stop = n if space < 0 else space + 1
        bounds.append(stop)
        at = stop
    result = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        at_line_start = start == 0 or text[start - 1] == "\n"
        at_line_end = end == n or text[end - 1] == "\n"
        result.append(Chunk(start, end, at_line_start and at_line_end))
    # Inline chunks (parts of one long line) flow into each other; a block one holds whole
    # lines, so the browser can skip laying it out while it is off screen.
    return result


def chunks_touching(all_chunks: list[Chunk], start: int, end: int) -> list[Chunk]:
    """The chunks that hold any part of [start, end)."""
    return [c for c in all_chunks if c.start < end and c.end > start]


def segments_html(segs: Iterable[Segment]) -> str:
    """The segments as escaped HTML spans (a loop in Python: a template loop over thousands
    of segments is most of a page's server time)."""
    out = []
    for s in segs:
        if s.ids:
            out.append(
                f'<span class="{s.css_class}" data-start="{s.start}" data-ids="{s.ids_attr}">'
                f"{escape(s.text)}</span>"
            )
        else:
            out.append(
                f'<span class="{s.css_class}" data-start="{s.start}">{escape(s.text)}</span>'
            )
    return "".join(out)
