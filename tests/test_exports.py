"""The streamed exports through the view and the management command."""

import csv
import io
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from pyld import jsonld

from annotations import selectors, services
from annotations.export_mapping import ARTICLE_KEYS, CSV_HEADER, ROW_KEYS
from annotations.management.commands import export_annotations
from annotations.models import Annotation
from tests.factories import make_annotation, make_article

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "schemas"
SCHEMA = json.loads((SCHEMAS / "web-annotation.schema.json").read_text())
ANNO_CONTEXT = json.loads((SCHEMAS / "anno.jsonld").read_text())
URL = "/api/v1/export/"
FILES = ["annotations.jsonl", "annotations.jsonld", "claimreview.json", "annotations.csv"]

TEXT = (
    "Minister: “Unemployment fell to 3 % in 2025.” Critics said =SUM(A1) was a trick.\n"
    "Emoji 😀 and café stay one code point each; the bridge cost 42 million euros.\n"
    "@handles and -dashes start cells; +plus too. Some think it was the best decision.\n"
)
PHRASES = [
    ("Unemployment fell to 3 % in 2025", "disputed"),
    ("=SUM(A1)", "opinion"),
    ("Emoji 😀 and café", "verified"),
    ("42 million euros", "verified"),
    ("@handles and -dashes", "disputed"),
    ("it was the best decision", "opinion"),
]


def approve(annotation, editor):
    return services.annotation_review(
        annotation_id=annotation.pk, editor=editor, decision="approve", expected_version=None
    )


def make_dataset(reviewer, editor, *, articles: int = 3) -> list[Annotation]:
    """Approved annotations of every verdict, with notes, evidence, Unicode and formula-like
    text, on articles with and without an original URL and date."""
    made = []
    for n in range(articles):
        article = make_article(
            TEXT + f"Article number {n}.\n",
            url=f"https://news.example/{n}" if n % 2 == 0 else "",
            source="Example Times" if n % 2 == 0 else "",
            published=None if n % 2 else "2026-02-0" + str(n + 1),
        )
        for i, (phrase, verdict) in enumerate(PHRASES):
            evidence = [
                {"url": f"https://evidence.example/{n}/{i}/{k}", "title": f"Source {k}"}
                for k in range(i % 3)
            ]
            if verdict == "disputed" and not evidence:
                evidence = [{"url": "https://evidence.example/d", "title": "-1 trick"}]
            note = "" if i % 2 else f"Note {i}: see “the record”."
            made.append(
                approve(
                    make_annotation(
                        article, reviewer, phrase, verdict=verdict, note=note, evidence=evidence
                    ),
                    editor,
                )
            )
    return made


@pytest.fixture
def dataset(reviewer, editor):
    return make_dataset(reviewer, editor)


def get(client, name, **params):
    response = client.get(URL + name, params)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def jsonl(body: bytes) -> list[dict]:
    return [json.loads(line) for line in body.decode().splitlines()]


def ids(body: bytes) -> list[int]:
    return [a["id"] for a in jsonl(body)]


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
        "evidence", "status", "author", "created", "updated", "version", "revision", "orphaned",
    ]  # fmt: skip
    assert first["quote"] == annotation.article.text[first["start"] : first["end"]]
    assert first["evidence"] == [
        {"url": e.url, "title": e.title} for e in annotation.evidence.order_by("id")
    ]
    assert first["author"] == "rita" and first["status"] == "approved"
    assert first["created"].endswith("Z") and first["updated"].endswith("Z")
    assert (first["version"], first["revision"], first["orphaned"]) == (2, 1, False)


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
        f"http://testserver/api/v1/articles/{dataset[0].article_id}/"
    )
    assert items[0]["target"]["scope"] == dataset[0].article.url


def test_an_empty_w3c_collection_validates_and_has_no_page(client, reviewer):
    client.force_login(reviewer)
    _, body = get(client, "annotations.jsonld")
    collection = json.loads(body)
    jsonschema.Draft202012Validator(SCHEMA).validate(collection)
    assert collection["total"] == 0 and "first" not in collection


