"""In Chromium: the article list's full-text search, and a verdict applied to the same
claim in another article from the card in two clicks."""

import pytest
from playwright.sync_api import expect

from annotations.models import REVIEWER_GROUP, Annotation, Status
from tests.browser.test_orphans import roles  # noqa: F401 (the role groups, put back)
from tests.factories import make_annotation, make_user
from tests.seeds import load_seeds

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_search_box_shows_where_the_words_are(live_server, login, artifacts):
    seeds = load_seeds()
    page = login(make_user("rita", groups=(REVIEWER_GROUP,)))
    page.get_by_role("searchbox").fill("Kursk")
    expect(page.locator("#article-table tbody tr")).to_have_count(2)
    expect(page.locator("#article-table mark")).to_have_count(2)
    expect(page.locator("#article-table mark").first).to_have_text("Kursk")
    titles = page.locator("#article-table .article-title").all_inner_texts()
    assert sorted(titles) == sorted([seeds["001"].title, seeds["004"].title])
    page.screenshot(path=str(artifacts / "search-kursk.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_apply_a_verdict_to_the_same_claim_elsewhere_in_two_clicks(live_server, login, artifacts):
    seeds = load_seeds()
    rita = make_user("rita", groups=(REVIEWER_GROUP,))
    sam = make_user("sam", groups=(REVIEWER_GROUP,))
    original = make_annotation(
        seeds["001"],
        rita,
        "advising the foreign leader not to escalate the war",
        verdict="disputed",
        note="The Kremlin called the report pure fiction.",
    )
    page = login(sam)
    page.goto(f"{live_server.url}/articles/{seeds['001'].pk}/")
    card = page.locator(f"#card-{original.pk}")
    listed = card.locator(".similar-list .similar-open")
    expect(listed.first).to_be_visible()  # loaded as the card came into view
    page.screenshot(path=str(artifacts / "similar-card.png"), full_page=True)
    target = card.locator(".similar-item", has_text="not to escalate the war in Ukraine")
    target.locator(".similar-open").click()  # click 1: the other passage
    expect(page.locator("mark#passage")).to_contain_text("not to escalate the war in Ukraine")
    page.screenshot(path=str(artifacts / "similar-passage.png"), full_page=True)
    page.get_by_role("button", name="Apply the same verdict here").click()  # click 2
    page.wait_for_url(f"**/articles/{seeds['004'].pk}/#card-*")
    copy = Annotation.objects.get(copied_from=original)
    assert copy.article_id == seeds["004"].pk and copy.author == sam
    assert copy.verdict == "disputed" and copy.status == Status.PENDING
    assert "not to escalate the war in Ukraine" in copy.quote
    expect(page.locator(f"#card-{copy.pk}")).to_be_visible()
    page.screenshot(path=str(artifacts / "similar-applied.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_the_form_shows_verdicts_given_on_the_same_claim_before_saving(
    live_server, login, artifacts
):
    from tests.browser.test_annotate import drag_select

    seeds = load_seeds()
    given = make_annotation(
        seeds["001"], make_user("rita"), "nearly 50,000-strong enemy group", verdict="disputed"
    )
    sam = make_user("sam", groups=(REVIEWER_GROUP,))
    page = login(sam)
    page.goto(f"{live_server.url}/articles/{seeds['004'].pk}/")
    drag_select(page, "gathered 50,000 soldiers")
    page.get_by_role("button", name="Disputed").click()
    offer = page.locator("#similar-selection")
    button = offer.get_by_role("button", name=f"Use its disputed verdict (#{given.pk})")
    expect(button).to_be_visible()
    page.screenshot(path=str(artifacts / "similar-form.png"), full_page=True)
    button.click()
    page.wait_for_url(f"**/articles/{seeds['004'].pk}/#card-*")
    copy = Annotation.objects.get(copied_from=given)
    assert copy.quote == "gathered 50,000 soldiers" and copy.author == sam
