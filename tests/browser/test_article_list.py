from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_reviewer_logs_in_and_sees_the_seed_articles(page, live_server, login, reviewer, artifacts):
    call_command("load_articles", str(SEEDS))
    page.goto(live_server.url)
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    login(reviewer)
    rows = page.locator("table.articles tbody tr")
    expect(rows).to_have_count(5)
    expect(page.get_by_text("Putin Gives Trump Massive Middle Finger")).to_be_visible()
    expect(page.locator(".badge.duplicate")).to_have_count(1)
    expect(page.get_by_text("12 Feb 2025")).to_be_visible()
    page.screenshot(path=str(artifacts / "article-list.png"), full_page=True)

    # Searching narrows the table in place (htmx), without a page load.
    page.evaluate("window.__marker = 1")
    page.get_by_label("Search articles").fill("middle finger")
    expect(rows).to_have_count(1)
    assert page.evaluate("window.__marker") == 1
