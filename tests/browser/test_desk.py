"""The reviewer's desk on a long shift: nothing lost on an expired session, a 403 after
logging in elsewhere or a dropped request; the form in view; keyboard-only annotating."""

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation
from tests.browser.test_annotate import SELECT_PHRASE
from tests.factories import make_annotation, make_article

pytestmark = pytest.mark.browser

SENTENCES = "First claim here. Second claim there. Third claim everywhere.\n"


def long_text(paragraphs: int = 60) -> str:
    line = "The council said the bridge cost forty million euros, far above the estimate. "
    return "".join(f"Paragraph {i}. " + line * 3 + "\n\n" for i in range(paragraphs))


def open_form_on(page, phrase: str, key: str = "1"):
    page.evaluate(SELECT_PHRASE, phrase)
    page.keyboard.press(key)
    form = page.locator("#annotation-form")
    expect(form).to_be_visible()
    return form


def fail_first(page, pattern: str, *, reach_server: bool = False) -> list:
    """Make the first request to `pattern` fail as a dropped connection (after the server
    answered it, with `reach_server`); the list records what happened to it."""
    seen = []

    def handle(route):
        if seen:
            route.continue_()
            return
        seen.append(route.fetch().status if reach_server else "dropped")
        route.abort("connectionreset")

    page.route(pattern, handle)
    return seen


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["x"] >= 0
        and box["y"] + box["height"] <= size["height"]
        and box["x"] + box["width"] <= size["width"]
    )


@pytest.mark.django_db(transaction=True)
def test_expired_session_opens_a_login_dialog_then_saves_once(page, live_server, login, reviewer):
    article = make_article(SENTENCES, title="Claims")
    login(reviewer)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    form = open_form_on(page, "Second claim")
    form.get_by_label("Note").fill("Typed before the session ran out.")
    page.context.clear_cookies()  # the session expires while the reviewer types

    form.get_by_role("button", name="Save").click()
    dialog = page.locator("#session-dialog")
    expect(dialog).to_be_visible()
    expect(form.locator(".request-problem")).to_contain_text("session has ended")
    # Nothing was swapped in: the note and the passage are still in the form.
    expect(form.get_by_label("Note")).to_have_value("Typed before the session ran out.")
    expect(page.locator("#article-text .article-text")).not_to_contain_text("Log in")
    assert Annotation.objects.count() == 0

    dialog.get_by_label("Username").fill(reviewer.username)
    dialog.get_by_label("Password").fill("pw-" + reviewer.username)
    dialog.get_by_role("button", name="Log in and save").click()
    expect(dialog).to_be_hidden()
    expect(form).to_be_hidden()
    expect(page.locator("#card-list .card")).to_have_count(1)
    saved = Annotation.objects.get()
    assert (saved.quote, saved.note) == ("Second claim", "Typed before the session ran out.")
    assert page.evaluate("localStorage.length") == 0  # the draft is done with


@pytest.mark.django_db(transaction=True)
def test_403_after_logging_in_in_another_tab_is_retried_with_a_fresh_token(
    page, live_server, login, reviewer
):
    article = make_article(SENTENCES, title="Claims")
    login(reviewer)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    form = open_form_on(page, "Third claim", key="3")
    form.get_by_label("Note").fill("A view, not a fact.")
    page.context.clear_cookies()
    # The reviewer notices, logs in again in another tab: the CSRF token rotates.
    other = page.context.new_page()
    other.goto(f"{live_server.url}/accounts/login/")
    other.get_by_label("Username").fill(reviewer.username)
    other.get_by_label("Password").fill("pw-" + reviewer.username)
    other.get_by_role("button", name="Log in").click()
    other.wait_for_url(f"{live_server.url}/")
    other.close()

    statuses = []
    page.on("response", lambda r: statuses.append(r.status) if "/annotations/new/" in r.url else 0)
    form.get_by_role("button", name="Save").click()
    expect(page.locator("#card-list .card")).to_have_count(1)
    assert statuses == [403, 200]
    assert Annotation.objects.get().note == "A view, not a fact."


