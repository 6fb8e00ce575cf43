"""axe-core (a dev dependency from npm, never served) on the app's own pages, wide and at
390 px, and the narrow-window header and article list."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from annotations import services
from annotations.models import Article
from tests.factories import make_annotation

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
SEEDS = Path(__file__).resolve().parents[2] / "seeds"
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({id: v.id,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' ' + n.failureSummary)}));
}"""


@pytest.fixture
def axe_page(browser, live_server):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (make test does)")
    # axe is injected as a script of its own; the pages' strict CSP would refuse it.
    context = browser.new_context(bypass_csp=True)
    yield context.new_page()
    context.close()


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("pw-" + user.username)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{live_server.url}/")


def serious(page) -> list:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE)


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.django_db(transaction=True)
def test_app_pages_have_no_serious_axe_findings(
    axe_page, live_server, reviewer, other_reviewer, editor, width
):
    page = axe_page
    page.set_viewport_size({"width": width, "height": 900 if width > 400 else 844})
    call_command("load_articles", str(SEEDS))
    article = Article.objects.get(source_file__contains="001_")
    make_annotation(article, reviewer, "Kursk, a city", verdict="disputed", note="A region.")
    sent_back = make_annotation(article, reviewer, "zero power", verdict="opinion")
    services.annotation_review(
        annotation_id=sent_back.pk,
        editor=editor,
        decision="request_changes",
        expected_version=1,
        comment="Say why.",
    )
    make_annotation(article, other_reviewer, "Oleksandr Syrskyi", verdict="verified")
    pages = {
        reviewer: [
            "/",
            f"/articles/{article.pk}/",
            f"/articles/{article.pk}/?edit={sent_back.pk}",
            "/orphans/",
            f"/annotations/{sent_back.pk}/history/",
        ],
        editor: ["/review/", f"/articles/{article.pk}/"],
    }
    found = {}
    for user, paths in pages.items():
        log_in(page, live_server, user)
        for path in paths:
            page.goto(live_server.url + path)
            if path.endswith(f"/articles/{article.pk}/"):
                page.locator("#export-menu > summary").click()
            problems = serious(page)
            if problems:
                found[f"{user.username} {path}"] = problems
        page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    if problems := serious(page):
        found["login"] = problems
    assert found == {}, json.dumps(found, indent=1)


@pytest.mark.django_db(transaction=True)
def test_narrow_window_keeps_log_out_and_the_list_columns(axe_page, live_server, editor):
    page = axe_page
    page.set_viewport_size({"width": 390, "height": 844})
    call_command("load_articles", str(SEEDS))
    log_in(page, live_server, editor)
    for path in ("/", "/review/"):
        page.goto(live_server.url + path)
        logout = page.get_by_role("button", name="Log out")
        box = logout.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, path
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    page.goto(live_server.url + "/")
    first = page.locator("table.articles tbody tr").first
    for label in ("Verdicts", "Review"):
        cell = first.locator(f'td[data-label="{label}"]')
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box["x"] + box["width"] <= 390
