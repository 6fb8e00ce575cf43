"""The streamed exports' formats and content: JSONL, W3C JSON-LD, ClaimReview, CSV."""

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from django.test import override_settings
from pyld import jsonld

from annotations import selectors
from annotations.exports.mapping import ARTICLE_KEYS, CSV_HEADER
from annotations.selectors import ROW_KEYS
from tests.export_data import approve, get, jsonl
from tests.factories import make_annotation, make_article
from tests.jsonld_data import CONTEXTS, loader, triples, unmapped_terms

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parents[1] / "schemas"
SCHEMA = json.loads((SCHEMAS / "web-annotation.schema.json").read_text())


def test_the_selector_yields_the_keys_the_mapping_reads(reviewer, editor):
    approve(make_annotation(make_article(), reviewer, "waste"), editor)
    qs = selectors.annotation_export_queryset()
    for article_keys in ARTICLE_KEYS.values():
        ((row, _),) = next(selectors.annotation_export_chunks(qs, article_fields=article_keys))
        assert set(row) == {*ROW_KEYS, *article_keys}


# Formats ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("annotations.jsonl", "application/x-ndjson"),
        ("annotations.jsonld", 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'),
        ("claimreview.json", "application/json"),
        ("annotations.csv", "text/csv; charset=utf-8"),
    ],
)
def test_each_export_streams_with_its_type_file_name_and_nosniff(
    client, reviewer, dataset, name, content_type
):
    client.force_login(reviewer)
    response, body = get(client, name)
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body


def test_jsonl_is_the_own_shape_one_per_line_in_id_order(client, reviewer, dataset):
    client.force_login(reviewer)
    _, body = get(client, "annotations.jsonl")
    rows = jsonl(body)
    assert [r["id"] for r in rows] == sorted(a.pk for a in dataset)
    first, annotation = rows[0], dataset[0]
    assert list(first) == [
        "id", "article", "start", "end", "quote", "prefix", "suffix", "verdict", "note",
        "evidence", "status", "author", "created", "updated", "version", "orphaned", "revision",
        "review_comment", "claim",
    ]  # fmt: skip
    assert first["quote"] == annotation.article.text[first["start"] : first["end"]]
    assert first["evidence"] == [
        {"url": e.url, "title": e.title} for e in annotation.evidence.order_by("id")
    ]
    assert first["author"] == "rita" and first["status"] == "approved"
    assert first["created"].endswith("Z") and first["updated"].endswith("Z")
    assert (first["version"], first["revision"], first["orphaned"]) == (2, 1, False)


def test_jsonl_rows_are_the_apis_annotations_field_by_field(client, reviewer, editor, dataset):
    """One mapping writes both; SQLite's timestamps are formatted in SQL for the export and
    in Python for the API, and must still agree to the character."""
    client.force_login(editor)
    _, body = get(client, "annotations.jsonl?status=all&include_orphans=1")
    exported = {row["id"]: row for row in jsonl(body)}
    listed = client.get("/api/v1/annotations/?page_size=1000").json()["results"]
    assert len(exported) == len(listed) == len(dataset)
    for item in listed:
        row = exported[item["id"]]
        assert list(row) == list(item)
        for field, value in item.items():
            assert row[field] == value, field


def test_every_w3c_annotation_validates_against_the_schema(client, reviewer, dataset):
    client.force_login(reviewer)
    _, body = get(client, "annotations.jsonld")
    collection = json.loads(body)
    jsonschema.Draft202012Validator(SCHEMA).validate(collection)
    items = collection["first"]["items"]
    assert len(items) == collection["total"] == len(dataset)
    one = jsonschema.Draft202012Validator(SCHEMA | {"$ref": "#/$defs/annotation"})
    for item in items:
        one.validate(item)
    assert items[0]["id"] == f"http://testserver/api/v1/annotations/{dataset[0].pk}/"
    assert items[0]["target"]["source"] == (
        f"http://testserver/factchecks/{dataset[0].article_id}/"
    )
    assert items[0]["target"]["scope"] == dataset[0].article.url


def test_an_empty_w3c_collection_validates_and_has_no_page(client, reviewer):
    client.force_login(reviewer)
    _, body = get(client, "annotations.jsonld")
    collection = json.loads(body)
    jsonschema.Draft202012Validator(SCHEMA).validate(collection)
    assert collection["total"] == 0 and "first" not in collection


