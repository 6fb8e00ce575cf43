"""The Web Annotation Protocol, read side: each annotation's id answers the anno profile
with the export's own annotation and the protocol's headers; the container at
/api/v1/annotations/ honours Prefer and really pages; the export pages the same way.
One test per MUST/SHOULD implemented (README: "W3C Web Annotation Protocol")."""

import io
import json
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command
from django.test import override_settings
from pyld import jsonld

from annotations import services
from annotations.models import Annotation, Article
from tests.export_data import approve, get
from tests.factories import make_annotation, make_article
from tests.jsonld_data import CONTEXTS, loader, triples, unmapped_terms

pytestmark = pytest.mark.django_db

PROFILE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
ANNO = {"HTTP_ACCEPT": PROFILE}
SCHEMA = json.loads(
    (Path(__file__).parents[1] / "schemas" / "web-annotation.schema.json").read_text()
)
PREFER = 'return=representation; include="http://www.w3.org/ns/oa#{}"'
TEXT = "One claim here. Two claims there. Three more. Four at last. Five, the end.\n"
PHRASES = ["One claim", "Two claims", "Three more", "Four at last", "Five"]


def body(response) -> dict:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return json.loads(raw)


@pytest.fixture
def five(reviewer, editor):
    """Five approved verdicts and one pending, on one article."""
    article = make_article(TEXT)
    approved = [approve(make_annotation(article, reviewer, p, note=p), editor) for p in PHRASES]
    pending = make_annotation(article, reviewer, "the end", verdict="opinion")
    return approved, pending


# The annotation's id -----------------------------------------------------------------------


def test_an_approved_id_answers_the_anno_profile_anonymously_with_the_export_s_annotation(
    client, reviewer, five
):
    approved, _ = five
    response = client.get(f"/api/v1/annotations/{approved[0].pk}/", **ANNO)
    assert response.status_code == 200
    assert response["Content-Type"] == PROFILE  # MUST ld+json, SHOULD the profile
    document = body(response)
    jsonschema.Draft202012Validator(SCHEMA | {"$ref": "#/$defs/standaloneAnnotation"}).validate(
        document
    )
    client.force_login(reviewer)
    _, export = get(client, "annotations.jsonld")
    item = json.loads(export)["first"]["items"][0]
    item.pop("generated")
    assert {k: v for k, v in document.items() if k != "@context"} == item


def test_the_annotation_carries_the_protocol_headers(client, five):
    approved, _ = five
    response = client.get(f"/api/v1/annotations/{approved[0].pk}/", **ANNO)
    assert response["ETag"]  # MUST
    assert response["Link"] == '<http://www.w3.org/ns/ldp#Resource>; rel="type"'  # MUST
    assert {"GET", "HEAD", "OPTIONS"} <= {m.strip() for m in response["Allow"].split(",")}
    assert "Accept" in response["Vary"]  # SHOULD
    head = client.head(f"/api/v1/annotations/{approved[0].pk}/", **ANNO)
    assert head.status_code == 200 and head["ETag"] == response["ETag"]


def test_a_matching_etag_answers_304_and_an_edit_changes_it(client, editor, five):
    approved, _ = five
    url = f"/api/v1/annotations/{approved[0].pk}/"
    tag = client.get(url, **ANNO)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=tag, **ANNO).status_code == 304
    # The W3C representation's tag differs from the project JSON's (another representation).
    client.force_login(editor)
    assert client.get(url)["ETag"] != tag
    services.annotation_reopen(annotation_id=approved[0].pk, editor=editor, expected_version=None)
    assert client.get(url, HTTP_IF_NONE_MATCH=tag, **ANNO).status_code == 200


def test_without_the_profile_the_id_answers_the_project_json(client, reviewer, five):
    approved, _ = five
    url = f"/api/v1/annotations/{approved[0].pk}/"
    assert client.get(url).status_code == 401  # the project JSON still needs a login
    client.force_login(reviewer)
    for accept in ("application/json", "*/*", f"application/json, {PROFILE};q=0.5"):
        response = client.get(url, HTTP_ACCEPT=accept)
        assert response["Content-Type"] == "application/json", accept
        assert response.json()["id"] == approved[0].pk
        assert "Accept" in response["Vary"]
    other_profile = 'application/ld+json; profile="https://example.org/other"'
    assert client.get(url, HTTP_ACCEPT=other_profile).status_code == 406


