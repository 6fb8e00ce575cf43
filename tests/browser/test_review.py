from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import expect

from annotations.models import (
    EDITOR_GROUP,
    REVIEWER_GROUP,
    Action,
    Annotation,
    Article,
    Status,
)
from tests.factories import make_annotation

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def roles(transactional_db):
    # A transactional test flushes the tables afterwards, the groups a migration made too.
    for name in (REVIEWER_GROUP, EDITOR_GROUP):
        Group.objects.get_or_create(name=name)


def seed_queue(reviewer):
    call_command("load_articles", str(SEEDS))
    article = Article.objects.get(source_file__contains="004_")
    words = article.text.split()
    first = make_annotation(
        article,
        reviewer,
        " ".join(words[2:6]),
        verdict="verified",
        note="Matches the agency's own release.",
        evidence=[{"url": "https://example.org/release", "title": "Agency release"}],
    )
    second = make_annotation(
        article, reviewer, " ".join(words[20:26]), verdict="opinion", note="A value judgement."
    )
    return first, second


@pytest.mark.django_db(transaction=True)
def test_editor_works_the_queue_by_keyboard(page, live_server, login, reviewer, editor, artifacts):
    first, second = seed_queue(reviewer)
    login(editor)
    page.get_by_role("link", name="Review").click()
    expect(page.locator(".queue-count")).to_contain_text("2 pending")
    page.screenshot(path=str(artifacts / "review-queue.png"), full_page=True)
    page.evaluate("window.__marker = 1")

    # a approves the current (oldest) item; the next one comes up without a reload.
    page.keyboard.press("a")
    expect(page.locator(".queue-count")).to_contain_text("1 pending")
    expect(page.locator(f"#item-{first.pk}")).to_have_count(0)
    expect(page.locator(f"#item-{second.pk}")).to_have_class(
        "queue-item verdict-opinion is-current"
    )

    # c asks for a comment first, Ctrl+Enter sends it.
    page.keyboard.press("c")
    comment = page.locator(f"#comment-{second.pk}")
    expect(comment).to_be_focused()
    comment.fill("Say whose judgement this is.")
    comment.press("Control+Enter")
    expect(page.locator(".queue-count")).to_contain_text("Nothing left to review")
    assert page.evaluate("window.__marker") == 1

    assert Annotation.objects.get(pk=first.pk).status == Status.APPROVED
    fresh = Annotation.objects.get(pk=second.pk)
    assert (fresh.status, fresh.review_comment) == (
        Status.CHANGES_REQUESTED,
        "Say whose judgement this is.",
    )
    assert fresh.events.latest("id").action == Action.CHANGES_REQUESTED


@pytest.mark.django_db(transaction=True)
def test_a_stale_decision_says_so_and_changes_nothing(
    page, live_server, login, reviewer, editor, artifacts
):
    from annotations import services

    first, _ = seed_queue(reviewer)
    login(editor)
    page.goto(f"{live_server.url}/review/")
    # The reviewer edits while the editor has the page open.
    services.annotation_update(
        annotation_id=first.pk, actor=reviewer, expected_version=1, note="Updated note."
    )
    page.locator(f"#item-{first.pk}").get_by_role("button", name="Approve").click()
    expect(page.locator(".notice.error")).to_contain_text("changed since you opened it")
    expect(page.locator(f"#item-{first.pk} .note")).to_have_text("Updated note.")
    page.screenshot(path=str(artifacts / "review-queue-conflict.png"), full_page=True)
    assert Annotation.objects.get(pk=first.pk).status == Status.PENDING

    # The refreshed item carries the new version, so deciding now works.
    page.locator(f"#item-{first.pk}").get_by_role("button", name="Approve").click()
    expect(page.locator(f"#item-{first.pk}")).to_have_count(0)
    assert Annotation.objects.get(pk=first.pk).status == Status.APPROVED
    page.goto(f"{live_server.url}/annotations/{first.pk}/history/")
    expect(page.locator(".event")).to_have_count(3)
    page.screenshot(path=str(artifacts / "review-history.png"), full_page=True)
