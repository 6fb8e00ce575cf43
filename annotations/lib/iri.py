"""Pure: evidence links as valid IRIs (RFC 3987). What the RFC forbids in a path, query or
fragment is percent-encoded; what would make a reader misjudge where a link goes (user
info, a backslash in the host part, a port out of range, a host that is no host name) is
refused. The host can be shown as a person reads it: IDN decoded, punycode flagged."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import idna

URL_MAX = 2048
_WHITESPACE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
# Not allowed anywhere in an IRI outside the authority (RFC 3987 section 2.2): these ASCII
# characters, `[` `]` outside an IP literal, bidi formatting marks (section 4.1), private
# use, non-characters, and lone surrogates.
_ASCII_FORBIDDEN = frozenset('"<>\\^`{|}[]')
_BIDI_FORMATTING = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_HEX = frozenset("0123456789abcdefABCDEF")


class IriError(ValueError):
    """Why a link is refused: `code` names the rule, the message is for the person."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def _forbidden(ch: str) -> bool:
    if ch in _ASCII_FORBIDDEN or ch in _BIDI_FORMATTING:
        return True
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF or 0xE000 <= code <= 0xF8FF or code >= 0xF0000:
        return True
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def _encode(ch: str) -> str:
    return "".join(f"%{byte:02X}" for byte in ch.encode("utf-8", "surrogatepass"))


def _escape_tail(tail: str) -> str:
    """Percent-encode what RFC 3987 forbids in path, query and fragment; a `%` that does
    not start an escape becomes `%25`; a second `#` is part of the fragment (`%23`)."""
    out: list[str] = []
    in_fragment = False
    for i, ch in enumerate(tail):
        if ch == "%":
            escape = tail[i + 1 : i + 3]
            out.append("%" if len(escape) == 2 and set(escape) <= _HEX else "%25")
        elif ch == "#":
            out.append("%23" if in_fragment else "#")
            in_fragment = True
        else:
            out.append(_encode(ch) if _forbidden(ch) else ch)
    return "".join(out)


def _check_host(host: str) -> str:
    """The host; refused unless it is a DNS name (IDN allowed), IPv4 or bracketed IPv6."""
    if host.startswith("["):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            raise IriError("The address in brackets is not an IPv6 address.", "host") from None
        return host.lower()
    try:
        idna.encode(host, uts46=True, std3_rules=True)
    except (idna.IDNAError, UnicodeError, ValueError):
        raise IriError(f"“{host[:80]}” is not a valid host name.", "host") from None
    return host.lower()


def normalise_iri(url: str) -> str:
    """An absolute http(s) IRI with a real host, forbidden characters percent-encoded.
    Raises IriError for anything a reader could mistake for another address."""
    if not url:
        raise IriError("Enter a link.", "required")
    if len(url) > URL_MAX:
        raise IriError(f"Links are at most {URL_MAX} characters.", "too_long")
    if _WHITESPACE.search(url):
        raise IriError("Links cannot contain spaces or line breaks.", "whitespace")
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        raise IriError("Links must start with http:// or https://.", "scheme")
    # The authority ends at the first of / ? #, as every browser reads it; a backslash is
    # a slash to a browser but not to other parsers, so where it ends is ambiguous.
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    tail = rest[len(authority) :]
    if "\\" in authority:
        raise IriError("A backslash in the host part makes the real host ambiguous.", "host")
    if "@" in authority:
        raise IriError(
            "Links cannot carry a user name or password (user@host): it hides the real host.",
            "userinfo",
        )
    try:
        parts = urlsplit(f"http://{authority}")
        port, host = parts.port, parts.hostname or ""
    except ValueError as exc:
        if "port" in str(exc).lower():
            raise IriError("The port must be a number from 1 to 65535.", "port") from None
        raise IriError("This is not a valid host.", "host") from None
    if port == 0:
        raise IriError("The port must be a number from 1 to 65535.", "port")
    if not host:
        raise IriError("Links need a host name.", "host")
    host = _check_host(f"[{host}]" if ":" in host else host.rstrip("."))
    netloc = host + ("" if port is None else f":{port}")
    return f"{scheme.lower()}://{netloc}{_escape_tail(tail)}"


@dataclass(frozen=True)
class LinkHost:
    """How to show where a link goes: `name` as a person reads it, and whether the link
    spelled it in punycode (`xn--`) or it holds characters outside ASCII (look-alikes)."""

    name: str
    punycode: bool
    unicode: bool


def link_host(url: str) -> LinkHost | None:
    """The host of a stored link for display, IDN decoded; None when there is none."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    if not host:
        return None
    punycode = any(label.startswith("xn--") for label in host.split("."))
    name = host
    if punycode:
        try:
            name = idna.decode(host)
        except (idna.IDNAError, UnicodeError, ValueError):
            name = host
    return LinkHost(name=name, punycode=punycode, unicode=not name.isascii())
