from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from annotations.models import EDITOR_GROUP, REVIEWER_GROUP, Annotation, Article
from tests.factories import make_annotation, make_article

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def roles(transactional_db):
    """Transactional tests flush the tables after each test, taking the role groups that
    a data migration created with them; put them back before users join them."""
    from django.contrib.auth.models import Group

    for name in (REVIEWER_GROUP, EDITOR_GROUP):
        Group.objects.get_or_create(name=name)


# Finds a phrase in the article text and returns the viewport rects of its first and last
# characters, so the test can drag the mouse across it like a reader would.
PHRASE_RECTS = """
([phrase, occurrence]) => {
  const root = document.querySelector('#article-text .article-text');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = []; let text = ''; let n;
  while ((n = walker.nextNode())) { nodes.push([n, text.length]); text += n.data; }
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = text.indexOf(phrase, at + 1);
  if (at < 0) throw new Error('phrase not found: ' + phrase);
  const locate = (i) => {
    for (let k = nodes.length - 1; k >= 0; k--) {
      if (nodes[k][1] <= i) return [nodes[k][0], i - nodes[k][1]];
    }
  };
  const rectOf = (i, len) => {
    const [node, off] = locate(i); const r = document.createRange();
    r.setStart(node, off); r.setEnd(node, off + len);
    const b = r.getBoundingClientRect(); return {x: b.x, y: b.y, w: b.width, h: b.height};
  };
  window.scrollBy(0, rectOf(at, 1).y - window.innerHeight / 3);
  const last = at + phrase.length - 1;
  const lastLen = (last > at && /[\\uDC00-\\uDFFF]/.test(text[last])) ? 2 : 1;
  return {first: rectOf(at, 1), last: rectOf(last - (lastLen - 1), lastLen)};
}
"""

# Selects a phrase with the Selection API (as shift+arrow keys would), no mouse.
SELECT_PHRASE = """
(phrase) => {
  const root = document.querySelector('#article-text .article-text');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = []; let text = ''; let n;
  while ((n = walker.nextNode())) { nodes.push([n, text.length]); text += n.data; }
  const at = text.indexOf(phrase);
  const locate = (i) => {
    for (let k = nodes.length - 1; k >= 0; k--) {
      if (nodes[k][1] <= i) return [nodes[k][0], i - nodes[k][1]];
    }
  };
  const [sn, so] = locate(at); const [en, eo] = locate(at + phrase.length);
  const range = document.createRange(); range.setStart(sn, so); range.setEnd(en, eo);
  const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
}
"""


def drag_select(page, phrase, occurrence=0):
    rects = page.evaluate(PHRASE_RECTS, [phrase, occurrence])
    first, last = rects["first"], rects["last"]
    page.mouse.move(first["x"] + 1, first["y"] + first["h"] / 2)
    page.mouse.down()
    page.mouse.move(last["x"] + last["w"] / 2, last["y"] + last["h"] / 2, steps=5)
    page.mouse.move(last["x"] + last["w"] - 0.5, last["y"] + last["h"] / 2)
    page.mouse.up()


def seed_article():
    call_command("load_articles", str(SEEDS))
    return Article.objects.get(source_file__contains="001_")


@pytest.mark.django_db(transaction=True)
def test_reviewer_marks_kursk_disputed_then_adds_an_overlapping_opinion(
    page, live_server, login, reviewer, artifacts
):
    article = seed_article()
    login(reviewer)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    page.evaluate("window.__noReload = 1")

    phrase = "Kursk, a city"
    drag_select(page, phrase)
    page.get_by_role("button", name="Disputed").click()
    form = page.locator("#annotation-form")
    expect(form).to_be_visible()
    expect(form.locator(".form-quote")).to_have_text(phrase)
    expect(form.get_by_label("Disputed")).to_be_checked()
    form.get_by_label("Note").fill("Kursk is a region (oblast); the city is its capital.")
    form.get_by_label("URL").fill("https://en.wikipedia.org/wiki/Kursk_Oblast")
    form.get_by_label("Title").fill("Kursk Oblast")
    form.get_by_role("button", name="Save").click()

    mark = page.locator("#article-text .hl-disputed")
    expect(mark).to_have_text(phrase)
    expect(form).to_be_hidden()
    card = page.locator("#annotation-panel .card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Kursk Oblast")
    expect(page.locator('[data-count="disputed"] b')).to_have_text("1")
    assert page.evaluate("window.__noReload") == 1

    saved = Annotation.objects.get()
    assert (saved.quote, saved.verdict) == (phrase, "disputed")
    assert article.text[saved.start : saved.end] == phrase
    link = card.get_by_role("link", name="Kursk Oblast")
    assert link.get_attribute("rel") == "noopener noreferrer nofollow"
    assert link.get_attribute("target") == "_blank"

    # A reload finds the highlight at the same characters.
    page.reload()
    mark = page.locator(f'#article-text [data-ids="{saved.pk}"]')
    expect(mark).to_have_text(phrase)
    assert int(mark.get_attribute("data-start")) == saved.start

    # An overlapping opinion span: both stay visible, the overlap is nested.
    drag_select(page, "a city in southwestern Russia")
    page.get_by_role("button", name="Opinion").click()
    page.locator("#annotation-form").get_by_role("button", name="Save").click()
    expect(page.locator("#annotation-panel .card")).to_have_count(2)
    overlap = page.locator("#article-text .hl.depth-2")
    expect(overlap).to_have_text("a city")
    expect(page.locator("#article-text .hl-opinion")).to_have_text(" in southwestern Russia")
    opinion = Annotation.objects.get(verdict="opinion")
    assert opinion.quote == "a city in southwestern Russia"

    # Clicking a highlight focuses its card.
    page.locator("#article-text .hl-opinion").click()
    expect(page.locator(f"#card-{opinion.pk}")).to_be_focused()

    page.locator(f'#article-text [data-ids="{saved.pk}"]').first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "annotate.png"))


