"""The per-row export mapping on plain dicts: no database."""

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.exports import mapping as m
from annotations.selectors import ARTICLE_FIELDS, ROW_KEYS

SCHEMA = json.loads(
    (Path(__file__).parents[1] / "schemas" / "web-annotation.schema.json").read_text()
)
CTX = m.ExportContext(
    base_url="https://wb.example",
    generated="2026-01-02T03:04:05Z",
    org_name="Example Checks",
    org_url="https://checks.example/",
)


def validator(definition: str) -> jsonschema.Draft202012Validator:
    schema = SCHEMA | {"$ref": f"#/$defs/{definition}"}
    return jsonschema.Draft202012Validator(schema)


def row(**overrides) -> dict:
    base = {
        "id": 7,
        "article_id": 2,
        "start": 120,
        "end": 136,
        "quote": "42 million euros",
        "prefix": "the bridge cost “",
        "suffix": "” — far above",
        "verdict": "disputed",
        "note": "The budget says 61 million.",
        "status": "approved",
        "version": 3,
        "revision": 1,
        "review_comment": "",
        "claim": "",
        "is_orphan": False,
        "created_at": "2026-03-01T09:30:00Z",
        "updated_at": "2026-03-02T10:00:05.123456Z",
        "author__username": "rita",
        "article__title": "Bridge costs",
        "article__url": "https://news.example/bridge",
        "article__source": "Example Times",
        "article_published": "2026-02-27",
    }
    assert set(base) == {*ROW_KEYS, *ARTICLE_FIELDS}
    assert set(ARTICLE_FIELDS) >= {key for keys in m.ARTICLE_KEYS.values() for key in keys}
    return base | overrides


EVIDENCE = [
    {"url": "https://budget.example/2026", "title": "Budget 2026"},
    {"url": "https://audit.example/report", "title": ""},
]


def to_w3c(row: dict, evidence: list[dict], ctx: m.ExportContext = CTX) -> dict:
    """One annotation mapped alone, standing on its own (with `@context`)."""
    (annotation,) = m.to_w3c_chunk([(row, evidence)], ctx)
    return {"@context": m.W3C_CONTEXT_VALUE, **annotation}


def test_own_shape_has_exactly_the_design_fields_and_the_documented_extras():
    out = m.to_own(row(), EVIDENCE)
    assert out == {
        "id": 7,
        "article": 2,
        "start": 120,
        "end": 136,
        "quote": "42 million euros",
        "prefix": "the bridge cost “",
        "suffix": "” — far above",
        "verdict": "disputed",
        "note": "The budget says 61 million.",
        "evidence": EVIDENCE,
        "status": "approved",
        "author": "rita",
        "created": "2026-03-01T09:30:00Z",
        "updated": "2026-03-02T10:00:05.123456Z",
        "version": 3,
        "orphaned": False,
        "revision": 1,
        "review_comment": "",
        "claim": "",
    }


def test_w3c_annotation_validates_and_carries_every_part():
    out = to_w3c(row(), EVIDENCE)
    validator("standaloneAnnotation").validate(out)
    assert out["@context"] == ["http://www.w3.org/ns/anno.jsonld", {"assessing": "oa:assessing"}]
    assert out["id"] == "https://wb.example/api/v1/annotations/7/"
    verdict, note, *links = out["body"]
    assert (verdict["purpose"], verdict["value"]) == ("assessing", "disputed")
    assert (note["purpose"], note["value"]) == ("commenting", "The budget says 61 million.")
    assert [link["source"]["id"] for link in links] == [e["url"] for e in EVIDENCE]
    assert links[0]["source"]["label"] == "Budget 2026" and "label" not in links[1]["source"]
    target = out["target"]
    assert target["source"] == "https://wb.example/factchecks/2/"
    assert target["scope"] == "https://news.example/bridge"
    assert target["schema:version"] == 1
    quote, position = (s["refinedBy"] for s in target["selector"])
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": "42 million euros",
        "prefix": "the bridge cost “",
        "suffix": "” — far above",
    }
    assert position == {"type": "TextPositionSelector", "start": 120, "end": 136}
    assert out["creator"]["nickname"] == "rita"
    assert (out["created"], out["modified"]) == ("2026-03-01T09:30:00Z", row()["updated_at"])


