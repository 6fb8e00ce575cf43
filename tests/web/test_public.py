"""The public fact-check pages: what anonymous readers see (approved verdicts only, for
every other status a test that it never shows), ClaimReview embedded as the export
writes it, caching headers, and the setting that turns the site off."""

import html
import json
import re

import extruct
import pytest
from django.test import override_settings

from annotations import services
from annotations.models import Annotation
from tests.export_data import approve, get, make_dataset
from tests.factories import make_annotation, make_article

pytestmark = pytest.mark.django_db

W3C = {"HTTP_ACCEPT": 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'}
TEXT = (
    "Alpha said the tax fell. Bravo claimed wages rose. Charlie denied the report.\n"
    "Delta spoke of 3 % growth. Echo repeated it. Foxtrot withdrew. Golf reopened it.\n"
)


def _decide(annotation, editor, decision):
    return services.annotation_review(
        annotation_id=annotation.pk,
        editor=editor,
        decision=decision,
        expected_version=None,
        comment="Because.",
    )


def _orphan(annotation, editor):
    approved = approve(annotation, editor)
    # Marked orphaned and left approved: the orphan rule alone must keep it off the page
    # (a re-import also sends it back to pending, which the "pending" case covers).
    Annotation.all_objects.filter(pk=approved.pk).update(orphaned=True)
    return approved


def _withdraw(annotation, editor):
    services.annotation_delete(
        annotation_id=annotation.pk, actor=annotation.author, expected_version=None
    )
    return annotation


def _reopen(annotation, editor):
    approve(annotation, editor)
    return services.annotation_reopen(
        annotation_id=annotation.pk, editor=editor, expected_version=None
    )


HIDDEN = {
    "pending": ("Bravo claimed", lambda a, e: a),
    "rejected": ("Charlie denied", lambda a, e: _decide(a, e, "reject")),
    "changes_requested": ("Delta spoke", lambda a, e: _decide(a, e, "request_changes")),
    "orphaned": ("Echo repeated", _orphan),
    "withdrawn": ("Foxtrot withdrew", _withdraw),
    "reopened": ("Golf reopened", _reopen),
}


@pytest.fixture
def published(reviewer, editor):
    """One article with an approved verdict and one verdict in each other state."""
    article = make_article(TEXT, title="Tax and wages", url="", source="")
    shown = approve(
        make_annotation(article, reviewer, "Alpha said", note="NOTE-approved", verdict="verified"),
        editor,
    )
    hidden = {}
    for state, (phrase, put) in HIDDEN.items():
        annotation = make_annotation(article, reviewer, phrase, note=f"NOTE-{state}")
        hidden[state] = put(annotation, editor)
    return article, shown, hidden


def test_the_article_page_shows_the_approved_verdict_with_its_parts(client, published):
    article, shown, _ = published
    response = client.get(f"/factchecks/{article.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="verdict-{shown.pk}"' in page and f'href="#verdict-{shown.pk}"' in page
    assert "NOTE-approved" in page and "approved by edna" in page and "Reviewed by rita" in page
    assert "hl-verified" in page
    assert f"/factchecks/{article.pk}/verdicts/{shown.pk}/" in page
    assert "<script src" not in page  # no JavaScript needed, none sent


@pytest.mark.parametrize("state", HIDDEN)
def test_a_verdict_that_is_not_approved_never_appears(client, published, state):
    article, _, hidden = published
    annotation = hidden[state]
    pages = [client.get("/factchecks/"), client.get(f"/factchecks/{article.pk}/")]
    for response in pages:
        page = response.content.decode()
        assert f"NOTE-{state}" not in page
        assert f"verdict-{annotation.pk}" not in page
    one = client.get(f"/factchecks/{article.pk}/verdicts/{annotation.pk}/")
    assert one.status_code == 404
    # Nor through the W3C reads, to anonymous clients.
    assert client.get(f"/api/v1/annotations/{annotation.pk}/", **W3C).status_code == 401
    container = json.loads(b"".join(client.get("/api/v1/annotations/?page=0", **W3C)))
    assert [i["id"].rsplit("/", 2)[-2] for i in container["items"]] == [str(published[1].pk)]


def test_an_article_with_no_approved_verdict_is_not_published(client, reviewer):
    article = make_article(TEXT)
    make_annotation(article, reviewer, "Alpha said")
    assert client.get(f"/factchecks/{article.pk}/").status_code == 404
    assert "Tax" not in client.get("/factchecks/").content.decode()
    assert client.get("/factchecks/999999/").status_code == 404


def test_the_text_element_holds_exactly_the_article_text(client, reviewer, editor):
    """The W3C selectors count into #article-text: its text content must be the text."""
    text = "Emoji 😀 & <tags> stay.\n\nA “quote” and café.\nLast line"
    article = make_article(text)
    approve(make_annotation(article, reviewer, "😀 & <tags>"), editor)
    approve(make_annotation(article, reviewer, "café.\nLast", verdict="opinion"), editor)
    page = client.get(f"/factchecks/{article.pk}/").content.decode()
    inner = re.search(r'<div id="article-text" class="article-text">(.*?)</div>', page, re.S)
    assert html.unescape(re.sub(r"<[^>]+>", "", inner.group(1))) == text


def test_claimreview_on_the_page_is_the_export_s(client, reviewer, editor, published):
    article, shown, _ = published
    disputed = approve(
        make_annotation(article, reviewer, "the tax fell", verdict="disputed"), editor
    )
    page = client.get(f"/factchecks/{article.pk}/").content.decode()
    found = extruct.extract(page, syntaxes=["json-ld"], uniform=True)["json-ld"]
    client.force_login(reviewer)
    _, body = get(client, "claimreview.json")
    exported = json.loads(body)
    assert {r["url"] for r in exported} == {
        f"http://testserver/factchecks/{article.pk}/#verdict-{a.pk}" for a in (shown, disputed)
    }
    assert sorted(found, key=lambda r: r["url"]) == sorted(exported, key=lambda r: r["url"])


def test_every_claimreview_url_opens_anonymously_and_embeds_that_review(
    client, reviewer, published
):
    client.force_login(reviewer)
    _, body = get(client, "claimreview.json")
    client.logout()
    for review in json.loads(body):
        page, _, fragment = review["url"].partition("#")
        response = client.get(page)
        assert response.status_code == 200
        content = response.content.decode()
        assert f'id="{fragment}"' in content
        embedded = extruct.extract(content, syntaxes=["json-ld"], uniform=True)["json-ld"]
        assert review in embedded


def test_a_verdict_page_embeds_its_own_claimreview_only(client, published):
    article, shown, _ = published
    response = client.get(f"/factchecks/{article.pk}/verdicts/{shown.pk}/")
    assert response.status_code == 200
    (review,) = extruct.extract(response.content.decode(), syntaxes=["json-ld"])["json-ld"]
    assert review["url"].endswith(f"#verdict-{shown.pk}")


def test_claim_phrased_by_the_fact_checker_is_claim_reviewed(client, reviewer, editor):
    article = make_article(TEXT)
    annotation = make_annotation(article, reviewer, "the tax fell", verdict="verified")
    client.force_login(reviewer)
    too_long = client.patch(
        f"/api/v1/annotations/{annotation.pk}/",
        {"claim": "x" * 151},
        content_type="application/json",
        headers={"If-Match": '"1"'},
    )
    assert too_long.status_code == 400 and "claim" in too_long.json()
    response = client.patch(
        f"/api/v1/annotations/{annotation.pk}/",
        {"claim": "  The  tax fell\nin 2025 "},
        content_type="application/json",
        headers={"If-Match": '"1"'},
    )
    assert response.status_code == 200 and response.json()["claim"] == "The tax fell in 2025"
    # The editor may rephrase it when approving.
    services.annotation_review(
        annotation_id=annotation.pk,
        editor=editor,
        decision="approve",
        expected_version=None,
        claim="Taxes fell in 2025",
    )
    page = client.get(f"/factchecks/{article.pk}/").content.decode()
    (review,) = extruct.extract(page, syntaxes=["json-ld"])["json-ld"]
    assert review["claimReviewed"] == "Taxes fell in 2025"


def test_pages_answer_304_to_a_matching_etag_and_change_when_a_verdict_leaves(
    client, editor, published
):
    article, shown, _ = published
    url = f"/factchecks/{article.pk}/"
    first = client.get(url)
    assert first["Cache-Control"] == "public, no-cache" and first["Last-Modified"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    assert client.head(url).status_code == 200
    index = client.get("/factchecks/")
    assert client.get("/factchecks/", HTTP_IF_NONE_MATCH=index["ETag"]).status_code == 304
    services.annotation_reopen(annotation_id=shown.pk, editor=editor, expected_version=None)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 404
    assert client.get("/factchecks/", HTTP_IF_NONE_MATCH=index["ETag"]).status_code == 200


@override_settings(WORKBENCH_PUBLIC_SITE=False)
def test_with_the_site_off_nothing_is_public_and_exports_say_so(client, reviewer, published):
    article, shown, _ = published
    assert client.get("/factchecks/").status_code == 404
    assert client.get(f"/factchecks/{article.pk}/").status_code == 404
    assert client.get(f"/api/v1/annotations/{shown.pk}/", **W3C).status_code == 401
    assert client.get("/api/v1/annotations/", **W3C).status_code == 401
    client.force_login(reviewer)
    response, body = get(client, "claimreview.json")
    assert response["X-Public-Pages"].startswith("off")
    (review,) = json.loads(body)
    assert review["url"] == f"http://testserver/api/v1/annotations/{shown.pk}/"


def test_author_and_editor_set_the_claim_in_the_browser(client, reviewer, editor):
    article = make_article(TEXT)
    annotation = make_annotation(article, reviewer, "the tax fell", verdict="verified")
    client.force_login(reviewer)
    form = client.get(f"/annotations/{annotation.pk}/edit/").content.decode()
    assert 'name="claim"' in form
    edit = {"verdict": "verified", "note": "", "claim": "Taxes fell", "version": 1}
    assert client.post(f"/annotations/{annotation.pk}/edit/", edit).status_code == 302
    assert Annotation.objects.get(pk=annotation.pk).claim == "Taxes fell"
    too_long = client.post(f"/annotations/{annotation.pk}/edit/", edit | {"claim": "x" * 151})
    assert "at most 150" in too_long.content.decode().lower()
    client.force_login(editor)
    assert 'name="claim"' in client.get("/review/").content.decode()
    decide = {"version": 2, "decision": "fix_approve", "claim": "Taxes fell in 2025"}
    assert client.post(f"/review/{annotation.pk}/decide/", decide).status_code == 302
    fresh = Annotation.objects.get(pk=annotation.pk)
    assert (fresh.status, fresh.claim) == ("approved", "Taxes fell in 2025")


QUERIES = [
    ("/factchecks/", {}, 4),
    ("/factchecks/{article}/", {}, 9),
    ("/factchecks/{article}/verdicts/{annotation}/", {}, 9),
    ("/api/v1/annotations/{annotation}/", W3C, 4),
    ("/api/v1/annotations/", W3C, 2),
    ("/api/v1/annotations/?page=0", W3C, 4),
]


@pytest.mark.parametrize("articles", [1, 3])
@pytest.mark.parametrize(("url", "headers", "queries"), QUERIES)
def test_public_reads_take_a_fixed_number_of_queries(
    client, reviewer, editor, django_assert_num_queries, articles, url, headers, queries
):
    made = make_dataset(reviewer, editor, articles=articles)
    path = url.format(article=made[0].article_id, annotation=made[0].pk)
    with django_assert_num_queries(queries):
        response = client.get(path, **headers)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200


def test_text_that_looks_like_markup_cannot_leave_the_json_ld_block(client, reviewer, editor):
    article = make_article(TEXT, title="</script><script>alert(1)</script>")
    note = "</script><script>alert(2)</script> & <!-- x"
    approve(
        make_annotation(article, reviewer, "the tax fell", verdict="verified", note=note), editor
    )
    page = client.get(f"/factchecks/{article.pk}/").content.decode()
    assert "<script>alert" not in page and "<!-- x" not in page
    (review,) = extruct.extract(page, syntaxes=["json-ld"])["json-ld"]
    assert review["reviewBody"] == note
    assert review["itemReviewed"]["appearance"]["headline"] == article.title
