"""Evidence links through every channel: normalised to valid IRIs or refused, and shown
with their host beside them."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from annotations import services
from annotations.models import EvidenceLink
from tests.api_clients import body_for
from tests.factories import make_annotation


def create(client, article, url):
    body = body_for(article, "42 million euros", verdict="disputed", evidence=[{"url": url}])
    return client.post("/api/v1/annotations/", body, format="json")


@pytest.mark.parametrize(
    "url",
    [
        "https://user:pass@example.org/",
        "https://good.example\\@evil.example/",
        "https://example.org:99999/",
    ],
)
def test_api_refuses_links_that_hide_their_host(as_reviewer, article, url):
    response = create(as_reviewer, article, url)
    assert response.status_code == 400
    assert "evidence" in response.json()
    assert not EvidenceLink.objects.exists()


def test_api_stores_the_link_as_a_valid_iri(as_reviewer, article):
    response = create(as_reviewer, article, "https://example.org/{a}|b\\c^d`e")
    assert response.status_code == 201, response.json()
    url = "https://example.org/%7Ba%7D%7Cb%5Cc%5Ed%60e"
    assert response.json()["evidence"][0]["url"] == url
    assert EvidenceLink.objects.get().url == url


def test_browser_form_refuses_userinfo(client, reviewer, article):
    client.force_login(reviewer)
    start = article.text.index("42 million euros")
    response = client.post(
        reverse("article-annotation-new", args=[article.pk]),
        {
            "start": start,
            "end": start + 16,
            "quote": "42 million euros",
            "verdict": "disputed",
            "evidence_url": "https://user:pass@example.org/",
            "evidence_title": "",
        },
    )
    assert response.status_code in (200, 400, 422)
    assert "user name or password" in response.content.decode()
    assert not EvidenceLink.objects.exists()


def test_pages_show_the_host_beside_each_link(as_reviewer, client, editor, article):
    assert create(as_reviewer, article, "https://xn--bcher-kva.example/x").status_code == 201
    client.force_login(editor)
    for url in (reverse("review-queue"), reverse("article-detail", args=[article.pk])):
        html = client.get(url).content.decode()
        assert 'class="link-host"' in html, url
        assert "bücher.example" in html and "punycode" in html, url


def test_public_pages_show_the_host_beside_each_link(as_reviewer, client, editor, article):
    response = create(as_reviewer, article, "https://xn--bcher-kva.example/x")
    services.annotation_review(
        annotation_id=response.json()["id"],
        editor=editor,
        decision="approve",
        expected_version=None,
    )
    client.logout()  # a reader of the public site
    pages = [
        reverse("factcheck-article", args=[article.pk]),
        reverse("factcheck-verdict", args=[article.pk, response.json()["id"]]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert 'class="link-host"' in html, url
        assert "bücher.example" in html and "punycode" in html, url


def test_migration_writes_stored_links_as_new_ones_and_keeps_refused_ones(article, reviewer):
    migration = importlib.import_module("annotations.migrations.0009_normalise_evidence_urls")
    annotation = make_annotation(article, reviewer, "waste", verdict="opinion")
    stored = {
        'https://Example.ORG/a"q"<b>': "https://example.org/a%22q%22%3Cb%3E",
        "https://example.org/ok": "https://example.org/ok",
        "https://user:pass@example.org/": "https://user:pass@example.org/",
    }
    # Rows as an older version stored them, before links were checked.
    links = {u: EvidenceLink.objects.create(annotation=annotation, url=u) for u in stored}
    migration.normalise(django_apps, None)
    for before, after in stored.items():
        links[before].refresh_from_db()
        assert links[before].url == after
