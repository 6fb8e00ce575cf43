import re

import pytest
from django.urls import reverse

from annotations import services
from annotations.models import Action, Annotation, EvidenceLink, ReviewEvent, Status
from tests.factories import make_annotation, make_article, make_user

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def page_url(article):
    return reverse("article-detail", args=[article.pk])


def new_url(article):
    return reverse("article-annotation-new", args=[article.pk])


def span_data(article, phrase, **extra):
    start = article.text.index(phrase)
    data = {"start": start, "end": start + len(phrase), "quote": phrase, "verdict": "opinion"}
    return data | extra


@pytest.fixture
def rita(client, reviewer):
    client.force_login(reviewer)
    return client


# The page ------------------------------------------------------------------------------


def test_annotate_page_needs_login(client, article):
    response = client.get(page_url(article))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_page_shows_highlights_cards_in_text_order_and_counts(rita, reviewer, article):
    later = make_annotation(article, reviewer, "waste", verdict="disputed")
    earlier = make_annotation(article, reviewer, "42 million euros", verdict="verified")
    body = rita.get(page_url(article)).content.decode()
    assert f'data-ids="{earlier.pk}"' in body and f'data-ids="{later.pk}"' in body
    assert "hl hl-verified" in body and "hl hl-disputed" in body
    assert body.index(f'id="card-{earlier.pk}"') < body.index(f'id="card-{later.pk}"')
    assert 'data-count="disputed"' in body
    assert re.search(r'data-count="pending">2 pending', body)
    assert re.search(r'data-count="verified">.*?<b>1</b>', body)


def test_overlapping_spans_render_nested_segments(rita, reviewer, article):
    outer = make_annotation(article, reviewer, "bridge cost “42 million", verdict="verified")
    inner = make_annotation(article, reviewer, "42 million euros", verdict="opinion")
    body = rita.get(page_url(article)).content.decode()
    assert f'data-ids="{outer.pk} {inner.pk}"' in body
    assert "depth-2" in body and "also-opinion" in body


def test_page_text_reproduces_the_article_exactly(rita, reviewer):
    text = "Line one — “quoted” 😀 café\n\n  indented <b>not bold</b> & more\n"
    article = make_article(text)
    make_annotation(article, reviewer, "“quoted” 😀", verdict="opinion")
    body = rita.get(page_url(article)).content.decode()
    inner = re.search(r'<div class="article-text"[^>]*>(.*?)</div>', body, re.S).group(1)
    import html

    assert html.unescape(re.sub(r"<[^>]+>", "", inner)) == text
    assert f'data-length="{len(text)}"' in body


def test_user_content_sits_inside_hx_disable(rita, reviewer, article):
    make_annotation(article, reviewer, "waste", verdict="opinion", note="a note")
    body = rita.get(page_url(article)).content.decode()
    assert '<div class="article-text" hx-disable' in body
    assert '<div class="card-body" hx-disable>' in body
    assert '<header class="article-head" hx-disable>' in body


@pytest.mark.parametrize("note", ["<script>alert(1)</script>", '" hx-get="/x'])
def test_notes_are_escaped(rita, reviewer, article, note):
    make_annotation(article, reviewer, "waste", verdict="opinion", note=note)
    body = rita.get(page_url(article)).content.decode()
    assert note not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body or "&quot; hx-get=&quot;/x" in body


def test_article_text_and_evidence_are_escaped(rita, reviewer):
    article = make_article('Say <script>alert(1)</script> and " hx-get="/x here.')
    make_annotation(
        article,
        reviewer,
        "<script>alert(1)</script>",
        verdict="disputed",
        evidence=[{"url": 'https://e.org/?a="><script>', "title": '<img src=x onerror="y">'}],
    )
    body = rita.get(page_url(article)).content.decode()
    assert "<script>alert" not in body
    assert '" hx-get="/x' not in body
    assert "<img" not in body and '"><script>' not in body


def test_evidence_links_open_safely(rita, reviewer, article):
    make_annotation(
        article,
        reviewer,
        "waste",
        verdict="disputed",
        evidence=[{"url": "https://example.org/audit", "title": "Audit"}],
    )
    body = rita.get(page_url(article)).content.decode()
    assert (
        '<a href="https://example.org/audit" rel="noopener noreferrer nofollow" '
        'target="_blank">Audit</a>'
    ) in body


