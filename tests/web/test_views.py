import pytest
from django.urls import reverse

from tests.factories import make_annotation, make_article

pytestmark = pytest.mark.django_db


def test_article_list_needs_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_renders(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Log in" in response.content


def test_article_list_shows_articles_counts_and_duplicate_badge(client, reviewer, editor):
    original = make_article(title="Original story", source="Example Times")
    copy = make_article(title="Syndicated copy", near_duplicate_of=original)
    make_annotation(original, reviewer, "waste", verdict="disputed")
    client.force_login(reviewer)
    response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Original story" in body and "Syndicated copy" in body and "Example Times" in body
    assert f"near duplicate of #{original.pk}" in body
    row = next(a for a in response.context["articles"] if a.pk == original.pk)
    assert (row.n_disputed, row.n_pending) == (1, 1)
    assert next(a for a in response.context["articles"] if a.pk == copy.pk).n_disputed == 0


def test_article_list_search(client, reviewer):
    # Both texts mention the bridge (the search covers text too); only one title soars.
    make_article(title="Bridge costs soar")
    make_article(title="Election night")
    client.force_login(reviewer)
    body = client.get("/", {"q": "soar"}).content.decode()
    assert "Bridge costs soar" in body and "Election night" not in body


def test_article_list_htmx_returns_only_the_table(client, reviewer):
    make_article(title="Bridge costs soar")
    client.force_login(reviewer)
    body = client.get("/", {"q": "bridge"}, headers={"HX-Request": "true"}).content.decode()
    assert body.lstrip().startswith('<div id="article-table">')
    assert "<html" not in body


def test_article_titles_are_escaped(client, reviewer):
    make_article(title="<script>alert(1)</script>")
    client.force_login(reviewer)
    body = client.get("/").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.parametrize("n", [0, 1, 30])
def test_article_list_query_count_is_fixed(client, reviewer, django_assert_num_queries, n):
    for i in range(n):
        art = make_article(title=f"A{i}")
        make_annotation(art, reviewer, "waste", verdict="opinion")
    client.force_login(reviewer)
    # session, user, the user's groups (Review link for editors), the user's own
    # annotations by status, articles with counts
    with django_assert_num_queries(5):
        assert client.get("/").status_code == 200


def test_logout_is_post(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get("/").status_code == 302
