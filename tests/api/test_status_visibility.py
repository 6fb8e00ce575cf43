"""The API list asks the same rule as the exports (policy.visible_statuses): accounts
without a role read approved annotations only; reviewers and editors every status."""

import pytest

from annotations import policy
from tests.api_clients import client_for
from tests.export_data import approve
from tests.factories import make_annotation, make_user


@pytest.fixture
def two(article, reviewer, editor):
    approved = approve(make_annotation(article, reviewer, "waste", verdict="opinion"), editor)
    pending = make_annotation(article, reviewer, "42 million euros", verdict="disputed")
    return approved, pending


def listed(client, **params) -> list[int]:
    response = client.get("/api/v1/annotations/", params)
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


def test_a_consumer_lists_approved_annotations_only(db, two):
    approved, _ = two
    consumer = client_for(make_user("cms", groups=()))
    assert listed(consumer) == [approved.pk]
    assert listed(consumer, status="approved") == [approved.pk]
    for status in ("pending", "rejected", "changes_requested"):
        response = consumer.get("/api/v1/annotations/", {"status": status})
        assert response.status_code == 403
        assert response.json() == {"detail": policy.STATUS_HIDDEN}


def test_reviewers_and_editors_list_every_status(as_reviewer, as_editor, two):
    approved, pending = two
    for client in (as_reviewer, as_editor):
        assert listed(client) == [approved.pk, pending.pk]
        assert listed(client, status="pending") == [pending.pk]


def test_a_consumer_cannot_read_a_pending_annotation_by_id(db, two):
    approved, pending = two
    consumer = client_for(make_user("cms", groups=()))
    for suffix in ("", "history/"):
        assert consumer.get(f"/api/v1/annotations/{approved.pk}/{suffix}").status_code == 200
        assert consumer.get(f"/api/v1/annotations/{pending.pk}/{suffix}").status_code == 404