def local_context_only(url, options=None):
    """pyld document loader: the anno.jsonld context from disk, nothing from the network."""
    assert url.rstrip("/") in (
        "http://www.w3.org/ns/anno.jsonld",
        "https://www.w3.org/ns/anno.jsonld",
    )
    return {"contextUrl": None, "documentUrl": url, "document": ANNO_CONTEXT}


def triples(document: dict) -> set[tuple[str, str, str]]:
    nquads = jsonld.to_rdf(
        document, {"format": "application/n-quads", "documentLoader": local_context_only}
    )
    found = set()
    for line in nquads.splitlines():
        subject, predicate, rest = line.split(" ", 2)
        found.add((subject, predicate, rest.rsplit(" .", 1)[0]))
    return found


def test_w3c_export_expands_as_json_ld_to_the_expected_triples(client, reviewer, dataset):
    client.force_login(reviewer)
    _, body = get(client, "annotations.jsonld")
    collection = json.loads(body)
    expanded = jsonld.expand(collection, {"documentLoader": local_context_only})
    items = expanded[0]["http://www.w3.org/ns/activitystreams#first"][0][
        "http://www.w3.org/ns/activitystreams#items"
    ][0]["@list"]
    assert len(items) == len(dataset)

    annotation = dataset[0]
    found = triples(collection)
    OA, AS = "http://www.w3.org/ns/oa#", "http://www.w3.org/ns/activitystreams#"
    RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    ann = f"<http://testserver/api/v1/annotations/{annotation.pk}/>"
    assert (ann, RDF_TYPE, f"<{OA}Annotation>") in found
    assert (ann, f"<{OA}motivatedBy>", f"<{OA}assessing>") in found
    (target,) = [o for s, p, o in found if s == ann and p == f"<{OA}hasTarget>"]
    article_api = f"<http://testserver/api/v1/articles/{annotation.article_id}/>"
    assert (target, f"<{OA}hasSource>", article_api) in found
    assert (target, f"<{OA}hasScope>", f"<{annotation.article.url}>") in found
    assert (
        target,
        "<http://schema.org/version>",
        '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
    ) in found
    selectors_ = {o for s, p, o in found if s == target and p == f"<{OA}hasSelector>"}
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
        review = by_url[f"http://testserver/api/v1/annotations/{annotation.pk}/"]
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
        assert appearance["url"] == (
            article.url or f"http://testserver/api/v1/articles/{article.pk}/"
        )
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


# Filters, permissions, errors ---------------------------------------------------------------


def test_default_is_approved_only_and_status_all_is_for_editors(client, reviewer, editor):
    article = make_article()
    approved = approve(make_annotation(article, reviewer, "waste"), editor)
    pending = make_annotation(article, reviewer, "42 million euros")
    client.force_login(reviewer)
    assert ids(get(client, "annotations.jsonl")[1]) == [approved.pk]
    assert ids(get(client, "annotations.jsonl", status="pending")[1]) == [pending.pk]
    response, body = get(client, "annotations.jsonl", status="all")
    assert response.status_code == 403
    assert json.loads(body) == {"detail": "Only editors can export annotations of every status."}
    client.force_login(editor)
    assert ids(get(client, "annotations.jsonl", status="all")[1]) == [approved.pk, pending.pk]


def test_list_filters_apply(client, reviewer, other_reviewer, editor):
    first, second = make_article(), make_article()
    a = approve(make_annotation(first, reviewer, "waste", verdict="disputed"), editor)
    b = approve(make_annotation(second, reviewer, "waste"), editor)
    c = approve(make_annotation(second, other_reviewer, "Critics"), editor)
    client.force_login(reviewer)
    assert ids(get(client, "annotations.jsonl", article=second.pk)[1]) == [b.pk, c.pk]
    assert ids(get(client, "annotations.jsonl", verdict="disputed")[1]) == [a.pk]
    assert ids(get(client, "annotations.jsonl", author="oscar")[1]) == [c.pk]
    after = Annotation.objects.get(pk=b.pk).updated.isoformat()
    # Inclusive, as in the annotation list: a sync loop never misses a row.
    assert ids(get(client, "annotations.jsonl", updated_after=after)[1]) == [b.pk, c.pk]
    assert ids(get(client, "annotations.jsonl", author="oscar", verdict="disputed")[1]) == []