@pytest.mark.parametrize("version", CONTEXTS)
def test_w3c_export_expands_as_json_ld_to_the_expected_triples(client, reviewer, dataset, version):
    """With either version of the anno.jsonld context (only the newer defines "assessing")."""
    client.force_login(reviewer)
    _, body = get(client, "annotations.jsonld")
    collection = json.loads(body)
    assert unmapped_terms(collection, version) == set()
    expanded = jsonld.expand(collection, {"documentLoader": loader(version)})
    items = expanded[0]["http://www.w3.org/ns/activitystreams#first"][0][
        "http://www.w3.org/ns/activitystreams#items"
    ][0]["@list"]
    assert len(items) == len(dataset)

    annotation = dataset[0]
    found = triples(collection, version)
    OA, AS = "http://www.w3.org/ns/oa#", "http://www.w3.org/ns/activitystreams#"
    RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    ann = f"<http://testserver/api/v1/annotations/{annotation.pk}/>"
    assert (ann, RDF_TYPE, f"<{OA}Annotation>") in found
    assert (ann, f"<{OA}motivatedBy>", f"<{OA}assessing>") in found
    (target,) = [o for s, p, o in found if s == ann and p == f"<{OA}hasTarget>"]
    article_page = f"<http://testserver/factchecks/{annotation.article_id}/>"
    assert (target, f"<{OA}hasSource>", article_page) in found
    assert (target, f"<{OA}hasScope>", f"<{annotation.article.url}>") in found
    assert (
        target,
        "<http://schema.org/version>",
        '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
    ) in found
    scoped = {o for s, p, o in found if s == target and p == f"<{OA}hasSelector>"}
    assert all((s, RDF_TYPE, f"<{OA}CssSelector>") in found for s in scoped)
    selectors_ = {o for s, p, o in found if s in scoped and p == f"<{OA}refinedBy>"}
    exact = json.dumps(annotation.quote, ensure_ascii=False)
    start = f'"{annotation.start}"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>'
    assert any((s, f"<{OA}exact>", exact) in found for s in selectors_)
    assert any((s, f"<{OA}start>", start) in found for s in selectors_)
    bodies = {o for s, p, o in found if s == ann and p == f"<{OA}hasBody>"}
    assert any((b, f"<{OA}hasPurpose>", f"<{OA}assessing>") in found for b in bodies)
    assert any((b, f"<{OA}hasPurpose>", f"<{OA}linking>") in found for b in bodies)
    assert any(p == "<http://purl.org/dc/terms/created>" for s, p, o in found if s == ann)
    collection_id = "<http://testserver/api/v1/export/annotations.jsonld>"
    assert (collection_id, RDF_TYPE, f"<{AS}OrderedCollection>") in found


# Google's ClaimReview documentation: required claimReviewed, reviewRating (Rating with
# alternateName), url; recommended author, datePublished, itemReviewed (a Claim with
# appearance, author, datePublished) and the rating's ratingValue, bestRating, worstRating, name.
@override_settings(WORKBENCH_ORG_NAME="Example Checks", WORKBENCH_ORG_URL="https://checks.example/")
def test_claimreview_has_every_required_and_recommended_property(client, reviewer, dataset):
    client.force_login(reviewer)
    _, body = get(client, "claimreview.json")
    reviews = json.loads(body)
    claims = [a for a in dataset if a.verdict != "opinion"]
    assert len(reviews) == len(claims)
    by_url = {r["url"]: r for r in reviews}
    for annotation in claims:
        page = f"http://testserver/factchecks/{annotation.article_id}/"
        review = by_url[f"{page}#verdict-{annotation.pk}"]
        assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
        assert review["claimReviewed"] == annotation.quote
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating"
        assert rating["alternateName"] == rating["name"] == annotation.verdict.title()
        assert isinstance(rating["ratingValue"], int)
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        assert review["author"] == {
            "@type": "Organization",
            "name": "Example Checks",
            "url": "https://checks.example/",
        }
        assert review["datePublished"].endswith("Z")
        claim = review["itemReviewed"]
        assert claim["@type"] == "Claim"
        article = annotation.article
        appearance = claim["appearance"]
        assert appearance["headline"] == article.title
        assert appearance["url"] == (article.url or page)
        assert claim["firstAppearance"] == appearance
        if article.published:
            assert claim["datePublished"] == appearance["datePublished"] == str(article.published)
            assert claim["author"] == {"@type": "Organization", "name": article.source}


def test_csv_has_a_header_a_row_each_and_no_live_formulas(client, reviewer, dataset):
    client.force_login(reviewer)
    _, body = get(client, "annotations.csv")
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert len(rows) == len(dataset)
    for cells in rows:
        for value in cells.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    by_quote = {r["quote"]: r for r in rows}
    assert by_quote["'=SUM(A1)"]["verdict"] == "opinion"
    assert "'@handles and -dashes" in by_quote
    disputed = next(r for r in rows if r["verdict"] == "disputed")
    assert disputed["evidence_urls"].startswith("https://evidence.example/")


def test_empty_csv_is_just_the_header(client, reviewer):
    client.force_login(reviewer)
    _, body = get(client, "annotations.csv")
    assert body.decode().splitlines() == [",".join(CSV_HEADER)]
