"""Pure per-row mapping: one annotation row (a plain dict) -> an output dict, for the API
(`to_own`) and every export.

Input rows are what `selectors.annotation_export_chunks` (and, for the API's pages,
`selectors.annotation_rows`) yields: keys `selectors.ROW_KEYS`, datetimes already ISO 8601
text, plus the article columns a format asks for (ARTICLE_KEYS), and the evidence as a list
of `{"url", "title"}` dicts. No ORM and no DRF here, so it is fast and testable alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
# "assessing" is a term only in the context w3.org serves since 2021; the 2017 copy (as in
# the w3c/web-annotation repository, issue #444) lacks it, and a 1.0 processor with that
# copy would turn the motivation into a relative IRI. Defining it again, to the same IRI,
# makes it expand the same with both versions.
W3C_CONTEXT_VALUE = [W3C_CONTEXT, {"assessing": "oa:assessing"}]
# Where the status of a verdict is written on a W3C annotation (schema: is in anno.jsonld).
STATUS_TERM = "schema:creativeWorkStatus"
# The element of the public article page whose text content is the article text, exactly:
# the selectors count into it.
TEXT_ELEMENT = "#article-text"
W3C_PROFILE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
SCHEMA_ORG_CONTEXT = "https://schema.org"

# The article columns each format reads besides the annotation's own.
ARTICLE_KEYS = {
    "own": (),
    "w3c": ("article__url",),
    "claimreview": ("article__title", "article__url", "article__source", "article_published"),
    "csv": ("article__title", "article__url"),
}  # article_published: "YYYY-MM-DD" or None

# ClaimReview rating scale: 1 (worst) to 5 (best). Opinions are not claims and are left out.
RATING_WORST = 1
RATING_BEST = 5
CLAIM_RATINGS = {
    "verified": (RATING_BEST, "Verified"),
    "disputed": (RATING_WORST, "Disputed"),
}
CLAIM_VERDICTS = tuple(CLAIM_RATINGS)

CSV_HEADER = (
    "id",
    "article",
    "article_title",
    "article_url",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "verdict",
    "note",
    "evidence_urls",
    "evidence_titles",
    "status",
    "author",
    "created",
    "updated",
    "version",
    "revision",
    "orphaned",
    "claim",
)
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportContext:
    """What a mapping needs besides the row: where the API lives and who publishes."""

    base_url: str  # scheme and host of the API, no trailing slash: "https://example.org"
    generated: str = ""  # ISO 8601 time of the export, for the W3C `generated` property
    org_name: str = ""
    org_url: str = ""
    generator_name: str = "Fact-check Workbench"
    # True while the public fact-check pages are on: targets and ClaimReview URLs point at
    # them; off, at the API (which only signed-in users can read).
    public: bool = True

    @cached_property
    def generator(self) -> dict:
        """The W3C `generator` agent: the same for every row, so built once (never mutate)."""
        home = f"{self.base_url}/"
        return {"id": home, "type": "Software", "name": self.generator_name, "homepage": home}

    def annotation_url(self, annotation_id: int) -> str:
        return f"{self.base_url}/api/v1/annotations/{annotation_id}/"

    def article_url(self, article_id: int) -> str:
        return f"{self.base_url}/api/v1/articles/{article_id}/"

    def revision_url(self, article_id: int, number: int) -> str:
        """The plain text of one revision of an article (what an orphan's offsets count in)."""
        return f"{self.base_url}/api/v1/articles/{article_id}/revisions/{number}/"

    def public_article_url(self, article_id: int) -> str:
        return f"{self.base_url}/factchecks/{article_id}/"

    def article_page(self, article_id: int) -> str:
        """Where a reader reads the article: the public page, or the API when it is off."""
        return self.public_article_url(article_id) if self.public else self.article_url(article_id)

    def review_url(self, article_id: int, annotation_id: int) -> str:
        """A verdict on the public page (by fragment), or its API URL when that is off."""
        if not self.public:
            return self.annotation_url(annotation_id)
        return f"{self.public_article_url(article_id)}#{verdict_anchor(annotation_id)}"


def verdict_anchor(annotation_id: int) -> str:
    """The id of a verdict's element on the public article page."""
    return f"verdict-{annotation_id}"


def to_own(row: dict, evidence: list[dict]) -> dict:
    """The project's own annotation shape (DESIGN.md): the API's JSON and the JSONL export's
    rows, both. Beyond DESIGN.md's fields: `orphaned`, `revision` (the article revision the
    offsets point into) and `review_comment` (the editor's comment on the latest decision)."""
    return {
        "id": row["id"],
        "article": row["article_id"],
        "start": row["start"],
        "end": row["end"],
        "quote": row["quote"],
        "prefix": row["prefix"],
        "suffix": row["suffix"],
        "verdict": row["verdict"],
        "note": row["note"],
        "evidence": evidence,
        "status": row["status"],
        "author": row["author__username"],
        "created": row["created_at"],
        "updated": row["updated_at"],
        "version": row["version"],
        "orphaned": bool(row["is_orphan"]),
        "revision": row["revision"],
        "review_comment": row["review_comment"],
        "claim": row["claim"],
    }


def to_w3c_chunk(chunk: Iterable[tuple[dict, list[dict]]], ctx: ExportContext) -> Iterator[dict]:
    """The W3C Web Annotations (without `@context`) of a chunk of (row, evidence) pairs,
    one at a time: serialize each before taking the next, so that few objects are alive
    at once (thousands of live dicts make the garbage collector's passes slow).

    What many rows have in common is built once per chunk and the same dict shared by
    them: the verdict body, the creator, the article's URLs. orjson writes a shared dict
    wherever it appears, so the output is as if each row had its own; never mutate it.
    The loop is written flat, without helpers: it runs once per exported row.
    """
    base, generator, generated, public = ctx.base_url, ctx.generator, ctx.generated, ctx.public
    verdict_bodies: dict[str, dict] = {}
    creators: dict[str, dict] = {}
    sources: dict[int, str] = {}
    for row, evidence in chunk:
        verdict = row["verdict"]
        verdict_body = verdict_bodies.get(verdict)
        if verdict_body is None:
            verdict_body = verdict_bodies[verdict] = {
                "type": "TextualBody",
                "purpose": "assessing",
                "value": verdict,
                "format": "text/plain",
                "language": "en",
            }
        body = [verdict_body]
        if note := row["note"]:
            body.append(
                {
                    "type": "TextualBody",
                    "purpose": "commenting",
                    "value": note,
                    "format": "text/plain",
                }
            )
        for link in evidence:
            source = {"id": link["url"], "type": "Text"}
            if title := link["title"]:
                source["label"] = title
            body.append({"type": "SpecificResource", "purpose": "linking", "source": source})
        article_id = row["article_id"]
        quote_selector = {
            "type": "TextQuoteSelector",
            "exact": row["quote"],
            "prefix": row["prefix"],
            "suffix": row["suffix"],
        }
        position_selector = {
            "type": "TextPositionSelector",
            "start": row["start"],
            "end": row["end"],
        }
        revision = row["revision"]
        if public and not row["is_orphan"]:
            source = sources.get(article_id)
            if source is None:
                source = sources[article_id] = ctx.public_article_url(article_id)
            # Scoped to the element holding the text, so a client matching on the whole
            # page (headings and all) still counts from the article's first character.
            selector = [
                {"type": "CssSelector", "value": TEXT_ELEMENT, "refinedBy": quote_selector},
                {"type": "CssSelector", "value": TEXT_ELEMENT, "refinedBy": position_selector},
            ]
        else:
            # Plain text, so the selectors count from its start: an orphan's earlier
            # revision, or (public site off) the article's API resource, as before.
            if row["is_orphan"]:
                source = ctx.revision_url(article_id, revision)
            else:
                source = sources.get(article_id) or ctx.article_url(article_id)
                sources[article_id] = source
            selector = [quote_selector, position_selector]
        target = {
            "type": "SpecificResource",
            "source": source,
            "schema:version": revision,
            "selector": selector,
        }
        if article_url := row["article__url"]:
            target["scope"] = article_url
        username = row["author__username"]
        creator = creators.get(username)
        if creator is None:
            creator = creators[username] = {
                "type": "Person",
                "name": username,
                "nickname": username,
            }
        annotation = {
            "id": f"{base}/api/v1/annotations/{row['id']}/",
            "type": "Annotation",
            "motivation": "assessing",
            "body": body,
            "target": target,
            "creator": creator,
            "created": row["created_at"],
            "modified": row["updated_at"],
            "generator": generator,
            STATUS_TERM: row["status"],
        }
        if generated:
            annotation["generated"] = generated
        yield annotation


def to_claimreview(row: dict, evidence: list[dict], ctx: ExportContext) -> dict | None:
    """A schema.org ClaimReview, or None for a verdict that is not a claim (opinion)."""
    rating = CLAIM_RATINGS.get(row["verdict"])
    if rating is None:
        return None
    value, label = rating
    article_id = row["article_id"]
    seen_at = row["article__url"] or ctx.article_page(article_id)
    appearance = {"@type": "CreativeWork", "url": seen_at, "headline": row["article__title"]}
    claim = {"@type": "Claim", "appearance": appearance, "firstAppearance": appearance}
    published = row["article_published"]
    if published:
        appearance["datePublished"] = published
        claim["datePublished"] = published
    if row["article__source"]:
        claim["author"] = {"@type": "Organization", "name": row["article__source"]}
        appearance["author"] = claim["author"]
    review = {
        "@context": SCHEMA_ORG_CONTEXT,
        "@type": "ClaimReview",
        "url": ctx.review_url(article_id, row["id"]),
        "claimReviewed": row["claim"] or row["quote"],
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": value,
            "bestRating": RATING_BEST,
            "worstRating": RATING_WORST,
            "alternateName": label,
            "name": label,
        },
        "itemReviewed": claim,
        "author": {"@type": "Organization", "name": ctx.org_name, "url": ctx.org_url},
        "datePublished": row["updated_at"],
    }
    if row["note"]:
        review["reviewBody"] = row["note"]
    if evidence:
        review["citation"] = [link["url"] for link in evidence]
    if row["status"] != "approved":
        review["creativeWorkStatus"] = row["status"]
    return review


def csv_safe(value: object) -> object:
    """Neutralise a text cell a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def to_csv_row(row: dict, evidence: list[dict]) -> list:
    """One flat row in CSV_HEADER order; evidence URLs and titles joined by a space / ` | `."""
    cells = [
        row["id"],
        row["article_id"],
        row["article__title"],
        row["article__url"],
        row["start"],
        row["end"],
        row["quote"],
        row["prefix"],
        row["suffix"],
        row["verdict"],
        row["note"],
        " ".join(link["url"] for link in evidence),
        " | ".join(link["title"] for link in evidence),
        row["status"],
        row["author__username"],
        row["created_at"],
        row["updated_at"],
        row["version"],
        row["revision"],
        "true" if row["is_orphan"] else "false",
        row["claim"],
    ]
    return [csv_safe(cell) for cell in cells]