@pytest.mark.django_db(transaction=True)
def test_network_failure_shows_retry_and_saves_once(page, live_server, login, reviewer):
    article = make_article(SENTENCES, title="Claims")
    login(reviewer)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    dropped = fail_first(page, "**/annotations/new/")
    form = open_form_on(page, "Second claim", key="2")
    form.get_by_label("Note").fill("The figures differ.")
    form.get_by_role("button", name="Save").click()
    # The disputed verdict's missing link is refused first; the error goes once it is given.
    expect(form.locator(".request-problem")).to_contain_text("Could not reach the server")
    assert Annotation.objects.count() == 0 and len(dropped) == 1
    form.get_by_role("button", name="Retry").click()
    expect(form.locator(".field-error")).to_contain_text("needs at least one evidence link")
    form.get_by_label("URL").fill("https://example.org/figures")
    expect(form.locator(".field-error")).to_have_count(0)
    page.keyboard.press("Control+Enter")
    expect(form).to_be_hidden()
    expect(page.locator("#card-list .card")).to_have_count(1)
    saved = Annotation.objects.get()
    assert (saved.verdict, saved.note) == ("disputed", "The figures differ.")


@pytest.mark.django_db(transaction=True)
def test_withdraw_network_failure_shows_retry(page, live_server, login, reviewer):
    article = make_article(SENTENCES, title="Claims")
    a = make_annotation(article, reviewer, "First claim", verdict="opinion")
    login(reviewer)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    page.on("dialog", lambda d: d.accept())
    fail_first(page, "**/delete/")
    page.locator(f"#card-{a.pk}").get_by_role("button", name="Withdraw").click()
    status = page.locator("#desk-status")
    expect(status).to_contain_text("Could not reach the server")
    status.get_by_role("button", name="Retry").click()
    expect(page.locator(f"#card-{a.pk}")).to_have_count(0)
    expect(page.locator(f'#article-text [data-ids~="{a.pk}"]')).to_have_count(0)
    assert not Annotation.objects.filter(pk=a.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_escape_keeps_the_draft_across_a_reload(page, live_server, login, reviewer):
    article = make_article(SENTENCES, title="Claims")
    login(reviewer)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    form = open_form_on(page, "Second claim", key="3")
    form.get_by_label("Note").fill("Half a thought")
    form.get_by_label("URL").fill("https://example.org/half")
    page.keyboard.press("Escape")
    expect(form).to_be_hidden()
    page.reload()
    bar = page.locator("#draft-bar")
    expect(bar).to_contain_text("Second claim")
    bar.get_by_role("button", name="Resume").click()
    expect(form).to_be_visible()
    expect(form.get_by_label("Note")).to_have_value("Half a thought")
    expect(form.get_by_label("URL")).to_have_value("https://example.org/half")
    expect(form.get_by_label("Opinion")).to_be_checked()
    expect(form.locator(".form-quote")).to_have_text("Second claim")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#card-list .card")).to_have_count(1)
    assert Annotation.objects.get().quote == "Second claim"
    expect(bar).to_be_hidden()


@pytest.mark.django_db(transaction=True)
def test_keyboard_alone_annotates_by_word_and_sentence(page, live_server, login, reviewer):
    article = make_article(SENTENCES, title="Claims")
    login(reviewer)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    text = page.locator("#article-text .article-text")
    # Tab through the page to the text, as a keyboard-only reader would.
    for _ in range(40):
        page.keyboard.press("Tab")
        if text.evaluate("el => el === document.activeElement"):
            break
    expect(text).to_be_focused()
    page.keyboard.press("BracketRight")  # to "Second"
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")  # "Second claim"
    expect(page.locator("#adder")).to_be_visible()
    page.keyboard.press("1")
    form = page.locator("#annotation-form")
    expect(form.locator(".form-quote")).to_have_text("Second claim")
    expect(form.get_by_label("Note")).to_be_focused()
    page.keyboard.type("Said by the report.")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#card-list .card")).to_have_count(1)
    saved = Annotation.objects.get()
    start = SENTENCES.index("Second claim")
    assert (saved.start, saved.end, saved.verdict) == (start, start + 12, "verified")
    # Focus is back in the text; a whole sentence with Shift+] and then 3.
    expect(text).to_be_focused()
    page.keyboard.press("BracketRight")
    page.keyboard.press("Shift+BracketRight")
    page.keyboard.press("3")
    expect(form.locator(".form-quote")).to_have_text("Third claim everywhere.")


@pytest.mark.parametrize("size", [(1366, 900), (390, 844)])
@pytest.mark.django_db(transaction=True)
def test_form_stays_in_view_for_a_passage_at_the_bottom(page, live_server, login, reviewer, size):
    article = make_article(long_text(), title="Long")
    page.set_viewport_size({"width": size[0], "height": size[1]})
    login(reviewer)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    # A passage on the window's last line.
    page.evaluate(
        """() => { const seg = [...document.querySelectorAll('#article-text .seg')]
          .find((s) => s.textContent.startsWith('Paragraph 8.'));
          window.scrollBy(0, seg.getBoundingClientRect().bottom - window.innerHeight + 4); }"""
    )
    form = open_form_on(page, "Paragraph 8.")
    note = form.get_by_label("Note")
    expect(note).to_be_focused()
    assert in_viewport(page, note)
    assert in_viewport(page, form.get_by_role("button", name="Save"))
    quote_box = page.evaluate(
        """() => { const seg = [...document.querySelectorAll('#article-text .seg')]
          .find((s) => s.textContent.startsWith('Paragraph 8.'));
          const r = seg.getBoundingClientRect(); return {y: r.y, h: r.height}; }"""
    )
    form_top = form.bounding_box()["y"]
    if size[0] < 900:  # a bottom sheet: the passage is scrolled into the space above it
        assert quote_box["y"] >= 0 and quote_box["y"] + quote_box["h"] <= form_top
    page.keyboard.press("Control+Enter")
    expect(form).to_be_hidden()
    assert Annotation.objects.get().quote == "Paragraph 8."


@pytest.mark.django_db(transaction=True)
def test_cards_load_as_you_scroll_and_filter(page, live_server, login, reviewer, other_reviewer):
    article = make_article(long_text(80), title="Many")
    for i in range(45):
        author = reviewer if i % 3 else other_reviewer
        make_annotation(
            article, author, f"Paragraph {i}.", verdict="opinion" if i % 2 else "verified"
        )
    login(reviewer)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    cards = page.locator("#card-list > .card")
    expect(cards).to_have_count(30)
    page.locator("#card-list > .more").scroll_into_view_if_needed()
    expect(cards).to_have_count(45)
    page.get_by_label("Author").select_option(other_reviewer.username)
    expect(cards).to_have_count(15)
    page.get_by_role("searchbox", name="Words").fill("Paragraph 3.")
    expect(cards).to_have_count(1)
    # A highlight whose card is not loaded brings its card in.
    page.get_by_role("searchbox", name="Words").fill("")
    page.get_by_label("Author").select_option("")
    expect(cards).to_have_count(30)
    last = Annotation.objects.get(quote="Paragraph 44.")
    page.locator(f'#article-text [data-ids="{last.pk}"]').click()
    expect(page.locator(f"#card-{last.pk}")).to_be_focused()


@pytest.mark.django_db(transaction=True)
def test_a_save_whose_answer_is_lost_is_stored_once_on_retry(page, live_server, login, reviewer):
    article = make_article(SENTENCES, title="Claims")
    login(reviewer)
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    # The server saves; its answer never arrives.
    lost = fail_first(page, "**/annotations/new/", reach_server=True)
    form = open_form_on(page, "Second claim")
    form.get_by_label("Note").fill("Sent once, answered once.")
    form.get_by_role("button", name="Save").click()
    expect(form.locator(".request-problem")).to_contain_text("Could not reach the server")
    assert lost == [200] and Annotation.objects.count() == 1
    form.get_by_role("button", name="Retry").click()
    expect(form).to_be_hidden()
    expect(page.locator("#card-list .card")).to_have_count(1)
    assert Annotation.objects.count() == 1
