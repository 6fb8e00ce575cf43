"""Pure input checks shared by forms, the API and services."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

URL_MAX = 2048
_FORBIDDEN_IN_URL = re.compile(r"[\s\x00-\x1f\x7f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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


def clean_plain_text(value: str, *, field: str, max_length: int) -> str:
    """Plain text without control characters (NUL breaks PostgreSQL), within a length."""
    if not isinstance(value, str):
        raise ValidationError({field: "Must be text."})
    if _CONTROL.search(value):
        raise ValidationError({field: "Must not contain control characters."})
    if len(value) > max_length:
        raise ValidationError({field: f"At most {max_length} characters."})
    return value
