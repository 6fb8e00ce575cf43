"""Pure text helpers: normalising imported files, hashing, parsing seed headers, context.

Nothing here touches the database, so it is tested with plain pytest and Hypothesis.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass

CONTEXT_WIDTH = 32
# The control characters typed text and query text may not hold, as a character-class
# body: NUL, the C0 controls but tab, LF and CR, DEL and the C1 controls.
CONTROL_CHARACTERS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
TITLE_MAX = 120
# A first line longer than this is a paragraph, not a title.
TITLE_LINE_MAX = 200

_DATE_HEADER = re.compile(r"\A[ \t]*date[ \t]+(\d{4}-\d{2}-\d{2})[ \t]+")
_MARKDOWN_IMAGE = re.compile(r"\A!\[(?P<alt>[^\]\n]*)\]\((?P<src>[^)\s]*)\)[ \t]*\Z")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s|\Z)")
_READ_FULL_AT = re.compile(r"Read Full Article at ([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
_WORD = re.compile(r"\w+")


class ArticleFileError(ValueError):
    """The file cannot become an article; the message is one readable line."""


@dataclass(frozen=True)
class ParsedArticle:
    title: str
    body: str
    published: dt.date | None = None
    source: str = ""


def normalise(raw: bytes | str) -> str:
    """Decode UTF-8 (dropping a BOM), turn CRLF/CR into LF, compose to NFC, drop NUL."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ArticleFileError(f"not UTF-8 text (bad byte at offset {exc.start})") from None
    text = raw.removeprefix("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\x00", "")
    return unicodedata.normalize("NFC", text)


def content_hash(text: str) -> str:
    """SHA-256 hex digest of already normalised text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def looks_binary(raw: bytes) -> bool:
    """True for content that decodes but is not prose: many NUL or other control bytes."""
    if not raw:
        return False
    sample = raw[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    # Scraped prose has essentially no control bytes; 1% is far above any real article.
    return controls > max(2, len(sample) // 100)


def _trim_title(title: str) -> str:
    title = " ".join(title.split())
    if len(title) <= TITLE_MAX:
        return title
    cut = title[: TITLE_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:–—-")
    return cut + "…"


def first_sentence(text: str) -> str:
    """The first sentence of the first non-empty line."""
    line = next((ln.strip() for ln in text.split("\n") if ln.strip()), "")
    match = _SENTENCE_END.search(line)
    return line[: match.end()] if match else line


def _is_title_line(line: str, rest: str) -> bool:
    stripped = line.strip()
    if not stripped or not rest.strip() or len(stripped) > TITLE_LINE_MAX:
        return False
    # A headline does not end like a sentence; a first paragraph does.
    return not _SENTENCE_END.search(stripped[-3:] if len(stripped) > 3 else stripped)


def parse_article(text: str, fallback_title: str = "") -> ParsedArticle:
    """Split normalised file text into title, body, date and source, per the seed formats.

    - ` date YYYY-MM-DD ` before the first line: the date goes to `published`.
    - A Markdown image line first: its alt text is the title, and the line is not body.
    - A short first line that does not end like a sentence: the title, not body.
    - Otherwise the first sentence serves as title and the body is the whole text.
    """
    published = None
    match = _DATE_HEADER.match(text)
    if match:
        try:
            published = dt.date.fromisoformat(match.group(1))
        except ValueError:
            raise ArticleFileError(f"bad date header {match.group(1)!r}") from None
        text = text[match.end() :]

    first, _, rest = text.partition("\n")
    source = ""
    image = _MARKDOWN_IMAGE.match(first.strip())
    if image and image.group("alt").strip():
        title, body = image.group("alt"), rest
    elif _is_title_line(first, rest):
        title, body = first, rest
    else:
        title, body = first_sentence(text), text
    body = body.lstrip("\n")
    if not body.strip():
        raise ArticleFileError("no article text")
    trailer = _READ_FULL_AT.search(body)
    if trailer:
        source = trailer.group(1)
    return ParsedArticle(
        title=_trim_title(title) or fallback_title,
        body=body,
        published=published,
        source=source,
    )


def context(text: str, start: int, end: int, width: int = CONTEXT_WIDTH) -> tuple[str, str]:
    """Prefix and suffix of up to `width` code points around text[start:end]."""
    return text[max(0, start - width) : start], text[end : end + width]
