"""The admin goes through the rules by changing nothing they govern: a superuser sees
articles, annotations, evidence and history, and can add, change or delete none of them."""

import pytest
from django.urls import reverse

from annotations.models import (
    Annotation,
    ApiToken,
    Article,
    ArticleRevision,
    EvidenceLink,
    ReviewEvent,
)
from annotations.services import api_token_create
from tests.factories import make_annotation, make_article, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    root = make_user("root", groups=(), is_staff=True, is_superuser=True)
    client.force_login(root)
    return client


@pytest.fixture
def annotation(reviewer):
    return make_annotation(make_article(), reviewer, "42 million euros", verdict="disputed")


def url(model, view: str, *args) -> str:
    return reverse(f"admin:annotations_{model._meta.model_name}_{view}", args=args)


def test_an_annotation_cannot_be_approved_or_moved_in_the_admin(admin_client, annotation):
    page = admin_client.get(url(Annotation, "change", annotation.pk))
    assert page.status_code == 200
    assert b'name="status"' not in page.content and b'name="_save"' not in page.content
    before = Annotation.objects.values().get(pk=annotation.pk)
    events = ReviewEvent.objects.count()
    response = admin_client.post(
        url(Annotation, "change", annotation.pk),
        {"status": "approved", "start": 0, "end": 3, "version": 9, "_save": "Save"},
    )
    assert response.status_code == 403
    assert Annotation.objects.values().get(pk=annotation.pk) == before
    assert ReviewEvent.objects.count() == events


def test_an_articles_text_cannot_be_edited_in_the_admin(admin_client, annotation):
    article = annotation.article
    response = admin_client.post(
        url(Article, "change", article.pk),
        {"title": "x", "text": "Something else entirely.", "content_hash": "0" * 64},
    )
    assert response.status_code == 403
    fresh = Article.objects.get(pk=article.pk)
    assert (fresh.text, fresh.content_hash) == (article.text, article.content_hash)


@pytest.mark.parametrize("model", [Article, ArticleRevision, Annotation, EvidenceLink, ReviewEvent])
def test_nothing_governed_by_the_rules_can_be_added_or_deleted(admin_client, annotation, model):
    assert admin_client.get(url(model, "add")).status_code == 403
    assert admin_client.get(url(model, "changelist")).status_code == 200
    row = model.objects.first() if model is not Annotation else annotation
    if row is not None:
        assert admin_client.post(url(model, "delete", row.pk), {"post": "yes"}).status_code == 403
        assert model._default_manager.filter(pk=row.pk).exists()
    # No bulk action (Django's "delete selected" included) is offered.
    listing = admin_client.get(url(model, "changelist"))
    assert b'name="action"' not in listing.content


def test_review_events_stay_as_written(admin_client, annotation):
    event = ReviewEvent.objects.get(annotation=annotation)
    response = admin_client.post(url(ReviewEvent, "change", event.pk), {"comment": "rewritten"})
    assert response.status_code == 403
    assert ReviewEvent.objects.get(pk=event.pk).comment == event.comment


def test_tokens_are_listed_and_revoked_but_not_made_here(admin_client, reviewer):
    token, _ = api_token_create(user=reviewer, name="cms")
    assert admin_client.get(url(ApiToken, "add")).status_code == 403
    response = admin_client.post(
        url(ApiToken, "changelist"), {"action": "revoke", "_selected_action": [token.pk]}
    )
    assert response.status_code == 302
    assert ApiToken.objects.get(pk=token.pk).revoked is not None


def test_users_and_groups_stay_manageable(admin_client):
    assert admin_client.get(reverse("admin:auth_user_add")).status_code == 200
    assert admin_client.get(reverse("admin:auth_group_add")).status_code == 200
