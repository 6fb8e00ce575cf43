"""Checks and normalisation of what people type, applied by the services whatever the
channel (browser form, API, admin, command); forms call the same checks for early errors."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError

from ..lib import iri
from ..lib.text import CONTROL_CHARACTERS

URL_MAX = iri.URL_MAX


class Unprocessable(ValidationError):
    """Well-formed, but it does not fit the stored data or a rule joining two fields: a
    span outside the article's text, a rejection without a reason (the API's 422; a
    malformed value stays a plain ValidationError, the API's 400)."""


_CONTROL = re.compile(f"[{CONTROL_CHARACTERS}]")  # after CR and CRLF became LF
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_evidence_url(url: str) -> str:
    """The link as a valid http(s) IRI (lib/iri.py: forbidden characters percent-encoded,
    scheme and host lower-cased); ValidationError for what could hide the real host."""
    if not isinstance(url, str) or not url:
        raise ValidationError("Enter a link.", code="required")
    try:
        cleaned = iri.normalise_iri(url)
    except iri.IriError as exc:
        raise ValidationError(exc.message, code=exc.code) from None
    if len(cleaned) > URL_MAX:  # percent-encoding made it longer
        raise ValidationError(f"Links are at most {URL_MAX} characters.", code="too_long")
    return cleaned


NOTE_MAX = 10_000
EVIDENCE_TITLE_MAX = 300
EVIDENCE_MAX = 20


def clean_user_text(value: str, *, field: str, max_length: int) -> str:
    """One normalisation of typed text: CRLF and CR become LF, Unicode NFC, surrounding
    white space dropped; NUL and other control characters (but tab and LF) refused."""
    if not isinstance(value, str):
        raise ValidationError({field: "Must be text."})
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(value):
        raise ValidationError({field: "Must not contain control characters."})
    value = unicodedata.normalize("NFC", value).strip()
    if _SURROGATE.search(value):
        raise ValidationError({field: "Must be valid Unicode text."})
    if len(value) > max_length:
        raise ValidationError({field: f"At most {max_length} characters."})
    return value


def clean_evidence(evidence) -> list[dict]:
    """Evidence links as `{"url", "title"}` dicts, blank rows dropped, every link checked."""
    cleaned, errors = [], []
    for item in evidence or ():
        url = (item.get("url") or "").strip()
        title = item.get("title") or ""
        if not url and not str(title).strip():
            continue
        try:
            url = clean_evidence_url(url)
            title = clean_user_text(title, field="title", max_length=EVIDENCE_TITLE_MAX)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        cleaned.append({"url": url, "title": title})
    if errors:
        raise ValidationError({"evidence": errors})
    if len(cleaned) > EVIDENCE_MAX:
        raise ValidationError({"evidence": f"At most {EVIDENCE_MAX} links."})
    return cleaned
