"""Browser pages of search and similar claims, without a browser: what each view answers."""

import pytest
from django.test import Client

from annotations.models import Action, Annotation, ReviewEvent
from tests.factories import make_annotation, make_user
from tests.seeds import load_seeds, span

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds(db):
    return load_seeds()


@pytest.fixture
def sam(db):
    client = Client()
    client.force_login(make_user("sam", groups=("reviewer",)))
    return client


def test_article_list_search_marks_the_words(sam, seeds):
    html = sam.get("/", {"q": "kursk"}).content.decode()
    assert html.count("<mark>Kursk</mark>") == 2
    assert seeds["000"].title not in html
    partial = sam.get("/", {"q": "kursk"}, HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('\n<div id="article-table">') or 'id="article-table"' in partial
    assert "No article holds all of" in sam.get("/", {"q": "zzzqqq"}).content.decode()


def test_article_text_is_escaped_in_snippets(sam, db):
    from annotations import services

    services.article_import(
        raw=b"T\nThe <script>alert(1)</script> Kursk plan.\n", source_file="x.txt"
    )
    html = sam.get("/", {"q": "kursk"}).content.decode()
    assert "<script>alert(1)" not in html
    assert "Kursk</mark>" in html  # PostgreSQL's headline drops tag-like words


def test_card_list_and_its_no_js_page(sam, seeds):
    rita = make_user("rita")
    original = make_annotation(seeds["004"], rita, "50,000 soldiers")
    partial = sam.get(f"/annotations/{original.pk}/similar/", HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "Same claim elsewhere" in body and "nearly 50,000-strong enemy group" in body
    assert f"/articles/{seeds['001'].pk}/same-claim/{original.pk}/?start=" in body
    page = sam.get(f"/annotations/{original.pk}/similar/").content.decode()
    assert "<html" in page and "nearly 50,000-strong enemy group" in page
    card = sam.get(f"/articles/{seeds['004'].pk}/").content.decode()
    assert f'id="similar-claims-{original.pk}"' in card


def test_selection_list_offers_the_verdicts_given_elsewhere(sam, seeds):
    given = make_annotation(seeds["001"], make_user("rita"), "nearly 50,000-strong enemy group")
    start, end = span(seeds["004"], "50,000 soldiers")
    response = sam.get(
        f"/articles/{seeds['004'].pk}/similar/",
        {"start": start, "end": end},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert f'action="/articles/{seeds["004"].pk}/same-claim/{given.pk}/"' in body
    assert f'name="start" value="{start}"' in body
    for bad in (
        {"start": 3},
        {"start": 9, "end": 2},
        {"start": "a", "end": "b"},
        {"start": 0, "end": 10**7},
    ):
        assert sam.get(f"/articles/{seeds['004'].pk}/similar/", bad).status_code == 400


def test_apply_from_the_claim_page(sam, seeds):
    original = make_annotation(
        seeds["001"],
        make_user("rita"),
        "advising the foreign leader not to escalate the war",
        verdict="disputed",
    )
    start, end = span(seeds["004"], "advised Putin “not to escalate the war in Ukraine")
    url = f"/articles/{seeds['004'].pk}/same-claim/{original.pk}/"
    page = sam.get(url, {"start": start, "end": end}).content.decode()
    assert "Apply the same verdict here" in page and '<mark id="passage">' in page
    response = sam.post(url, {"start": start, "end": end})
    copy = Annotation.objects.get(copied_from=original)
    assert response.status_code == 302 and response["Location"].endswith(f"#card-{copy.pk}")
    assert ReviewEvent.objects.get(annotation=copy).action == Action.COPIED
    again = sam.post(url, {"start": start, "end": end})
    assert again.status_code == 409 and "already applied" in again.content.decode()
    assert (
        "You applied this verdict here"
        in sam.get(url, {"start": start, "end": end}).content.decode()
    )
    unrelated = span(seeds["004"], "**Interview with Dr. Sarah Mitchell")
    other = make_annotation(seeds["001"], make_user("ann"), "nearly 50,000-strong enemy group")
    refused = sam.post(
        f"/articles/{seeds['004'].pk}/same-claim/{other.pk}/",
        {"start": unrelated[0], "end": unrelated[1]},
    )
    assert refused.status_code == 409 and "does not state the claim" in refused.content.decode()
    assert sam.post(url, {"start": "x"}).status_code == 400
    htmx = sam.post(
        f"/articles/{seeds['000'].pk}/same-claim/{original.pk}/",
        {"start": 0, "end": 10},
        HTTP_HX_REQUEST="true",
    )
    assert htmx.status_code == 409