def test_w3c_without_note_url_or_evidence_leaves_them_out():
    (out,) = m.to_w3c_chunk([(row(note="", article__url="", verdict="opinion"), [])], CTX)
    validator("annotation").validate(out)
    assert "@context" not in out and "scope" not in out["target"]
    assert [b["purpose"] for b in out["body"]] == ["assessing"]


def test_schema_rejects_what_the_model_forbids():
    good = to_w3c(row(), EVIDENCE)
    check = validator("standaloneAnnotation")
    broken = [
        {k: v for k, v in good.items() if k != "@context"},
        good | {"@context": ["http://www.w3.org/ns/anno.jsonld"]},
        good | {"type": "Note"},
        {k: v for k, v in good.items() if k != "target"},
        good | {"created": "2026-03-01 09:30"},
        good | {"target": good["target"] | {"selector": good["target"]["selector"][::-1]}},
        good | {"target": good["target"] | {"selector": [{"type": "CssSelector"}] * 2}},
        good | {"body": [{"type": "TextualBody", "purpose": "linking"}]},
    ]
    for bad in broken:
        assert not check.is_valid(bad), bad


def test_claimreview_maps_verdicts_to_a_stated_scale_and_leaves_out_opinions():
    disputed = m.to_claimreview(row(), EVIDENCE, CTX)
    verified = m.to_claimreview(row(verdict="verified"), [], CTX)
    assert m.to_claimreview(row(verdict="opinion"), [], CTX) is None
    assert disputed["reviewRating"]["alternateName"] == "Disputed"
    assert verified["reviewRating"]["alternateName"] == "Verified"
    for review in (disputed, verified):
        rating = review["reviewRating"]
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
    assert disputed["reviewRating"]["ratingValue"] < verified["reviewRating"]["ratingValue"]
    assert disputed["author"] == {
        "@type": "Organization",
        "name": "Example Checks",
        "url": "https://checks.example/",
    }
    assert disputed["itemReviewed"] == {
        "@type": "Claim",
        "appearance": {
            "@type": "CreativeWork",
            "url": "https://news.example/bridge",
            "headline": "Bridge costs",
            "datePublished": "2026-02-27",
            "author": {"@type": "Organization", "name": "Example Times"},
        },
        "firstAppearance": disputed["itemReviewed"]["appearance"],
        "datePublished": "2026-02-27",
        "author": {"@type": "Organization", "name": "Example Times"},
    }
    assert disputed["url"] == "https://wb.example/factchecks/2/#verdict-7"
    assert disputed["claimReviewed"] == "42 million euros"
    assert "creativeWorkStatus" not in disputed
    assert disputed["citation"] == [e["url"] for e in EVIDENCE]


def test_claimreview_for_an_article_without_url_points_at_its_public_page():
    review = m.to_claimreview(row(article__url="", article_published=None), [], CTX)
    appearance = review["itemReviewed"]["appearance"]
    assert appearance["url"] == "https://wb.example/factchecks/2/"
    assert review["itemReviewed"]["firstAppearance"]["url"] == appearance["url"]
    assert "datePublished" not in appearance


def test_claimreview_with_the_public_site_off_falls_back_to_the_api():
    off = m.ExportContext(base_url="https://wb.example", public=False)
    review = m.to_claimreview(row(article__url=""), [], off)
    assert review["url"] == "https://wb.example/api/v1/annotations/7/"
    assert review["itemReviewed"]["appearance"]["url"] == "https://wb.example/api/v1/articles/2/"


def test_claimreview_uses_the_fact_checkers_claim_and_states_a_status_not_approved():
    review = m.to_claimreview(row(claim="The bridge cost 42 million", status="rejected"), [], CTX)
    assert review["claimReviewed"] == "The bridge cost 42 million"
    assert review["creativeWorkStatus"] == "rejected"


