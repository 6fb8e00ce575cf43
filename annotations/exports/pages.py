"""W3C paging, shared by the export (`?page=`) and the annotation container: an
AnnotationCollection that links its first and last page, and AnnotationPages that link
`next`, `prev` and `partOf` and say where they start (`startIndex`). Pages count from 0,
as in the Web Annotation Protocol's examples."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

import orjson

from . import mapping
from .streaming import Chunks

PAGE_SIZE = 100
PAGE_SIZE_MAX = 1000
# Query parameters that pick a page rather than a set of annotations.
PAGING_PARAMS = ("page", "page_size", "iris")
COLLECTION_LABEL = "Fact-check annotations"


class PageError(ValueError):
    """A page number or size that is not a whole number in range (400)."""


class NoSuchPage(PageError):
    """A page past the last one (404)."""


def whole_number(value: str | None, *, name: str, default: int, low: int, high: int) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise PageError(f"{name} must be a whole number.") from None
    if not low <= number <= high:
        raise PageError(f"{name} must be between {low} and {high}.")
    return number


def page_size(params: Mapping[str, str]) -> int:
    """`page_size` from a query: 1 to PAGE_SIZE_MAX, PAGE_SIZE when absent."""
    value = params.get("page_size")
    return whole_number(value, name="page_size", default=PAGE_SIZE, low=1, high=PAGE_SIZE_MAX)


def collection_iri(base: str, params: Mapping[str, str]) -> str:
    """The collection's IRI: the path and the filters, from the parsed query and encoded
    once (a raw UTF-8 value arrives decoded; re-encoding the raw query would double it)."""
    filters = [(k, v) for k, v in params.items() if k not in PAGING_PARAMS]
    return f"{base}?{urlencode(filters)}" if filters else base


@dataclass(frozen=True)
class Paging:
    collection: str  # the collection's IRI, without paging parameters
    total: int
    size: int = PAGE_SIZE
    iris: bool = False  # pages list the annotations' IRIs only

    @property
    def last(self) -> int:
        return max(self.total - 1, 0) // self.size

    def url(self, page: int) -> str:
        query = {"page": page, "page_size": self.size}
        if self.iris:
            query["iris"] = 1
        glue = "&" if "?" in self.collection else "?"
        return f"{self.collection}{glue}{urlencode(query)}"

    def collection_head(self, *, label: str = COLLECTION_LABEL) -> dict:
        """The collection without its items: first and last page by IRI (none when empty)."""
        head = {"id": self.collection, "type": "AnnotationCollection", "label": label}
        head["total"] = self.total
        if self.total:
            head["first"] = self.url(0)
            head["last"] = self.url(self.last)
        return head

    def page_head(self, page: int, *, part_of: dict | str | None = None) -> dict:
        """One page without its items; raises PageError past the last page."""
        if not self.total or page > self.last:
            raise NoSuchPage("There is no such page.")
        head = {
            "id": self.url(page),
            "type": "AnnotationPage",
            "partOf": part_of if part_of is not None else self.collection,
            "startIndex": page * self.size,
        }
        if page < self.last:
            head["next"] = self.url(page + 1)
        if page > 0:
            head["prev"] = self.url(page - 1)
        return head


def page_body(
    chunks: Chunks, ctx: mapping.ExportContext, head: dict, *, iris: bool, context=True
) -> Iterator[bytes]:
    """One AnnotationPage, streamed: its head, then its items (full or IRIs only)."""
    document = {"@context": mapping.W3C_CONTEXT_VALUE, **head} if context else head
    yield orjson.dumps(document)[:-1] + b',"items":['
    first = True
    for chunk in chunks:
        if iris:
            items = b",".join(orjson.dumps(ctx.annotation_url(row["id"])) for row, _ in chunk)
        else:
            items = b",".join(orjson.dumps(a) for a in mapping.to_w3c_chunk(chunk, ctx))
        if items:
            yield items if first else b"," + items
            first = False
    yield b"]}\n"
