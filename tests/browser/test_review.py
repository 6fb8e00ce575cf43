from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from annotations.models import Action, Annotation, Article, Status
from tests.factories import make_annotation

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

pytestmark = pytest.mark.browser


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
    expect(page.locator(".notice.success")).to_contain_text("Approved")
    page.screenshot(path=str(artifacts / "review-queue-after-approve.png"), full_page=True)

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


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")


@pytest.mark.django_db(transaction=True)
def test_round_trip_approve_request_changes_resubmit_approve(
    page, live_server, login, reviewer, editor, artifacts
):
    first, second = seed_queue(reviewer)

    # The editor approves one with `a` and sends the other back with a comment.
    login(editor)
    page.goto(f"{live_server.url}/review/")
    page.keyboard.press("a")
    expect(page.locator(f"#item-{first.pk}")).to_have_count(0)
    page.keyboard.press("c")
    page.locator(f"#comment-{second.pk}").fill("Whose judgement is this? Name the speaker.")
    page.keyboard.press("Control+Enter")
    expect(page.locator(".queue-count")).to_contain_text("Nothing left to review")
    log_out(page)

    # The reviewer sees the comment on the article list, fixes the note and resubmits.
    login(reviewer)
    mine = page.locator("section.mine")
    expect(mine).to_contain_text("1 changes requested")
    expect(mine.locator(f"#mine-{second.pk}")).to_contain_text(
        "Whose judgement is this? Name the speaker."
    )
    page.screenshot(path=str(artifacts / "review-reviewer-list.png"), full_page=True)
    mine.get_by_role("link", name="Edit and resubmit").click()
    card = page.locator(f"#card-{second.pk}")
    expect(card).to_contain_text("Changes requested")
    expect(card.locator(".review-comment")).to_contain_text("Name the speaker.")
    page.screenshot(path=str(artifacts / "review-article-card.png"))
    # "Edit and resubmit" opens the edit form directly, its note field ready.
    form = page.locator("#annotation-form")
    expect(form).to_be_visible()
    expect(form.locator("h2")).to_have_text("Edit annotation")
    expect(form.locator("textarea[name=note]")).to_be_focused()
    form.locator("textarea[name=note]").fill("The reporter's own judgement, not a quoted source.")
    form.get_by_role("button", name="Save").click()
    expect(page.locator(f"#card-{second.pk} .badge")).to_have_text("Pending")
    resubmitted = Annotation.objects.get(pk=second.pk)
    assert (resubmitted.status, resubmitted.version) == (Status.PENDING, 3)
    log_out(page)

    # The editor approves the resubmitted version.
    login(editor)
    page.goto(f"{live_server.url}/review/")
    item = page.locator(f"#item-{second.pk}")
    expect(item.locator(".note")).to_have_text("The reporter's own judgement, not a quoted source.")
    expect(item.locator(".prior-comment")).to_contain_text("Name the speaker.")
    page.keyboard.press("a")
    expect(page.locator(".queue-count")).to_contain_text("Nothing left to review")
    assert Annotation.objects.get(pk=second.pk).status == Status.APPROVED

    # Its history shows all four events, with who and before/after.
    page.goto(f"{live_server.url}/annotations/{second.pk}/history/")
    events = page.locator(".event")
    expect(events).to_have_count(4)
    for i, text in enumerate(["Created", "Changes requested", "Edited", "Approved"]):
        expect(events.nth(i).locator(".action")).to_have_text(text)
    expect(events.nth(1)).to_contain_text("Name the speaker.")
    expect(events.nth(2)).to_contain_text("A value judgement.")
    expect(events.nth(2)).to_contain_text("The reporter's own judgement")
    page.screenshot(path=str(artifacts / "review-history-round-trip.png"), full_page=True)
