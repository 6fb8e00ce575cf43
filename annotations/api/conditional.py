"""Conditional requests per RFC 9110 §13: If-Match (strong comparison) on writes, and
If-None-Match (weak comparison) on reads. An annotation's entity tag is its version."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rest_framework.exceptions import APIException, ParseError

from annotations.models import Annotation

# entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE; etagc = %x21 / %x23-7E / obs-text. Header
# values reach Django as Latin-1, so obs-text is U+0080 to U+00FF here.
_ENTITY_TAG = re.compile(r'(W/)?"([\x21\x23-\x7e\x80-\xff]*)"')
_LIST_GAP = re.compile(r"[ \t]*(?:,[ \t]*)*")
ANY = "*"


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = 'Send If-Match with the annotation\'s ETag (e.g. If-Match: "3").'
    default_code = "precondition_required"


@dataclass(frozen=True)
class EntityTag:
    opaque: str  # with its quotes, as sent: '"3"'
    weak: bool = False


def etag(annotation: Annotation) -> str:
    return f'"{annotation.version}"'


def parse_tags(header: str, *, name: str) -> list[EntityTag] | str:
    """The entity tags of an If-Match / If-None-Match value, or ANY for `*`; 400 when the
    value is not that grammar (a bare `3`, an unclosed quote, two tags without a comma)."""
    value = header.strip(" \t")
    if value == ANY:
        return ANY
    tags: list[EntityTag] = []
    position = _LIST_GAP.match(value).end()
    while position < len(value):
        match = _ENTITY_TAG.match(value, position)
        if match is None:
            break
        tags.append(EntityTag(f'"{match.group(2)}"', weak=bool(match.group(1))))
        gap = _LIST_GAP.match(value, match.end())
        if gap.end() < len(value) and "," not in value[match.end() : gap.end()]:
            break  # two tags with no comma between them
        position = gap.end()
    else:
        if tags:
            return tags
    raise ParseError(f'{name} must be "*" or a list of entity tags such as "3" (RFC 9110).')


def if_match_version(request, annotation: Annotation, *, required: bool) -> int | None:
    """The version a write may go ahead on: the current one when If-Match holds its tag
    (strong comparison), None when it is `*` or absent (428 if `required`). A
    well-formed tag that does not match raises a 412 (PreconditionFailed)."""
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        if required:
            raise PreconditionRequired()
        return None
    tags = parse_tags(header, name="If-Match")
    if tags == ANY:
        return None
    current = etag(annotation)
    if any(not tag.weak and tag.opaque == current for tag in tags):
        return annotation.version
    raise PreconditionFailed(annotation)


def none_match(request, annotation: Annotation) -> bool:
    """True when If-None-Match names the current representation (weak comparison): the
    client's copy is fresh and a GET answers 304."""
    header = request.headers.get("If-None-Match")
    if header is None or not header.strip():
        return False
    tags = parse_tags(header, name="If-None-Match")
    return tags == ANY or any(tag.opaque == etag(annotation) for tag in tags)


class PreconditionFailed(APIException):
    """If-Match names no current representation: 412 with the current version."""

    status_code = 412
    default_code = "precondition_failed"

    def __init__(self, annotation: Annotation):
        super().__init__(
            f"If-Match does not name the current version ({etag(annotation)}); reload it."
        )
        self.current_version = annotation.version
        self.status = annotation.status
