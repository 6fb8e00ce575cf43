"""Search input and output, the same on every database (pure, no Django): the words of a
typed query, the full-text query strings built from them, and highlighted snippets."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Private-use code points mark the matched words in a snippet the database returns; they
# are split off here, so no markup from the database ever reaches a template.
MARK_START = "\ue000"
MARK_END = "\ue001"
TERMS_MAX = 16
_WORD = re.compile(r"\d[\d,.]*\d|\w+", re.UNICODE)


def query_words(q: str, *, limit: int = TERMS_MAX) -> list[str]:
    """The words of a typed query, lower-cased, without repeats, at most `limit`.

    Only word characters survive, so no input can reach the query syntax of FTS5 or
    tsquery: `"Kursk" OR -x*` is simply the words kursk, or, x."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(q.lower()):
        seen.setdefault(word.strip("_"), None)
    return [w for w in seen if w][:limit]


def fts5_all(words: list[str]) -> str:
    """An FTS5 query matching rows that hold every word (each quoted as a phrase)."""
    return " ".join(f'"{w}"' for w in words)


def fts5_any(words: list[str]) -> str:
    return " OR ".join(f'"{w}"' for w in words)


def fts5_pairs(words: list[str]) -> str:
    """An FTS5 query matching rows that hold at least two of the words: far fewer rows to
    rank than "any word" when the words are common ones."""
    pairs = [(a, b) for i, a in enumerate(words) for b in words[i + 1 :]]
    return " OR ".join(f'("{a}" AND "{b}")' for a, b in pairs)


def websearch_pairs(words: list[str]) -> str:
    pairs = [(a, b) for i, a in enumerate(words) for b in words[i + 1 :]]
    return " or ".join(f'"{a}" "{b}"' for a, b in pairs)


def websearch_all(words: list[str]) -> str:
    """A websearch_to_tsquery string with every word, each quoted."""
    return " ".join(f'"{w}"' for w in words)


def websearch_any(words: list[str]) -> str:
    return " or ".join(f'"{w}"' for w in words)


@dataclass(frozen=True)
class Snippet:
    """A piece of text around the matched words; `marks` are [start, end) code points."""

    text: str
    marks: tuple[tuple[int, int], ...]

    def parts(self) -> list[tuple[str, bool]]:
        """(text, matched) pieces in order, for a template to wrap the matched in <mark>."""
        out, at = [], 0
        for start, end in self.marks:
            if start > at:
                out.append((self.text[at:start], False))
            out.append((self.text[start:end], True))
            at = end
        if at < len(self.text):
            out.append((self.text[at:], False))
        return out

    def as_dict(self) -> dict:
        return {"text": self.text, "marks": [list(m) for m in self.marks]}


def parse_marked(marked: str) -> Snippet:
    """A snippet from text with MARK_START/MARK_END around its matches (stray marks dropped)."""
    text: list[str] = []
    marks: list[tuple[int, int]] = []
    length, open_at = 0, None
    for ch in marked:
        if ch == MARK_START:
            open_at = length if open_at is None else open_at
        elif ch == MARK_END:
            if open_at is not None and length > open_at:
                marks.append((open_at, length))
            open_at = None
        else:
            text.append(ch)
            length += 1
    return Snippet("".join(text), tuple(marks))
