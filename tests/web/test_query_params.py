"""Browser pages parse their query parameters with forms: nonsense is ignored, never a 500."""

import pytest
from django.urls import reverse

from tests.factories import make_annotation


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.mark.parametrize("value", ["²", "١٢", str(2**64), "-1", "x"])
def test_orphans_page_ignores_an_article_id_that_is_not_one(editor_client, value):
    response = editor_client.get(reverse("orphan-list"), {"article": value})
    assert response.status_code == 200
    assert response.context["article"] is None


@pytest.mark.parametrize("name", ["article", "reviewer"])
def test_review_queue_ignores_ids_beyond_64_bits(editor_client, article, reviewer, name):
    annotation = make_annotation(article, reviewer, "waste", verdict="opinion")
    response = editor_client.get(reverse("review-queue"), {name: str(2**64)})
    assert response.status_code == 200
    assert [item["a"].pk for item in response.context["items"]] == [annotation.pk]


@pytest.mark.parametrize("q", ["\x00", "a\x00b", "\x1b[31m"])
def test_article_search_with_control_characters_is_ignored(editor_client, article, q):
    response = editor_client.get("/", {"q": q})
    assert response.status_code == 200
    assert [a.pk for a in response.context["articles"]] == [article.pk]


def test_article_search_still_filters(editor_client, article):
    assert list(editor_client.get("/", {"q": "no such title"}).context["articles"]) == []


@pytest.mark.parametrize(
    "params", [{"from": "²"}, {"after": "².1.1"}, {"edit": "²"}, {"edit": "١"}]
)
def test_annotate_page_ignores_digits_that_are_not_ascii(editor_client, article, params):
    response = editor_client.get(reverse("article-detail", args=[article.pk]), params)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "params", [{"q": "\x00"}, {"author": "a\x00"}, {"verdict": "\x00"}, {"status": "nope"}]
)
def test_annotate_page_card_filters_ignore_what_does_not_parse(
    editor_client, article, reviewer, params
):
    annotation = make_annotation(article, reviewer, "waste", verdict="opinion")
    response = editor_client.get(reverse("article-detail", args=[article.pk]), params)
    assert response.status_code == 200
    assert f'id="card-{annotation.pk}"' in response.content.decode() or annotation.quote in (
        response.content.decode()
    )
