"""Every page loads and works under the Content-Security-Policy without a single violation."""

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.test_annotate import SELECT_PHRASE
from tests.factories import make_annotation, make_user

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs in every document before its own scripts (injected by the browser, not by the page,
# so the policy does not apply to it): it records what the policy blocked.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const what = `${e.violatedDirective} blocked ${e.blockedURI || "inline"}`;
  window.__cspViolations.push(`${what} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`);
});
"""


class Problems:
    """Collects CSP violations, console errors and uncaught exceptions, page by page."""

    def __init__(self, page):
        self.page = page
        self.found: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.found.append(f"page error: {error}"))

    def _console(self, message):
        text = message.text
        if message.type == "error" or "Content Security Policy" in text:
            # A deliberate 4xx answer (e.g. the 404 page) is not a policy problem.
            if "Failed to load resource: the server responded with a status of 4" in text:
                return
            self.found.append(f"console {message.type}: {text}")

    def visit(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        self.collect(url)

    def collect(self, where: str) -> None:
        for violation in self.page.evaluate("window.__cspViolations || []"):
            self.found.append(f"{where}: {violation}")
        self.page.evaluate("window.__cspViolations = []")


def test_the_violation_recorder_catches_an_inline_script(page, live_server):
    problems = Problems(page)
    problems.visit(f"{live_server.url}/accounts/login/")
    assert problems.found == []
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = 1'; document.body.append(s); }"
    )
    page.wait_for_timeout(200)
    problems.collect("login")
    assert page.evaluate("window.ran") is None
    assert any("script-src" in p for p in problems.found), problems.found


def test_every_page_loads_without_a_csp_violation(page, live_server, login, artifacts):
    call_command("load_articles", str(SEEDS), verbosity=0)
    from annotations.models import Article

    article = Article.objects.order_by("id").first()
    rita = make_user("rita", groups=("reviewer",))
    edna = make_user("edna", groups=("editor",))
    annotation = make_annotation(article, rita, article.text[10:40], verdict="opinion")

    problems = Problems(page)
    base = live_server.url
    problems.visit(f"{base}/accounts/login/")
    login(rita)
    problems.collect("list after login")
    problems.visit(f"{base}/")
    # htmx at work: the search swaps the table in place.
    page.get_by_label("Search articles").fill("trump")
    page.wait_for_load_state("networkidle")
    problems.collect("list search")
    problems.visit(f"{base}/articles/{article.pk}/")
    expect(page.locator(f"#card-{annotation.pk}")).to_be_visible()
    # The annotate form opens from the keyboard and saves with htmx.
    page.evaluate(SELECT_PHRASE, article.text[60:80])
    page.keyboard.press("3")
    page.locator("#annotation-form").get_by_label("Note").fill("A view.")
    page.locator("#annotation-form").get_by_role("button", name="Save").click()
    expect(page.locator("#annotation-panel .card")).to_have_count(2)
    problems.collect("annotate and save")
    problems.visit(f"{base}/orphans/")
    problems.visit(f"{base}/no-such-page/")
    # The API's browsable docs (Swagger UI from the sidecar package) render its schema.
    problems.visit(f"{base}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Fact-check workbench API")
    page.screenshot(path=str(artifacts / "csp-api-docs.png"))
    problems.collect("api docs")
    page.screenshot(path=str(artifacts / "csp-annotate.png"))

    page.context.clear_cookies()
    login(edna)
    problems.visit(f"{base}/articles/{article.pk}/")
    # The editor's queue: approve with the keyboard, the next item comes in with htmx.
    problems.visit(f"{base}/review/")
    expect(page.locator(".queue-count")).to_contain_text("2 pending")
    page.keyboard.press("a")
    expect(page.locator(".queue-count")).to_contain_text("1 pending")
    page.screenshot(path=str(artifacts / "csp-review.png"))
    problems.collect("review approve")
    problems.visit(f"{base}/annotations/{annotation.pk}/history/")
    expect(page.get_by_text("Approved").first).to_be_visible()
    assert problems.found == [], "\n".join(problems.found)