def test_evidence_stays_with_its_annotation_for_dense_and_sparse_chunks(
    client, reviewer, other_reviewer, editor, monkeypatch
):
    article = make_article()
    made = []
    for i, phrase in enumerate(["mayor", "bridge", "cost", "waste", "Critics", "Supporters"]):
        author = reviewer if i % 5 == 0 else other_reviewer
        links = [{"url": f"https://evidence.example/{i}/{k}", "title": ""} for k in range(i % 3)]
        made.append(approve(make_annotation(article, author, phrase, evidence=links), editor))
    expected = {a.pk: [e.url for e in a.evidence.order_by("id")] for a in made}
    monkeypatch.setattr(selectors, "EXPORT_CHUNK_SIZE", 2)
    client.force_login(reviewer)
    for params in ({}, {"author": "rita"}, {"author": "oscar"}):  # rita's two are 5 ids apart
        rows = jsonl(get(client, "annotations.jsonl", **params)[1])
        assert rows
        for row in rows:
            assert [e["url"] for e in row["evidence"]] == expected[row["id"]]


def test_bad_filter_values_are_a_400_with_field_errors(client, reviewer):
    client.force_login(reviewer)
    response, body = get(
        client,
        "annotations.jsonld",
        article="one",
        verdict="maybe",
        status="done",
        updated_after="yesterday",
        include_orphans="perhaps",
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    errors = json.loads(body)
    assert set(errors) == {"article", "verdict", "status", "updated_after", "include_orphans"}


def test_orphans_only_on_request_and_withdrawn_never(client, reviewer, editor):
    article = make_article()
    kept = approve(make_annotation(article, reviewer, "waste"), editor)
    orphan = approve(make_annotation(article, reviewer, "Critics"), editor)
    # Setup only: re-anchoring (the service that orphans) is not what this test is about.
    Annotation.objects.filter(pk=orphan.pk).update(orphaned=True, revision=1)
    withdrawn = make_annotation(article, reviewer, "42 million euros")
    services.annotation_delete(annotation_id=withdrawn.pk, actor=reviewer, expected_version=None)
    client.force_login(editor)
    assert ids(get(client, "annotations.jsonl", status="all")[1]) == [kept.pk]
    rows = jsonl(get(client, "annotations.jsonl", status="all", include_orphans="1")[1])
    assert [(r["id"], r["orphaned"]) for r in rows] == [(kept.pk, False), (orphan.pk, True)]


@pytest.mark.parametrize("name", FILES)
def test_anonymous_gets_a_json_error(client, name):
    response, body = get(client, name)
    assert response.status_code in (401, 403)
    assert "detail" in json.loads(body)


def test_an_accept_header_for_the_export_type_is_not_a_406(client, reviewer, dataset):
    client.force_login(reviewer)
    response = client.get(URL + "annotations.jsonl", headers={"Accept": "application/x-ndjson"})
    assert response.status_code == 200
    assert len(b"".join(response.streaming_content).splitlines()) == len(dataset)


# Queries: a fixed number per request plus one evidence query per chunk -----------------------

# Session and user for the login, the annotation rows, and the evidence of the one chunk.
QUERIES = 4


@pytest.mark.parametrize("name", FILES)
def test_query_count_does_not_grow_with_rows(
    client, reviewer, editor, name, django_assert_num_queries
):
    make_dataset(reviewer, editor, articles=1)
    client.force_login(reviewer)
    with django_assert_num_queries(QUERIES):
        get(client, name)
    make_dataset(reviewer, editor, articles=4)
    with django_assert_num_queries(QUERIES):
        get(client, name)


def test_evidence_is_fetched_once_per_chunk(
    client, reviewer, editor, monkeypatch, django_assert_num_queries
):
    rows = len(make_dataset(reviewer, editor, articles=2))  # 12 annotations
    monkeypatch.setattr(selectors, "EXPORT_CHUNK_SIZE", 5)
    client.force_login(reviewer)
    with django_assert_num_queries(QUERIES - 1 + 3):  # chunks of 5, 5 and 2
        _, body = get(client, "annotations.jsonld")
    assert json.loads(body)["total"] == rows
    with django_assert_num_queries(QUERIES - 1 + 3):
        _, body = get(client, "annotations.jsonl")
    assert len(jsonl(body)) == rows
    monkeypatch.setattr(selectors, "EXPORT_FIRST_CHUNK_SIZE", 1)
    with django_assert_num_queries(QUERIES - 1 + 4):  # a first byte quickly: 1, 5, 5 and 1
        response = client.get(URL + "annotations.jsonl")
        pieces = list(response.streaming_content)
    assert [len(p.splitlines()) for p in pieces] == [1, 5, 5, 1]


def test_empty_export_needs_no_evidence_query(client, reviewer, django_assert_num_queries):
    client.force_login(reviewer)
    with django_assert_num_queries(QUERIES - 1):
        _, body = get(client, "annotations.jsonl")
    assert body == b""


# The management command --------------------------------------------------------------------


def run_command(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("export_annotations", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("jsonl", "annotations.jsonl"), ("jsonld", "annotations.jsonld"),
     ("claimreview", "claimreview.json"), ("csv", "annotations.csv")],
)  # fmt: skip
def test_command_writes_what_the_view_serves(client, reviewer, dataset, fmt, name):
    client.force_login(reviewer)
    _, body = get(client, name)
    out, _ = run_command("--format", fmt, "--base-url", "http://testserver/")
    served = body.decode()
    if fmt == "jsonld":  # only the export time differs
        served, out = json.loads(served), json.loads(out)
        for doc in (served, out):
            doc.pop("generated")
            for item in doc["first"]["items"]:
                item.pop("generated")
    assert out == served


def test_command_filters_like_the_api(reviewer, editor):
    article = make_article()
    approved = approve(make_annotation(article, reviewer, "waste", verdict="disputed"), editor)
    pending = make_annotation(article, reviewer, "Critics")
    out, _ = run_command("--format", "jsonl")
    assert ids(out.encode()) == [approved.pk]
    out, _ = run_command("--status", "all", "--author", "rita", "--article", str(article.pk))
    assert ids(out.encode()) == [approved.pk, pending.pk]
    later = (Annotation.objects.get(pk=pending.pk).updated + timedelta(seconds=1)).isoformat()
    out, _ = run_command("--status", "all", "--updated-after", later)
    assert out == ""


def test_command_shows_progress_on_stderr_for_large_exports(reviewer, dataset, monkeypatch):
    monkeypatch.setattr(export_annotations, "PROGRESS_MIN", 5)
    out, err = run_command("--format", "csv")
    assert f"{len(dataset)}/{len(dataset)}" in err and "#" in err
    assert len(list(csv.reader(io.StringIO(out)))) == len(dataset) + 1
    monkeypatch.setattr(export_annotations, "PROGRESS_MIN", 1000)
    assert run_command("--format", "csv")[1] == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "--format: choose one of jsonl, jsonld, claimreview, csv."),
        (["--article", "x"], "--article: Enter a whole number."),
        (["--updated-after", "soon"], "--updated-after: Enter a valid date/time."),
        (["--verdict", "maybe"], "--verdict: Select a valid choice."),
    ],
)
def test_command_rejects_bad_arguments_in_one_line(args, message):
    with pytest.raises(CommandError) as raised:
        run_command(*args)
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


def test_command_line_errors_exit_non_zero_with_one_line(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "PATH": "/usr/bin:/bin"}
    for args in (["--format", "xml"], ["--no-such-option"]):
        done = subprocess.run(
            [sys.executable, "manage.py", "export_annotations", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=Path(__file__).parent.parent,
        )
        assert done.returncode != 0
        assert done.stdout == ""
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
