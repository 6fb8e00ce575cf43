"""Checks and normalisation of what people type, applied by the services whatever the
channel (browser form, API, admin, command); forms call the same checks for early errors."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

URL_MAX = 2048
_FORBIDDEN_IN_URL = re.compile(r"[\s\x00-\x1f\x7f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_evidence_url(url: str) -> str:
    """Return the URL if it is an absolute http(s) URL with a host; raise ValidationError."""
    if not isinstance(url, str) or not url:
        raise ValidationError("Enter a link.", code="required")
    if len(url) > URL_MAX:
        raise ValidationError(f"Links are at most {URL_MAX} characters.", code="too_long")
    if _FORBIDDEN_IN_URL.search(url):
        raise ValidationError("Links cannot contain spaces or line breaks.", code="whitespace")
    try:
        parts = urlsplit(url)
        hostname = parts.hostname
    except ValueError:
        raise ValidationError("This is not a valid link.", code="invalid") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValidationError("Links must start with http:// or https://.", code="scheme")
    if not hostname:
        raise ValidationError("Links need a host name.", code="host")
    # Lower-case the scheme so the database check (http:// or https://) always holds.
    return parts.scheme.lower() + url[len(parts.scheme) :]


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