def test_a_pending_id_needs_a_login_and_then_states_its_status(client, reviewer, five):
    _, pending = five
    url = f"/api/v1/annotations/{pending.pk}/"
    assert client.get(url, **ANNO).status_code == 401
    assert client.get("/api/v1/annotations/999999/", **ANNO).status_code == 401  # same answer
    client.force_login(reviewer)
    document = body(client.get(url, **ANNO))
    assert document["schema:creativeWorkStatus"] == "pending"
    assert client.get("/api/v1/annotations/999999/", **ANNO).status_code == 404


@pytest.mark.parametrize("version", CONTEXTS)
def test_a_dereferenced_id_expands_with_either_context_and_nothing_unmapped(client, five, version):
    approved, _ = five
    document = body(client.get(f"/api/v1/annotations/{approved[0].pk}/", **ANNO))
    assert unmapped_terms(document, version) == set()
    expanded = jsonld.expand(document, {"documentLoader": loader(version)})
    assert expanded[0]["@type"] == ["http://www.w3.org/ns/oa#Annotation"]
    found = triples(document, version)
    OA = "http://www.w3.org/ns/oa#"
    ann = f"<{document['id']}>"
    assert (ann, f"<{OA}motivatedBy>", f"<{OA}assessing>") in found
    assert (ann, "<http://schema.org/creativeWorkStatus>", '"approved"') in found
    assert all(o.startswith(("<http", '"', "_:")) for _, _, o in found)


# The container ----------------------------------------------------------------------------


def test_the_container_is_minimal_by_default_with_its_headers(client, five):
    response = client.get("/api/v1/annotations/", **ANNO)
    assert response.status_code == 200 and response["Content-Type"] == PROFILE
    assert '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type"' in response["Link"]
    assert "constrainedBy" in response["Link"] and response["ETag"]
    assert {"Accept", "Prefer"} <= {v.strip() for v in response["Vary"].split(",")}
    container = body(response)
    assert container["type"] == ["BasicContainer", "AnnotationCollection"]
    assert container["total"] == 5  # the pending one is not public
    assert container["first"] == "http://testserver/api/v1/annotations/?page=0&page_size=100"
    assert container["last"] == container["first"]


def test_prefer_contained_iris_or_descriptions_embeds_the_first_page(client, five):
    approved, _ = five
    iris = client.get(
        "/api/v1/annotations/?page_size=2", HTTP_PREFER=PREFER.format("PreferContainedIRIs"), **ANNO
    )
    assert iris["Preference-Applied"] == "return=representation"
    first = body(iris)["first"]
    assert first["items"] == [f"http://testserver/api/v1/annotations/{a.pk}/" for a in approved[:2]]
    assert "@context" not in first and first["next"].endswith("page=1&page_size=2&iris=1")
    full = body(
        client.get(
            "/api/v1/annotations/?page_size=2",
            HTTP_PREFER=PREFER.format("PreferContainedDescriptions"),
            **ANNO,
        )
    )
    assert [i["type"] for i in full["first"]["items"]] == ["Annotation", "Annotation"]


def test_container_pages_link_next_prev_and_part_of(client, five):
    approved, _ = five
    seen, url = [], "/api/v1/annotations/?page=0&page_size=2"
    pages = []
    while url:
        page = body(client.get(url, **ANNO))
        pages.append(page)
        assert page["type"] == "AnnotationPage" and page["partOf"]["total"] == 5
        assert page["startIndex"] == len(seen)
        seen += [item["id"] for item in page["items"]]
        url = page.get("next", "").replace("http://testserver", "")
    assert seen == [f"http://testserver/api/v1/annotations/{a.pk}/" for a in approved]
    assert "prev" not in pages[0] and pages[2]["prev"] == pages[1]["id"]
    assert client.get("/api/v1/annotations/?page=3&page_size=2", **ANNO).status_code == 404
    assert client.get("/api/v1/annotations/?page=x", **ANNO).status_code == 400


def test_the_container_shows_editors_every_status_when_asked(client, editor, reviewer, five):
    assert client.get("/api/v1/annotations/?status=all", **ANNO).status_code == 401
    client.force_login(reviewer)
    assert client.get("/api/v1/annotations/?status=all", **ANNO).status_code == 403
    client.force_login(editor)
    page = body(client.get("/api/v1/annotations/?status=all&page=0", **ANNO))
    statuses = [i["schema:creativeWorkStatus"] for i in page["items"]]
    assert statuses == ["approved"] * 5 + ["pending"]


