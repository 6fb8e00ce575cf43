"""The desk at scale: cards a page at a time, writes that answer with what changed, the
session checks, and the editor's fix on the reviewer's card."""

import json
import re

import pytest
from django.urls import reverse

from annotations import services
from annotations.lib import render as renderlib
from annotations.models import Annotation, EvidenceLink, Status
from tests.factories import make_annotation, make_article

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
LINE = "The council said the bridge cost forty million euros, far above the estimate.\n"


def page_url(article, **query):
    url = reverse("article-detail", args=[article.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def cards_url(article):
    return reverse("article-cards", args=[article.pk])


@pytest.fixture
def rita(client, reviewer):
    client.force_login(reviewer)
    return client


def bulk(article, author, n, *, every=40, length=20, verdict="opinion"):
    rows = [
        Annotation(
            article=article,
            author=author,
            start=i * every,
            end=i * every + length,
            quote=article.text[i * every : i * every + length],
            verdict=verdict,
        )
        for i in range(n)
    ]
    return Annotation.objects.bulk_create(rows)


@pytest.fixture
def long_article():
    return make_article(LINE * 400, title="Long")  # 31,600 code points, 16 chunks


def card_ids(body: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li class="card [^"]*" id="card-(\d+)"', body)]


# Cards a page at a time -----------------------------------------------------------------


def test_page_shows_the_first_cards_and_a_link_to_the_rest(rita, reviewer, long_article):
    made = bulk(long_article, reviewer, 75)
    body = rita.get(page_url(long_article)).content.decode()
    assert card_ids(body) == [a.pk for a in made[:30]]
    assert body.count("data-ids=") >= 75  # every highlight, whatever is loaded
    last = made[29]
    assert f"after={last.start}.{last.end}.{last.pk}" in body
    assert 'hx-trigger="intersect once"' in body


def test_next_pages_follow_in_text_order_without_gaps(rita, reviewer, long_article):
    made = bulk(long_article, reviewer, 75)
    seen, query = [], ""
    body = rita.get(page_url(long_article)).content.decode()
    while True:
        seen += card_ids(body)
        found = re.search(r'hx-get="[^"]*\?(after=[^"]+)"', body)
        if not found:
            break
        query = found.group(1).replace("&amp;", "&")
        body = rita.get(f"{cards_url(long_article)}?{query}", headers=HTMX).content.decode()
        assert "<html" not in body
    assert seen == [a.pk for a in made]


def test_cards_filter_by_verdict_status_author_and_words(
    rita, reviewer, other_reviewer, long_article
):
    mine = bulk(long_article, reviewer, 5, verdict="verified")
    theirs = bulk(long_article, other_reviewer, 3)
    Annotation.objects.filter(pk=theirs[0].pk).update(note="Budget figures", status="approved")
    get = lambda **q: card_ids(  # noqa: E731
        rita.get(cards_url(long_article), q, headers=HTMX).content.decode()
    )
    assert get(verdict="verified") == [a.pk for a in mine]
    assert get(author=other_reviewer.username) == [a.pk for a in theirs]
    assert get(status="approved") == [theirs[0].pk]
    assert get(q="budget") == [theirs[0].pk]
    assert get(q="nothing like it") == []
    # Bad values narrow nothing and break nothing.
    assert len(get(verdict="nonsense", status="<b>", after="1.2", **{"from": "x"})) == 8


def test_from_an_annotation_lists_the_cards_from_it_on(rita, reviewer, long_article):
    made = bulk(long_article, reviewer, 50)
    body = rita.get(cards_url(long_article), {"from": made[40].pk}, headers=HTMX)
    assert card_ids(body.content.decode()) == [a.pk for a in made[40:]]
    assert "Show from the start" in body.content.decode()


def test_cards_without_javascript_go_to_the_page(rita, long_article):
    response = rita.get(cards_url(long_article), {"verdict": "verified"})
    assert response.status_code == 302
    assert response["Location"] == page_url(long_article) + "?verdict=verified#card-list"
    # And the page itself filters, for readers without JavaScript.
    assert rita.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("n", [0, 40, 400])
def test_card_page_query_count_is_fixed(rita, reviewer, long_article, django_assert_num_queries, n):
    bulk(long_article, reviewer, n, every=70, length=30)
    # session, user, groups (the Export menu's rule), article, cards, and with cards their
    # evidence. Pending cards need no look at approvals.
    with django_assert_num_queries(5 if n == 0 else 6):
        response = rita.get(cards_url(long_article), headers=HTMX)
    assert len(card_ids(response.content.decode())) == min(n, 30)


# Writes answer with what changed ---------------------------------------------------------


@pytest.mark.parametrize("n", [0, 40, 400])
def test_a_save_answers_with_one_chunk_whatever_the_count(
    rita, reviewer, long_article, django_assert_num_queries, n
):
    bulk(long_article, reviewer, n, every=70, length=30)
    phrase_at = long_article.text.index("forty", 5000)
    data = {
        "start": phrase_at,
        "end": phrase_at + 19,
        "quote": long_article.text[phrase_at : phrase_at + 19],
        "verdict": "verified",
    }
    with django_assert_num_queries(30):  # the same at 0 and at 400
        response = rita.post(
            reverse("article-annotation-new", args=[long_article.pk]), data, headers=HTMX
        )
    body = response.content.decode()
    chunk = next(c for c in renderlib.chunks(long_article.text) if c.start <= phrase_at < c.end)
    assert re.findall(r'id="chunk-(\d+)"', body) == [str(chunk.start)]
    assert len(body) < 16_000
    new = Annotation.objects.get(start=phrase_at)
    assert f'data-ids="{new.pk}"' in body or f' {new.pk}"' in body
    assert len(card_ids(body)) == 1


def test_edit_answers_with_the_card_out_of_band(rita, reviewer, article):
    a = make_annotation(article, reviewer, "waste", verdict="opinion")
    url = reverse("annotation-edit", args=[a.pk])
    data = {"version": 1, "verdict": "verified", "note": "Checked"}
    body = rita.post(url, data, headers=HTMX).content.decode()
    assert f'id="card-{a.pk}" data-id="{a.pk}"' in body
    assert re.search(rf'<li [^>]*id="card-{a.pk}"[^>]*hx-swap-oob="true"', body)
    assert "hl-verified" in body and "card-inbox" not in body


# Session checks ------------------------------------------------------------------------


def test_htmx_save_without_a_session_is_401_not_the_login_page(client, article):
    response = client.post(reverse("article-annotation-new", args=[article.pk]), {}, headers=HTMX)
    assert response.status_code == 401
    assert response["X-Login-Url"] == reverse("login")
    assert "<form" not in response.content.decode()
    # Without htmx, the login page as before.
    assert client.get(page_url(article)).status_code == 302


def test_session_state_gives_a_token_and_who_is_logged_in(client, rita, reviewer):
    state = json.loads(rita.get(reverse("session-state")).content)
    assert state["authenticated"] and state["username"] == reviewer.username
    assert len(state["csrfToken"]) >= 32
    client.logout()
    state = json.loads(client.get(reverse("session-state")).content)
    assert (state["authenticated"], state["username"]) == (False, "")
    assert client.post(reverse("session-state")).status_code == 405


# Feedback loop -------------------------------------------------------------------------


def test_fix_and_approve_edits_evidence_and_the_card_shows_before_and_after(
    rita, client, reviewer, editor, article
):
    a = make_annotation(
        article,
        reviewer,
        "waste",
        verdict="disputed",
        evidence=[{"url": "https://example.org/old", "title": "Old"}],
    )
    from django.test import Client

    desk = Client()
    desk.force_login(editor)
    response = desk.post(
        reverse("review-decide", args=[a.pk]),
        {
            "version": 1,
            "decision": "fix_approve",
            "verdict": "disputed",
            "note": "Audit",
            "evidence_url": ["https://example.org/audit", ""],
            "evidence_title": ["Audit report", ""],
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    a.refresh_from_db()
    assert a.status == Status.APPROVED
    assert list(EvidenceLink.objects.filter(annotation=a).values_list("url", "title")) == [
        ("https://example.org/audit", "Audit report")
    ]
    body = rita.get(page_url(article)).content.decode()
    assert "Fixed by editor" in body
    fix = body[body.index('class="editor-fix"') :]
    assert fix.index("https://example.org/old") < fix.index("https://example.org/audit")
    assert "(empty)" in fix and "Audit" in fix  # the note was blank before


def test_fix_with_a_bad_link_keeps_the_rows_typed(client, reviewer, editor, article):
    a = make_annotation(article, reviewer, "waste", verdict="opinion")
    client.force_login(editor)
    response = client.post(
        reverse("review-decide", args=[a.pk]),
        {
            "version": 1,
            "decision": "fix_approve",
            "evidence_url": ["ftp://example.org/x"],
            "evidence_title": ["Typed"],
        },
        headers=HTMX,
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'value="ftp://example.org/x"' in body and 'value="Typed"' in body
    assert Annotation.objects.get(pk=a.pk).status == Status.PENDING


def test_edit_and_resubmit_opens_the_form_on_the_annotation(rita, reviewer, editor, article):
    a = make_annotation(article, reviewer, "waste", verdict="opinion", note="First try")
    services.annotation_review(
        annotation_id=a.pk,
        editor=editor,
        decision="request_changes",
        expected_version=1,
        comment="Add a source.",
    )
    home = rita.get(reverse("article-list")).content.decode()
    assert f"{page_url(article)}?edit={a.pk}#annotation-form" in home
    body = rita.get(page_url(article, edit=a.pk)).content.decode()
    form = re.search(r'<div id="annotation-form"[^>]*>', body).group(0)
    assert "hidden" not in form and f'data-annotation="{a.pk}"' in form
    assert "First try</textarea>" in body
    assert '<template id="blank-annotation-form">' in body


def test_edit_param_is_ignored_for_someone_elses_annotation(
    client, other_reviewer, reviewer, article
):
    a = make_annotation(article, reviewer, "waste", verdict="opinion")
    client.force_login(other_reviewer)
    for value in (str(a.pk), "x", "99999999999999"):
        body = client.get(page_url(article, edit=value)).content.decode()
        assert re.search(r'<div id="annotation-form"[^>]* hidden>', body)


def test_export_menu_follows_the_filter_and_the_role(rita, client, editor, article):
    body = rita.get(page_url(article)).content.decode()
    assert f"/api/v1/export/annotations.csv?article={article.pk}&amp;author=" in body
    assert "status=approved" in body and "Your own annotations" in body
    client.force_login(editor)
    body = client.get(cards_url(article), {"verdict": "disputed"}, headers=HTMX).content.decode()
    assert '<details class="export-menu" id="export-menu" hx-swap-oob="true">' in body
    query = f"article={article.pk}&amp;verdict=disputed&amp;status=all"
    for name in ("annotations.csv", "annotations.jsonl", "annotations.jsonld", "claimreview.json"):
        assert f"/api/v1/export/{name}?{query}" in body
    listing = client.get(reverse("article-list")).content.decode()
    assert "/api/v1/export/annotations.csv?status=all" in listing
    assert 'href="/api/docs/"' in listing


def test_api_docs_link_back_to_the_workbench(rita):
    body = rita.get(reverse("api-docs")).content.decode()
    assert '<a href="/">← Back to the workbench</a>' in body


def test_the_same_draft_sent_twice_is_stored_once(rita, reviewer, article):
    start = article.text.index("waste")
    data = {
        "start": start,
        "end": start + 5,
        "quote": "waste",
        "verdict": "opinion",
        "client_key": "0b7c6a52-5d0e-4b7e-9a51-3f0c2d8e9a11",
    }
    url = reverse("article-annotation-new", args=[article.pk])
    first = rita.post(url, data, headers=HTMX)
    again = rita.post(url, data, headers=HTMX)
    assert first.status_code == again.status_code == 200
    (saved,) = Annotation.objects.all()
    assert saved.events.count() == 1
    assert f'id="card-{saved.pk}"' in again.content.decode()
    # Another draft (another key, or none) is another annotation.
    rita.post(url, data | {"client_key": "another-key-123"}, headers=HTMX)
    rita.post(url, data | {"client_key": ""}, headers=HTMX)
    assert Annotation.objects.count() == 3
    bad = rita.post(url, data | {"client_key": "<script>"}, headers=HTMX)
    assert bad.status_code == 422
