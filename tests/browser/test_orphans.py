from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from annotations.lib.text import parse_article
from annotations.models import EDITOR_GROUP, REVIEWER_GROUP, Annotation, Article
from annotations.services import articles as article_services
from tests.browser.test_annotate import drag_select
from tests.factories import make_annotation, make_article, make_user

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TEXT = (
    "The mayor said the bridge cost 42 million euros, far above the estimate.\n"
    "Critics called it a waste. Supporters said it was the best investment in decades.\n"
)
REWRITTEN = (
    "The mayor said the new tunnel will open next spring, far later than promised.\n"
    "Critics called it a waste. Supporters said it was the best investment in decades.\n"
)
NEW_SPAN = "the new tunnel will open next spring"

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def roles(transactional_db):
    """Transactional tests flush the role groups a data migration made; put them back."""
    from django.contrib.auth.models import Group

    for name in (REVIEWER_GROUP, EDITOR_GROUP):
        Group.objects.get_or_create(name=name)


@pytest.mark.django_db(transaction=True)
def test_reviewer_reattaches_an_orphan_from_the_orphans_list(live_server, login, artifacts):
    rita = make_user("rita", groups=(REVIEWER_GROUP,))
    article = make_article(TEXT, title="Bridge story")
    kept = make_annotation(article, rita, "Critics called it a waste", verdict="opinion")
    orphan = make_annotation(
        article, rita, "the bridge cost 42 million euros", verdict="disputed", note="61m"
    )
    article_services.article_replace_text(
        article_id=article.pk, parsed=parse_article("Bridge story\n" + REWRITTEN)
    )
    orphan.refresh_from_db()
    assert orphan.orphaned

    page = login(rita)
    page.get_by_role("link", name="Orphans").click()
    card = page.locator(f"#orphan-{orphan.pk}")
    expect(card).to_contain_text("the bridge cost 42 million euros")
    expect(card).to_contain_text("was in revision 1, now 2")
    expect(page.locator(f"#orphan-{kept.pk}")).to_have_count(0)
    page.screenshot(path=str(artifacts / "orphans-list.png"), full_page=True)

    card.get_by_role("link", name="Re-attach…").click()
    expect(page.get_by_role("heading", name="Re-attach to revision 2")).to_be_visible()
    drag_select(page, NEW_SPAN)
    expect(page.locator('[data-role="selection-status"]')).to_contain_text(f"“{NEW_SPAN}”")
    expect(page.get_by_label("Start (code point)")).to_have_value(str(REWRITTEN.index(NEW_SPAN)))
    page.screenshot(path=str(artifacts / "orphans-reattach.png"), full_page=True)
    page.get_by_role("button", name="Re-attach here").click()

    page.wait_for_url(f"{live_server.url}/articles/{article.pk}/#card-{orphan.pk}")
    expect(page.locator(".messages")).to_contain_text("Re-attached")
    new_card = page.locator(f"#card-{orphan.pk}")
    expect(new_card).to_contain_text(NEW_SPAN)
    expect(new_card).not_to_have_class("is-orphan")
    expect(page.locator(f'#article-text [data-ids~="{orphan.pk}"]').first).to_be_visible()
    expect(page.get_by_text("Not found in the current text")).to_have_count(0)
    page.screenshot(path=str(artifacts / "orphans-reattached.png"), full_page=True)

    orphan.refresh_from_db()
    start = REWRITTEN.index(NEW_SPAN)
    assert (orphan.orphaned, orphan.start, orphan.end) == (False, start, start + len(NEW_SPAN))
    assert orphan.quote == NEW_SPAN and orphan.revision == 2


@pytest.mark.django_db(transaction=True)
def test_a_verdict_carries_from_002_to_its_duplicate_003_in_one_click(
    live_server, login, artifacts
):
    call_command("load_articles", str(SEEDS / "002_f89e3dc1c8d60f0a.txt"))
    call_command("load_articles", str(SEEDS / "003_7459fc7481cd15c0.txt"))
    original, copy = Article.objects.order_by("id")
    assert copy.near_duplicate_of == original
    phrase = next(
        line.split(". ")[0]
        for line in copy.text.splitlines()
        if len(line.split(". ")[0]) > 40 and line.split(". ")[0] in original.text
    )
    oscar = make_user("oscar", groups=(REVIEWER_GROUP,))
    rita = make_user("rita", groups=(REVIEWER_GROUP,))
    source = make_annotation(
        original,
        oscar,
        phrase,
        verdict="disputed",
        note="The figure is from 2019.",
        evidence=[{"url": "https://example.org/figures", "title": "Figures"}],
    )

    page = login(rita)
    page.goto(f"{live_server.url}/articles/{copy.pk}/")
    section = page.locator("#duplicate-verdicts")
    expect(section).to_contain_text(original.title)
    expect(section.locator(f"#duplicate-{source.pk}")).to_contain_text(phrase[:40])
    page.screenshot(path=str(artifacts / "duplicates-before.png"), full_page=True)

    section.get_by_role("button", name="Apply the same verdict here").click()

    expect(section.get_by_text("Applied here")).to_be_visible()
    carried = Annotation.objects.get(article=copy)
    expect(page.locator(f"#card-{carried.pk}")).to_contain_text("The figure is from 2019.")
    expect(page.locator(f'#article-text [data-ids~="{carried.pk}"]').first).to_be_visible()
    page.screenshot(path=str(artifacts / "duplicates-applied.png"), full_page=True)
    assert (carried.copied_from_id, carried.author, carried.verdict) == (
        source.pk,
        rita,
        "disputed",
    )
    assert carried.status == "pending"
    assert [e.url for e in carried.evidence.all()] == ["https://example.org/figures"]
    assert copy.text[carried.start : carried.end] == phrase