@override_settings(WORKBENCH_PUBLIC_SITE=False)
def test_with_the_site_off_the_w3c_reads_need_a_login(client, reviewer, five):
    approved, _ = five
    assert client.get(f"/api/v1/annotations/{approved[0].pk}/", **ANNO).status_code == 401
    client.force_login(reviewer)
    document = body(client.get(f"/api/v1/annotations/{approved[0].pk}/", **ANNO))
    assert document["target"]["source"].endswith(f"/api/v1/articles/{approved[0].article_id}/")


# The export's pages, status and orphans --------------------------------------------------------


def test_the_export_pages_like_the_container(client, reviewer, five):
    client.force_login(reviewer)
    response, raw = get(client, "annotations.jsonld", page=1, page_size=2, verdict="verified")
    page = json.loads(raw)
    jsonschema.Draft202012Validator(SCHEMA | {"$ref": "#/$defs/page"}).validate(
        {k: v for k, v in page.items() if k != "@context"} | {"partOf": page["partOf"]["id"]}
    )
    collection = "http://testserver/api/v1/export/annotations.jsonld?verdict=verified"
    assert page["partOf"]["id"] == collection and page["partOf"]["total"] == 5
    assert page["startIndex"] == 2 and len(page["items"]) == 2
    assert page["next"] == f"{collection}&page=2&page_size=2"
    assert page["prev"] == f"{collection}&page=0&page_size=2"
    last, _ = get(client, "annotations.jsonld", page=3, page_size=2)
    assert last.status_code == 404
    bad, _ = get(client, "annotations.jsonld", page=-1)
    assert bad.status_code == 400


def test_a_raw_utf8_filter_value_is_encoded_once_in_the_collection_id(client, reviewer, five):
    client.force_login(reviewer)
    response = client.get("/api/v1/export/annotations.jsonld?author=r\u00e9v")
    collection = json.loads(b"".join(response.streaming_content))
    assert collection["id"] == "http://testserver/api/v1/export/annotations.jsonld?author=r%C3%A9v"


def test_editor_exports_state_each_status(client, editor, reviewer, five):
    _, pending = five
    rejected = make_annotation(pending.article, reviewer, "Two", verdict="opinion")
    services.annotation_review(
        annotation_id=rejected.pk, editor=editor, decision="reject", expected_version=None,
        comment="no",
    )  # fmt: skip
    client.force_login(editor)
    _, raw = get(client, "annotations.jsonld", status="all")
    statuses = {i["id"]: i["schema:creativeWorkStatus"] for i in json.loads(raw)["first"]["items"]}
    assert statuses[f"http://testserver/api/v1/annotations/{pending.pk}/"] == "pending"
    assert statuses[f"http://testserver/api/v1/annotations/{rejected.pk}/"] == "rejected"
    assert list(statuses.values()).count("approved") == 5


def test_an_orphan_s_target_is_the_text_its_offsets_were_made_on(
    client, reviewer, editor, tmp_path
):
    path = tmp_path / "story.txt"
    path.write_text("Title\nThe minister said taxes fell by 3 % last year.\n", encoding="utf-8")
    call_command("load_articles", str(path), stdout=io.StringIO())
    article = Article.objects.get()
    annotation = approve(make_annotation(article, reviewer, "taxes fell by 3 %"), editor)
    path.write_text("Title\nThe minister spoke about the weather.\n", encoding="utf-8")
    call_command("load_articles", str(path), stdout=io.StringIO())
    assert Annotation.objects.get(pk=annotation.pk).orphaned
    client.force_login(editor)
    _, raw = get(client, "annotations.jsonld", status="all", include_orphans=1)
    (item,) = json.loads(raw)["first"]["items"]
    target = item["target"]
    assert target["source"] == f"http://testserver/api/v1/articles/{article.pk}/revisions/1/"
    quote, position = target["selector"]
    text = client.get(target["source"].replace("http://testserver", "")).content.decode()
    assert text[position["start"] : position["end"]] == quote["exact"] == "taxes fell by 3 %"
    current = client.get(f"/api/v1/articles/{article.pk}/revisions/2/").content.decode()
    assert "weather" in current and "taxes" not in current