@pytest.mark.django_db(transaction=True)
def test_form_errors_show_in_place(page, live_server, login, reviewer):
    article = seed_article()
    login(reviewer)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    drag_select(page, "Oleksandr Syrskyi")
    page.keyboard.press("2")
    form = page.locator("#annotation-form")
    form.get_by_label("URL").fill("javascript:alert(1)")
    form.get_by_role("button", name="Save").click()
    expect(form.locator(".evidence-row .field-error")).to_contain_text("http:// or https://")
    expect(form).to_be_visible()
    assert not Annotation.objects.exists()
    # Fix it, add a second row, remove it again, save.
    form.get_by_label("URL").fill("https://www.nbcnews.com/")
    form.get_by_role("button", name="+ Add a link").click()
    expect(form.get_by_label("URL")).to_have_count(2)
    form.get_by_role("button", name="Remove this link").nth(1).click()
    expect(form.get_by_label("URL")).to_have_count(1)
    form.get_by_role("button", name="Save").click()
    expect(page.locator("#article-text .hl-disputed")).to_have_text("Oleksandr Syrskyi")


@pytest.mark.django_db(transaction=True)
def test_keyboard_flow(page, live_server, login, reviewer):
    article = make_article(
        "First claim here. Second claim there. Third claim everywhere.\n", title="Claims"
    )
    make_annotation(article, reviewer, "First claim", verdict="verified")
    make_annotation(article, reviewer, "Third claim", verdict="opinion")
    login(reviewer)
    page.goto(f"{live_server.url}/articles/{article.pk}/")

    page.evaluate(SELECT_PHRASE, "Second claim")
    page.keyboard.press("3")
    form = page.locator("#annotation-form")
    expect(form).to_be_visible()
    expect(form.get_by_label("Opinion")).to_be_checked()
    expect(form.get_by_label("Note")).to_be_focused()
    page.keyboard.type("Reads as a view, not a fact.")
    page.keyboard.press("Escape")
    expect(form).to_be_hidden()

    page.evaluate(SELECT_PHRASE, "Second claim")
    page.keyboard.press("1")
    expect(form.get_by_label("Verified")).to_be_checked()
    form.get_by_role("button", name="Save").focus()
    page.keyboard.press("Enter")
    cards = page.locator("#annotation-panel .card")
    expect(cards).to_have_count(3)
    second = Annotation.objects.get(quote="Second claim")
    assert second.verdict == "verified"

    # The new card has focus; j / k walk the cards in text order; Enter opens one to edit.
    expect(cards.nth(1)).to_be_focused()
    page.keyboard.press("j")
    expect(cards.nth(2)).to_be_focused()
    expect(page.locator("#article-text .hl.is-current")).to_have_text("Third claim")
    page.keyboard.press("j")
    expect(cards.nth(2)).to_be_focused()
    page.keyboard.press("k")
    page.keyboard.press("k")
    expect(cards.nth(0)).to_be_focused()
    page.keyboard.press("Enter")
    expect(form).to_be_visible()
    expect(form.locator("h2")).to_have_text("Edit annotation")
    expect(form.locator(".form-quote")).to_have_text("First claim")
    page.keyboard.press("Escape")
    expect(page.locator("#annotation-form")).to_be_hidden()
    # The blank form is back for the next selection.
    page.evaluate(SELECT_PHRASE, "everywhere")
    page.keyboard.press("2")
    expect(form.locator("h2")).to_have_text("New annotation")
    expect(form.locator(".form-quote")).to_have_text("everywhere")


@pytest.mark.django_db(transaction=True)
def test_emoji_and_combining_accents_save_the_right_quote(page, live_server, login, reviewer):
    # "q̃" has no precomposed form, so it stays two code points after NFC.
    text = "Fans 👍🏽 cheered the équipe q̃uickly 🇺🇦 — “déjà vu” said 🧑‍💻 Zoë.\n"
    article = make_article(text, title="Emoji")
    login(reviewer)
    page.goto(f"{live_server.url}/articles/{article.pk}/")

    drag_select(page, "👍🏽 cheered the équipe q̃uickly 🇺🇦")
    page.get_by_role("button", name="Opinion").click()
    page.locator("#annotation-form").get_by_role("button", name="Save").click()
    expect(page.locator("#annotation-panel .card")).to_have_count(1)
    first = Annotation.objects.get()
    assert first.quote == "👍🏽 cheered the équipe q̃uickly 🇺🇦"
    assert text[first.start : first.end] == first.quote

    page.evaluate(SELECT_PHRASE, "“déjà vu” said 🧑‍💻 Zoë")
    page.keyboard.press("1")
    page.locator("#annotation-form").get_by_role("button", name="Save").click()
    expect(page.locator("#annotation-panel .card")).to_have_count(2)
    second = Annotation.objects.get(verdict="verified")
    assert second.quote == "“déjà vu” said 🧑‍💻 Zoë"
    assert text[second.start : second.end] == second.quote
