"""One normalisation of what people type, whatever the channel: line breaks become LF,
text is NFC, surrounding space goes, control characters are refused."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from annotations import services
from annotations.models import Action, Annotation
from annotations.services.inputs import clean_user_text
from tests.api_clients import client_for
from tests.factories import make_article

NOTE = "First line\r\nsecond\rthird  "
STORED = "First line\nsecond\nthird"


@pytest.mark.parametrize(
    "raw, clean",
    [
        (NOTE, STORED),
        ("Cafe\u0301", "Caf\u00e9"),  # NFC
        ("  tabs\tstay\t ", "tabs\tstay"),
    ],
)
def test_user_text_is_normalised(raw, clean):
    assert clean_user_text(raw, field="note", max_length=100) == clean


@pytest.mark.parametrize("bad", ["a\x00b", "bell\x07", "esc\x1b[31m", "c1\x85", "lone \ud800"])
def test_control_characters_and_lone_surrogates_are_refused(bad):
    with pytest.raises(ValidationError) as info:
        clean_user_text(bad, field="note", max_length=100)
    assert "note" in info.value.message_dict


@given(st.text())
def test_normalising_twice_changes_nothing(text):
    try:
        once = clean_user_text(text, field="note", max_length=10**6)
    except ValidationError:
        return
    assert clean_user_text(once, field="note", max_length=10**6) == once
    assert "\r" not in once


@pytest.mark.django_db
def test_the_api_and_the_form_store_the_same_note(client, reviewer):
    article = make_article("The bridge cost 42 million euros. Critics called it a waste.\n")
    start = article.text.index("42 million")
    api = client_for(reviewer).post(
        "/api/v1/annotations/",
        {
            "article": article.pk,
            "start": start,
            "end": start + 10,
            "quote": "42 million",
            "verdict": "opinion",
            "note": NOTE,
            "evidence": [{"url": "https://e.example/", "title": "Budget\r\nline"}],
        },
        format="json",
    )
    assert api.status_code == 201, api.content
    client.force_login(reviewer)
    start = article.text.index("waste")
    form = client.post(
        reverse("article-annotation-new", args=[article.pk]),
        {"start": start, "end": start + 5, "quote": "waste", "verdict": "opinion", "note": NOTE},
    )
    assert form.status_code == 302
    by_quote = {a.quote: a for a in Annotation.objects.filter(article=article)}
    assert by_quote["42 million"].note == by_quote["waste"].note == STORED
    assert by_quote["42 million"].evidence.get().title == "Budget\nline"


@pytest.mark.django_db
def test_an_untouched_fix_and_approve_records_no_note_change(client, reviewer, editor):
    """The note came in by the API with CRLF; the editor's form sends it back as the
    browser does (CRLF again): nothing about the note changed, and the event says so."""
    article = make_article("The bridge cost 42 million euros.\n")
    start = article.text.index("42 million")
    created = (
        client_for(reviewer)
        .post(
            "/api/v1/annotations/",
            {
                "article": article.pk,
                "start": start,
                "end": start + 10,
                "quote": "42 million",
                "verdict": "opinion",
                "note": "Line one\r\nline two",
            },
            format="json",
        )
        .json()
    )
    client.force_login(editor)
    response = client.post(
        reverse("review-decide", args=[created["id"]]),
        {
            "version": 1,
            "decision": "fix_approve",
            "verdict": "opinion",
            "note": "Line one\r\nline two",
        },
    )
    assert response.status_code == 302
    event = Annotation.objects.get(pk=created["id"]).events.get(action=Action.APPROVED)
    assert set(event.changes) == {"status"}


@pytest.mark.django_db
def test_a_comment_with_a_nul_is_refused_by_the_service(reviewer, editor):
    article = make_article("The bridge cost 42 million euros.\n")
    annotation = services.annotation_create(
        article=article, author=reviewer, start=4, end=10, quote="bridge", verdict="opinion"
    )
    with pytest.raises(ValidationError) as info:
        services.annotation_review(
            annotation_id=annotation.pk,
            editor=editor,
            decision="reject",
            expected_version=1,
            comment="no\x00",
        )
    assert "comment" in info.value.message_dict
