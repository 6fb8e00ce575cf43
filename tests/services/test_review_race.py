"""Editors deciding the same annotation at the same moment, each on their own database
connection: exactly one decision lands, with exactly one ReviewEvent."""

import threading

import pytest
from django.db import connection, connections

from annotations import services
from annotations.models import Action, Annotation, ReviewEvent, Status
from tests.factories import make_annotation, make_article, make_user

pytestmark = pytest.mark.postgres

DECISIONS = [("approve", ""), ("reject", "Wrong source"), ("request_changes", "Add a link")]
STATUS = {
    "approve": Status.APPROVED,
    "reject": Status.REJECTED,
    "request_changes": Status.CHANGES_REQUESTED,
}


def race(annotation_id: int, editors) -> list[str]:
    """Start one thread per editor, release them together, return what each got."""
    barrier = threading.Barrier(len(editors))
    outcomes: list[str] = []

    def decide(editor, decision, comment):
        try:
            barrier.wait(timeout=10)
            services.annotation_review(
                annotation_id=annotation_id,
                editor=editor,
                decision=decision,
                expected_version=1,
                comment=comment,
            )
            outcomes.append(decision)
        except services.Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()  # each thread opened its own connection

    threads = [
        threading.Thread(target=decide, args=(editor, decision, comment))
        for editor, (decision, comment) in zip(editors, DECISIONS, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_concurrent_decisions_on_one_item_exactly_one_wins():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers per database; the row lock is PostgreSQL's")
    reviewer = make_user("rita", groups=("reviewer",))
    editors = [make_user(f"editor{i}", groups=("editor",)) for i in range(len(DECISIONS))]
    article = make_article()
    for _ in range(5):
        annotation = make_annotation(article, reviewer, "waste", verdict="opinion")
        outcomes = race(annotation.pk, editors)
        assert len(outcomes) == len(editors), outcomes
        winners = [o for o in outcomes if o != "conflict"]
        assert len(winners) == 1, outcomes
        fresh = Annotation.objects.get(pk=annotation.pk)
        assert (fresh.version, fresh.status) == (2, STATUS[winners[0]])
        decided = ReviewEvent.objects.filter(annotation=annotation).exclude(action=Action.CREATED)
        assert decided.count() == 1
