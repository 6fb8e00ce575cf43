import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from annotations.models import Annotation, Article
from tests.factories import make_annotation, make_article

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

pytestmark = pytest.mark.browser


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
def test_form_errors_show_in_place(page, live_server, login, reviewer, artifacts):
    article = seed_article()
    login(reviewer)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    phrase = "10,000 North Korean soldiers—confirmed by the Pentagon—who"
    drag_select(page, phrase)
    page.keyboard.press("2")
    form = page.locator("#annotation-form")
    form.get_by_label("URL").fill("javascript:alert(1)")
    form.get_by_role("button", name="Save").click()
    expect(form.locator(".evidence-row .field-error")).to_contain_text("http:// or https://")
    expect(form).to_be_visible()
    form.screenshot(path=str(artifacts / "annotate-form-error.png"))
    assert not Annotation.objects.exists()
    # Fix it, add a second row, remove it again, save.
    form.get_by_label("URL").fill("https://www.nbcnews.com/")
    form.get_by_role("button", name="+ Add a link").click()
    expect(form.get_by_label("URL")).to_have_count(2)
    form.get_by_role("button", name="Remove this link").nth(1).click()
    expect(form.get_by_label("URL")).to_have_count(1)
    form.get_by_role("button", name="Save").click()
    expect(page.locator("#article-text .hl-disputed")).to_have_text(phrase)
    assert Annotation.objects.get().quote == phrase


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


