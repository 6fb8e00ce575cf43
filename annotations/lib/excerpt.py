"""Pure: the sentence around a span, so an editor can judge a quote in its context."""

from __future__ import annotations

import re

# A sentence ends at . ! or ? (with any closing quotes or brackets) before a space, or at
# a line break; scraped articles often break paragraphs without punctuation.
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)\]]*\s+|\n+")
_ENDS_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*\Z")
_STARTS_BREAK = re.compile(r"\s")
CONTEXT_MAX = 280
ELLIPSIS = "…"


def _trim_left(before: str, limit: int) -> str:
    if len(before) <= limit:
        return before
    cut = before[-limit:]
    space = cut.find(" ")
    if 0 <= space < limit // 2:
        cut = cut[space + 1 :]
    return ELLIPSIS + cut


def _trim_right(after: str, limit: int) -> str:
    if len(after) <= limit:
        return after
    cut = after[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut + ELLIPSIS


def sentence_context(text: str, start: int, end: int, limit: int = CONTEXT_MAX) -> tuple[str, str]:
    """The rest of the sentence(s) before text[start:end] and after it, each at most
    `limit` code points (cut at a word, marked with an ellipsis)."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    sentence_start = 0
    for match in _SENTENCE_BREAK.finditer(text, max(0, start - limit - 1), start):
        sentence_start = match.end()
    after_match = _SENTENCE_BREAK.search(text, end, end + limit + 1)
    if _ENDS_SENTENCE.search(text, max(start, end - 4), end) and _STARTS_BREAK.match(text, end):
        sentence_end = end  # the quote itself ends its sentence
    elif after_match is None:
        sentence_end = min(len(text), end + limit + 1)
    else:
        # Keep the closing punctuation, drop the space or line break after it.
        sentence_end = after_match.start() + len(after_match.group().rstrip())
    before = text[sentence_start:start]
    after = text[end:sentence_end]
    return _trim_left(before, limit), _trim_right(after, limit)