def test_card_shows_status_badge_and_editor_comment(rita, reviewer, editor, article):
    a = make_annotation(article, reviewer, "waste", verdict="opinion")
    services.annotation_review(
        annotation_id=a.pk,
        editor=editor,
        decision="request_changes",
        expected_version=a.version,
        comment="Cite <the> audit",
    )
    body = rita.get(page_url(article)).content.decode()
    assert '<span class="badge status-changes_requested">Changes requested</span>' in body
    assert "Cite &lt;the&gt; audit" in body


def test_edit_and_withdraw_buttons_only_on_own_open_annotations(
    rita, reviewer, other_reviewer, editor, article
):
    mine = make_annotation(article, reviewer, "waste", verdict="opinion")
    theirs = make_annotation(article, other_reviewer, "Critics", verdict="opinion")
    approved = make_annotation(article, reviewer, "mayor", verdict="opinion")
    services.annotation_review(
        annotation_id=approved.pk, editor=editor, decision="approve", expected_version=1
    )
    body = rita.get(page_url(article)).content.decode()
    assert reverse("annotation-edit", args=[mine.pk]) in body
    assert reverse("annotation-delete", args=[mine.pk]) in body
    for other in (theirs, approved):
        assert reverse("annotation-edit", args=[other.pk]) not in body
        assert reverse("annotation-delete", args=[other.pk]) not in body


def test_user_without_a_role_reads_but_cannot_annotate(client, article):
    client.force_login(make_user("nobody", groups=()))
    body = client.get(page_url(article)).content.decode()
    assert 'id="annotation-form"' not in body and 'data-annotate="off"' in body
    assert client.get(new_url(article)).status_code == 403
    response = client.post(new_url(article), span_data(article, "waste"))
    assert response.status_code == 403
    assert not Annotation.objects.exists()


def test_orphans_are_listed_not_highlighted(rita, reviewer, article):
    a = make_annotation(article, reviewer, "waste", verdict="opinion")
    Annotation.objects.filter(pk=a.pk).update(orphaned=True)
    body = rita.get(page_url(article)).content.decode()
    assert "Not found in the current text" in body
    assert f'id="card-{a.pk}"' in body and "data-ids=" not in body


def _bulk(article, author, n):
    rows = [
        Annotation(
            article=article,
            author=author,
            start=i % 50,
            end=i % 50 + 5,
            quote=article.text[i % 50 : i % 50 + 5],
            verdict=("verified", "disputed", "opinion")[i % 3],
        )
        for i in range(n)
    ]
    Annotation.objects.bulk_create(rows)
    EvidenceLink.objects.bulk_create(
        EvidenceLink(annotation=a, url=f"https://e.org/{a.pk}")
        for a in Annotation.objects.filter(article=article)
    )