@pytest.mark.django_db(transaction=True)
def test_edit_and_withdraw_own_annotation(page, live_server, login, reviewer, other_reviewer):
    from annotations import services

    article = make_article("The bridge cost 42 million euros. Critics called it a waste.\n")
    mine = make_annotation(article, reviewer, "42 million euros", verdict="opinion")
    theirs = make_annotation(article, other_reviewer, "a waste", verdict="opinion")
    login(reviewer)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    expect(page.locator(f"#card-{theirs.pk}").get_by_role("link", name="Edit")).to_have_count(0)

    page.locator(f"#card-{mine.pk}").get_by_role("link", name="Edit").click()
    form = page.locator("#annotation-form")
    expect(form.locator("h2")).to_have_text("Edit annotation")
    form.get_by_label("Verified").check()
    form.get_by_label("Note").fill("Matches the council budget.")
    form.get_by_label("URL").fill("https://example.org/budget")
    form.get_by_role("button", name="Save").click()
    expect(page.locator(f'#article-text [data-ids="{mine.pk}"]')).to_have_class(
        re.compile(r"\bhl-verified\b")
    )
    expect(page.locator(f"#card-{mine.pk}")).to_contain_text("Matches the council budget.")
    mine.refresh_from_db()
    assert (mine.verdict, mine.version) == ("verified", 2)

    # Someone (here: the same reviewer in another tab) changes it meanwhile: a stale save
    # is refused with a clear message, and nothing is overwritten.
    page.locator(f"#card-{mine.pk}").get_by_role("link", name="Edit").click()
    services.annotation_update(
        annotation_id=mine.pk, actor=reviewer, expected_version=2, note="From the other tab."
    )
    form.get_by_label("Note").fill("Late edit")
    form.get_by_role("button", name="Save").click()
    expect(form.locator(".form-problem")).to_contain_text("changed since you opened it")
    mine.refresh_from_db()
    assert mine.note == "From the other tab."
    form.get_by_role("link", name="Load the current version").click()
    expect(form.get_by_label("Note")).to_have_value("From the other tab.")
    page.keyboard.press("Escape")

    # The card still holds the version this page saw: withdrawing it is refused too.
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator(f"#card-{mine.pk}").get_by_role("button", name="Withdraw").click()
    expect(form.locator(".form-problem")).to_contain_text("changed since you opened it")
    assert Annotation.objects.filter(pk=mine.pk).exists()

    page.reload()
    page.locator(f"#card-{mine.pk}").get_by_role("button", name="Withdraw").click()
    expect(page.locator(f"#card-{mine.pk}")).to_have_count(0)
    expect(page.locator(f'#article-text [data-ids="{mine.pk}"]')).to_have_count(0)
    assert not Annotation.objects.filter(pk=mine.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_selection_outside_the_article_is_refused(page, live_server, login, reviewer):
    article = make_article("Only this text can be annotated.\n", title="Boundaries")
    login(reviewer)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    page.evaluate(
        """() => {
          const title = document.querySelector('#article-title').firstChild;
          const text = document.querySelector('#article-text .article-text .seg').firstChild;
          const range = document.createRange();
          range.setStart(title, 2); range.setEnd(text, 4);
          const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        }"""
    )
    page.keyboard.press("1")
    expect(page.locator("#selection-message")).to_have_text("Select text inside the article only.")
    expect(page.locator("#annotation-form")).to_be_hidden()

    page.evaluate(SELECT_PHRASE, " ")
    page.keyboard.press("1")
    expect(page.locator("#selection-message")).to_have_text("Select some words, not just spaces.")
    expect(page.locator("#annotation-form")).to_be_hidden()


@pytest.mark.django_db(transaction=True)
def test_page_works_without_javascript(browser, live_server, reviewer, artifacts):
    article = make_article("Plain reading works. The claim is here.\n", title="No script")
    make_annotation(article, reviewer, "The claim", verdict="disputed", note="Checked.")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(reviewer.username)
    page.get_by_label("Password").fill("pw-" + reviewer.username)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    expect(page.locator("#article-text .hl-disputed")).to_have_text("The claim")
    expect(page.locator("#annotation-panel .card")).to_contain_text("Checked.")

    page.get_by_role("link", name="annotate by character offsets").click()
    page.get_by_label("Start").fill("0")
    page.get_by_label("End").fill("13")
    page.get_by_label("Quote").fill("Plain reading")
    page.get_by_label("Opinion").check()
    page.screenshot(path=str(artifacts / "annotate-no-js-form.png"))
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#article-text .hl-opinion")).to_have_text("Plain reading")
    assert Annotation.objects.get(verdict="opinion").quote == "Plain reading"
    context.close()


@pytest.mark.django_db(transaction=True)
def test_annotate_page_screenshots(
    page, live_server, login, reviewer, other_reviewer, editor, artifacts
):
    from annotations import services

    article = seed_article()
    make_annotation(
        article,
        other_reviewer,
        "Oleksandr Syrskyi",
        verdict="verified",
        evidence=[{"url": "https://www.nbcnews.com/", "title": "NBC News interview"}],
    )
    kursk = make_annotation(
        article,
        reviewer,
        "Kursk, a city",
        verdict="disputed",
        note="Kursk is a region; the city is its capital.",
    )
    make_annotation(
        article,
        other_reviewer,
        "a city in southwestern Russia that borders Ukraine",
        verdict="opinion",
    )
    troops = make_annotation(
        article,
        reviewer,
        "nearly 50,000-strong enemy group",
        verdict="verified",
        note="Matches the Pentagon's estimate.",
    )
    services.annotation_review(
        annotation_id=troops.pk,
        editor=editor,
        decision="request_changes",
        expected_version=1,
        comment="Link the Pentagon briefing, please.",
    )
    services.annotation_review(
        annotation_id=kursk.pk, editor=editor, decision="approve", expected_version=1
    )
    page.set_viewport_size({"width": 1360, "height": 860})
    login(reviewer)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    drag_select(page, "more than 10,000 North Korean soldiers")
    page.keyboard.press("2")
    page.locator("#annotation-form").get_by_label("Note").fill(
        "Estimates range from 10,000 to 12,000."
    )
    page.locator("#annotation-form").get_by_label("URL").fill("https://example.org/briefing")
    page.evaluate("window.scrollTo(0, 380)")
    page.screenshot(path=str(artifacts / "annotate-page.png"))
    page.keyboard.press("Escape")
    page.set_viewport_size({"width": 420, "height": 900})
    page.screenshot(path=str(artifacts / "annotate-narrow.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_triple_click_takes_a_whole_paragraph(page, live_server, login, reviewer):
    article = make_article("First paragraph here.\nSecond paragraph, the one we pick.\nThird.\n")
    login(reviewer)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    rects = page.evaluate(PHRASE_RECTS, ["one we", 0])
    page.mouse.click(rects["first"]["x"] + 2, rects["first"]["y"] + 5, click_count=3)
    page.keyboard.press("1")
    expect(page.locator("#annotation-form .form-quote")).to_have_text(
        "Second paragraph, the one we pick."
    )
    page.locator("#annotation-form").get_by_role("button", name="Save").click()
    expect(page.locator("#annotation-panel .card")).to_have_count(1)
    assert Annotation.objects.get().quote == "Second paragraph, the one we pick."


@pytest.mark.django_db(transaction=True)
def test_hostile_notes_stay_text(page, live_server, login, reviewer):
    article = make_article('A <b>bold</b> claim " hx-get="/x" hx-trigger="load\n')
    make_annotation(
        article, reviewer, "bold", verdict="opinion", note='<img src=x onerror="window.__pwned=1">'
    )
    login(reviewer)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    page.evaluate(SELECT_PHRASE, "claim")
    page.keyboard.press("3")
    form = page.locator("#annotation-form")
    form.get_by_label("Note").fill(
        '" hx-get="/x" hx-trigger="load <script>window.__pwned=2</script>'
    )
    form.get_by_role("button", name="Save").click()
    expect(page.locator("#annotation-panel .card")).to_have_count(2)
    expect(page.locator("#annotation-panel")).to_contain_text('" hx-get="/x" hx-trigger="load')
    expect(page.locator("#annotation-panel")).to_contain_text(
        '<img src=x onerror="window.__pwned=1">'
    )
    page.reload()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned") is None
    assert not [url for url in requested if url.rstrip("/").endswith("/x")]