def test_w3c_states_the_status_of_every_verdict():
    for status in ("approved", "pending", "rejected", "changes_requested"):
        assert to_w3c(row(status=status), [])[m.STATUS_TERM] == status


def test_w3c_targets_the_public_page_scoped_to_the_text_element():
    target = to_w3c(row(), [])["target"]
    assert target["source"] == "https://wb.example/factchecks/2/"
    quote, position = target["selector"]
    assert quote["type"] == position["type"] == "CssSelector"
    assert quote["value"] == position["value"] == "#article-text"
    assert quote["refinedBy"]["exact"] == "42 million euros"
    assert (position["refinedBy"]["start"], position["refinedBy"]["end"]) == (120, 136)


def test_an_orphans_target_is_the_text_of_the_revision_its_offsets_count_in():
    out = to_w3c(row(is_orphan=True, revision=1, status="pending"), [])
    validator("standaloneAnnotation").validate(out)
    target = out["target"]
    assert target["source"] == "https://wb.example/api/v1/articles/2/revisions/1/"
    assert [s["type"] for s in target["selector"]] == ["TextQuoteSelector", "TextPositionSelector"]
    assert out[m.STATUS_TERM] == "pending"


def test_w3c_with_the_public_site_off_targets_the_api_as_before():
    off = m.ExportContext(base_url="https://wb.example", public=False)
    target = to_w3c(row(), [], off)["target"]
    assert target["source"] == "https://wb.example/api/v1/articles/2/"
    assert target["selector"][0]["type"] == "TextQuoteSelector"


@pytest.mark.parametrize("danger", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_that_a_spreadsheet_would_run_get_a_quote_mark(danger):
    cells = m.to_csv_row(row(note=danger, quote=danger), [])
    header = list(m.CSV_HEADER)
    assert cells[header.index("note")] == "'" + danger
    assert cells[header.index("quote")] == "'" + danger


def test_csv_row_follows_the_header_and_joins_evidence():
    cells = dict(zip(m.CSV_HEADER, m.to_csv_row(row(), EVIDENCE), strict=True))
    assert cells["evidence_urls"] == "https://budget.example/2026 https://audit.example/report"
    assert cells["evidence_titles"] == "Budget 2026 | "
    assert cells["updated"] == "2026-03-02T10:00:05.123456Z"
    assert (cells["id"], cells["article"], cells["orphaned"]) == (7, 2, "false")


@given(st.text())
def test_csv_safe_never_leaves_a_formula_start(text):
    out = m.csv_safe(text)
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert out in (text, "'" + text)


def test_w3c_chunk_shares_parts_but_gives_each_row_its_own_article_author_and_verdict():
    rows = [
        (row(id=1, article_id=2, author__username="rita", verdict="disputed"), EVIDENCE),
        (row(id=2, article_id=3, article__url="", author__username="sam", verdict="verified"), []),
        (row(id=3, article_id=2, author__username="sam", verdict="disputed", note=""), []),
        (row(id=4, article_id=3, article__url="", author__username="rita", verdict="opinion"), []),
    ]
    out = list(m.to_w3c_chunk(rows, CTX))
    # Each row as if mapped alone.
    assert out == [next(m.to_w3c_chunk([(r, links)], CTX)) for r, links in rows]
    sources = [a["target"]["source"] for a in out]
    assert sources == [f"https://wb.example/factchecks/{n}/" for n in (2, 3, 2, 3)]
    assert [a["target"].get("scope") for a in out] == [
        "https://news.example/bridge",
        None,
        "https://news.example/bridge",
        None,
    ]
    assert [a["creator"]["name"] for a in out] == ["rita", "sam", "sam", "rita"]
    assert [a["body"][0]["value"] for a in out] == ["disputed", "verified", "disputed", "opinion"]
    # Parts shared between rows are the same object only where they are equal.
    assert out[0]["creator"] is out[3]["creator"] and out[1]["creator"] is out[2]["creator"]
    assert out[0]["body"][0] is out[2]["body"][0]
    for annotation in out:
        validator("annotation").validate(annotation)