@pytest.mark.parametrize("n", [0, 1, 50, 500])
def test_annotate_page_query_count_is_fixed(
    rita, reviewer, other_reviewer, article, django_assert_num_queries, n
):
    _bulk(article, reviewer, n // 2)
    _bulk(article, other_reviewer, n - n // 2)
    # session, user, user's groups, article, spans, orphans, one page of cards, the
    # evidence of both (no query when there is nothing to show), the authors for the filter
    with django_assert_num_queries(9 if n else 8):
        response = rita.get(page_url(article))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="card ') == min(n, 30)
    assert body.count("data-ids=") >= min(n, 1)


# Creating --------------------------------------------------------------------------------


def test_htmx_create_returns_closed_form_and_new_text_and_panel(rita, reviewer, article):
    data = span_data(article, "42 million euros", verdict="disputed", note="Budget says 61m")
    data |= {"evidence_url": ["https://example.org/budget"], "evidence_title": ["Budget"]}
    response = rita.post(new_url(article), data, headers=HTMX)
    assert response.status_code == 200
    a = Annotation.objects.get()
    assert (a.quote, a.verdict, a.note, a.author) == (
        "42 million euros",
        "disputed",
        "Budget says 61m",
        reviewer,
    )
    assert a.prefix == article.text[max(0, a.start - 32) : a.start]
    assert a.suffix == article.text[a.end : a.end + 32]
    assert [(e.url, e.title) for e in a.evidence.all()] == [
        ("https://example.org/budget", "Budget")
    ]
    assert ReviewEvent.objects.get(annotation=a).action == Action.CREATED
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="annotation-form"')
    assert re.match(r'\s*<div id="annotation-form"[^>]* hidden>', body)
    # Only what changed: the chunk holding the span, the new card, the counts.
    assert re.search(r'<span id="chunk-0" class="chunk" data-start="0" hx-swap-oob="true">', body)
    assert '<ol id="card-inbox" hidden hx-swap-oob="true">' in body
    assert f'<div id="desk-tally" hx-swap-oob="true" data-focus="{a.pk}">' in body
    assert f'data-ids="{a.pk}"' in body and f'id="card-{a.pk}"' in body
    assert "<html" not in body and 'id="article-text"' not in body


def test_no_js_create_redirects_to_the_card(rita, article):
    response = rita.post(new_url(article), span_data(article, "waste"))
    a = Annotation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(article)}#card-{a.pk}"


def test_no_js_form_page_takes_offsets(rita, article):
    response = rita.get(new_url(article), {"start": 3, "end": 8, "verdict": "opinion"})
    body = response.content.decode()
    assert response.status_code == 200
    assert '<input type="number" name="start" min="0" value="3"' in body
    assert "hx-post" not in body.split('id="annotation-form"')[1]
    assert 'value="opinion" id="id_verdict_2" required checked' in body


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"quote": "something else"}, "reads"),
        ({"start": 200, "end": 210}, "outside the article text"),
        ({"end": "START"}, "Select a passage in the article text first."),
        ({"start": "", "end": "", "quote": ""}, "Select a passage in the article text first."),
    ],
    ids=["quote-mismatch", "outside", "empty", "missing"],
)
def test_bad_selections_are_refused_with_a_message(rita, article, change, message):
    data = span_data(article, "waste")
    if change.get("end") == "START":
        change = {"end": data["start"], "quote": ""}
    response = rita.post(new_url(article), data | change, headers=HTMX)
    assert response.status_code == 422
    body = response.content.decode()
    assert message in body
    assert 'class="form-problem" role="alert"' in body
    assert not Annotation.objects.exists()


def test_whitespace_only_selection_refused(rita, article):
    start = article.text.index(" ")
    data = {"start": start, "end": start + 1, "quote": " ", "verdict": "opinion"}
    response = rita.post(new_url(article), data, headers=HTMX)
    assert response.status_code == 422
    assert "not just spaces" in response.content.decode()
    assert not Annotation.objects.exists()


def test_bad_input_without_js_shows_the_form_page(rita, article):
    response = rita.post(new_url(article), span_data(article, "waste", quote="nope"))
    assert response.status_code == 422
    body = response.content.decode()
    assert "<html" in body and "reads" in body


def test_missing_verdict_is_a_field_error(rita, article):
    data = span_data(article, "waste")
    del data["verdict"]
    response = rita.post(new_url(article), data, headers=HTMX)
    assert response.status_code == 422
    assert "Choose a verdict." in response.content.decode()


def test_disputed_needs_a_link(rita, article):
    response = rita.post(
        new_url(article), span_data(article, "waste", verdict="disputed"), headers=HTMX
    )
    assert response.status_code == 422
    assert "A disputed verdict needs at least one evidence link." in response.content.decode()
    assert not Annotation.objects.exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "http:// or https://"),
        ("data:text/html,<b>x</b>", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("/relative/path", "http:// or https://"),
        ("https://exa mple.org/", "spaces or line breaks"),
        ("https://example.org/\nx", "spaces or line breaks"),
        ("https://", "host"),
        ("https://e.org/" + "a" * 2040, "at most 2048"),
    ],
    ids=["javascript", "data", "file", "relative", "space", "newline", "no-host", "too-long"],
)
def test_bad_evidence_urls_are_field_errors(rita, article, url, message):
    data = span_data(article, "waste", verdict="disputed")
    data |= {"evidence_url": [url], "evidence_title": ["t"]}
    response = rita.post(new_url(article), data, headers=HTMX)
    assert response.status_code == 422
    body = response.content.decode()
    row = re.search(r'<li class="evidence-row has-error">.*?</li>', body, re.S).group(0)
    assert message in row
    assert "Fix the links marked below." in body
    assert not Annotation.objects.exists()


def test_blank_evidence_rows_are_ignored_and_several_rows_kept(rita, article):
    data = span_data(article, "waste", verdict="verified")
    data |= {
        "evidence_url": ["https://a.org/1", "", "https://b.org/2"],
        "evidence_title": ["A", "", ""],
    }
    assert rita.post(new_url(article), data, headers=HTMX).status_code == 200
    links = list(Annotation.objects.get().evidence.values_list("url", "title"))
    assert links == [("https://a.org/1", "A"), ("https://b.org/2", "")]


def test_form_keeps_input_after_an_error(rita, article):
    data = span_data(article, "waste", verdict="disputed", note='my "note"')
    data |= {"evidence_url": ["ftp://x.org"], "evidence_title": ["Title <b>"]}
    body = rita.post(new_url(article), data, headers=HTMX).content.decode()
    assert 'value="ftp://x.org"' in body and 'value="Title &lt;b&gt;"' in body
    assert "my &quot;note&quot;" in body
    assert 'value="disputed" id="id_verdict_1" required checked' in body


def test_create_on_missing_article_is_404(rita):
    assert rita.post("/articles/999/annotations/new/", {}).status_code == 404


def test_get_article_page_only(rita, article):
    assert rita.post(page_url(article)).status_code == 405


# Editing and withdrawing -------------------------------------------------------------------


def edit_url(a):
    return reverse("annotation-edit", args=[a.pk])


def delete_url(a):
    return reverse("annotation-delete", args=[a.pk])


def test_edit_form_is_filled_in(rita, reviewer, article):
    a = make_annotation(
        article,
        reviewer,
        "waste",
        verdict="disputed",
        note="old",
        evidence=[{"url": "https://x.org/1", "title": "One"}],
    )
    body = rita.get(edit_url(a), headers=HTMX).content.decode()
    assert body.lstrip().startswith('<div id="annotation-form"')
    assert 'data-mode="edit"' in body and f'data-annotation="{a.pk}"' in body
    assert '<input type="hidden" name="version" value="1"' in body
    assert 'value="https://x.org/1"' in body and ">\nold</textarea>" in body


def test_edit_saves_and_bumps_version(rita, reviewer, article):
    a = make_annotation(article, reviewer, "waste", verdict="opinion")
    data = {
        "version": 1,
        "verdict": "verified",
        "note": "checked",
        "evidence_url": ["https://a.org"],
    }
    response = rita.post(edit_url(a), data, headers=HTMX)
    assert response.status_code == 200
    a.refresh_from_db()
    assert (a.verdict, a.note, a.version) == ("verified", "checked", 2)
    assert ReviewEvent.objects.filter(annotation=a, action=Action.EDITED).count() == 1
    assert "hl hl-verified" in response.content.decode()


def test_edit_without_js_redirects(rita, reviewer, article):
    a = make_annotation(article, reviewer, "waste", verdict="opinion")
    response = rita.post(edit_url(a), {"version": 1, "verdict": "opinion", "note": "n"})
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(article)}#card-{a.pk}"


def test_stale_edit_says_it_changed_since_opened(rita, reviewer, article):
    a = make_annotation(article, reviewer, "waste", verdict="opinion")
    services.annotation_update(annotation_id=a.pk, actor=reviewer, expected_version=1, note="x")
    response = rita.post(
        edit_url(a), {"version": 1, "verdict": "opinion", "note": "mine"}, headers=HTMX
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "changed since you opened it" in body
    assert "Load the current version" in body
    a.refresh_from_db()
    assert a.note == "x"


def test_edit_validation_errors(rita, reviewer, article):
    a = make_annotation(article, reviewer, "waste", verdict="opinion")
    response = rita.post(edit_url(a), {"version": 1, "verdict": "disputed"}, headers=HTMX)
    assert response.status_code == 422
    assert "needs at least one evidence link" in response.content.decode()


def test_cannot_edit_or_withdraw_someone_elses(rita, other_reviewer, article):
    a = make_annotation(article, other_reviewer, "waste", verdict="opinion")
    assert rita.get(edit_url(a)).status_code == 403
    assert rita.post(edit_url(a), {"version": 1, "verdict": "verified"}).status_code == 403
    assert rita.post(delete_url(a), {"version": 1}).status_code == 403
    a.refresh_from_db()
    assert (a.verdict, a.deleted) == ("opinion", False)


def test_approved_annotation_is_locked(rita, reviewer, editor, article):
    a = make_annotation(article, reviewer, "waste", verdict="opinion")
    services.annotation_review(
        annotation_id=a.pk, editor=editor, decision="approve", expected_version=1
    )
    body = rita.get(edit_url(a), headers=HTMX).content.decode()
    assert "can no longer be edited" in body
    assert 'name="note"' not in body and ">Save</button>" not in body
    response = rita.post(edit_url(a), {"version": 2, "verdict": "verified"}, headers=HTMX)
    assert response.status_code == 409 and "can no longer be edited" in response.content.decode()
    response = rita.post(delete_url(a), {"version": 2}, headers=HTMX)
    assert response.status_code == 409
    assert "cannot be withdrawn" in response.content.decode()
    a.refresh_from_db()
    assert (a.verdict, a.deleted, a.status) == ("opinion", False, Status.APPROVED)


def test_editing_after_changes_requested_resubmits(rita, reviewer, editor, article):
    a = make_annotation(article, reviewer, "waste", verdict="opinion")
    services.annotation_review(
        annotation_id=a.pk,
        editor=editor,
        decision="request_changes",
        expected_version=1,
        comment="Needs a source",
    )
    data = {"version": 2, "verdict": "verified", "evidence_url": ["https://a.org"]}
    assert rita.post(edit_url(a), data, headers=HTMX).status_code == 200
    a.refresh_from_db()
    assert (a.status, a.version) == (Status.PENDING, 3)


def test_withdraw_with_htmx_and_without(rita, reviewer, article):
    a = make_annotation(article, reviewer, "waste", verdict="opinion")
    b = make_annotation(article, reviewer, "mayor", verdict="opinion")
    response = rita.post(delete_url(a), {"version": 1}, headers=HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<li id="card-{a.pk}" hx-swap-oob="delete"></li>' in body
    assert f'id="card-{b.pk}"' not in body and f'data-ids="{a.pk}"' not in body
    assert f'data-ids="{b.pk}"' in body  # the chunk, redrawn without the withdrawn span
    assert not Annotation.objects.filter(pk=a.pk).exists()
    assert Annotation.all_objects.get(pk=a.pk).deleted
    response = rita.post(delete_url(b), {"version": 1})
    assert response.status_code == 302 and response["Location"] == page_url(article)


def test_stale_withdraw_is_refused(rita, reviewer, article):
    a = make_annotation(article, reviewer, "waste", verdict="opinion")
    services.annotation_update(annotation_id=a.pk, actor=reviewer, expected_version=1, note="x")
    response = rita.post(delete_url(a), {"version": 1}, headers=HTMX)
    assert response.status_code == 409
    assert "changed since you opened it" in response.content.decode()
    response = rita.post(delete_url(a), {"version": 1}, follow=True)
    assert "changed since you opened it" in response.content.decode()
    assert Annotation.objects.filter(pk=a.pk).exists()


def test_withdraw_needs_a_version(rita, reviewer, article):
    a = make_annotation(article, reviewer, "waste", verdict="opinion")
    assert rita.post(delete_url(a), {}).status_code == 400
    assert rita.get(delete_url(a)).status_code == 405
    assert Annotation.objects.filter(pk=a.pk).exists()


def test_pages_need_no_inline_script_or_style(rita, reviewer, article):
    """The Content-Security-Policy will be default-src 'self'."""
    a = make_annotation(article, reviewer, "waste", verdict="opinion", note="n")
    bodies = [
        rita.get(page_url(article)).content.decode(),
        rita.get(new_url(article)).content.decode(),
        rita.get(edit_url(a)).content.decode(),
        rita.post(new_url(article), span_data(article, "mayor"), headers=HTMX).content.decode(),
    ]
    for body in bodies:
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
        assert not re.search(r"\sstyle=", body)
        assert not re.search(r"\son[a-z]+=", body)
        assert "<style" not in body
    assert '"includeIndicatorStyles":false' in bodies[0]
