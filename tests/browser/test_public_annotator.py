"""A real W3C client on the public pages: Apache Annotator's DOM matchers (bundled from
node_modules for this test only) resolve every selector of the W3C export, on the page
the annotation's target names, to exactly the annotation's quote."""

import json
import os
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest

from tests.browser.test_csp import Problems
from tests.export_data import approve, get, make_dataset
from tests.factories import make_annotation, make_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
ENTRY = Path(__file__).resolve().parent / "js" / "annotator.js"
SEED = ROOT / "seeds" / "004_940bfc33d1c3e862.txt"


@pytest.fixture(scope="session")
def annotator_bundle(tmp_path_factory) -> str:
    """Apache Annotator as one script defining `Annotator.resolve(target)`."""
    if not ESBUILD.exists():
        message = "the browser client needs node_modules (make test runs npm ci)"
        if os.environ.get("CI") == "true" or not shutil.which("npm"):
            pytest.fail(message)
        pytest.skip(message)
    out = tmp_path_factory.mktemp("annotator") / "annotator.js"
    subprocess.run(
        [str(ESBUILD), str(ENTRY), "--bundle", "--format=iife", "--global-name=Annotator",
         f"--outfile={out}", "--log-level=warning"],
        check=True, cwd=ROOT,
    )  # fmt: skip
    # Evaluated by Playwright after each load (not a <script>: the page's CSP stays whole).
    return out.read_text() + "\n;window.Annotator = Annotator;"


def test_apache_annotator_resolves_every_exported_selector_on_the_public_pages(
    client, reviewer, editor, live_server, page, annotator_bundle
):
    made = make_dataset(reviewer, editor)
    # A real article too: long, with paragraphs, quotes and Markdown left as written.
    text = SEED.read_text(encoding="utf-8")
    seed = make_article(text, title="Interview")
    for phrase in ("Dr. Sarah Mitchell", "Kursk front", "50,000 soldiers", "Putin"):
        annotation = make_annotation(seed, reviewer, phrase, verdict="opinion")
        made.append(approve(annotation, editor))
    client.force_login(reviewer)
    _, body = get(client, "annotations.jsonld")
    items = json.loads(body)["first"]["items"]
    assert len(items) == len(made)

    by_page = defaultdict(list)
    for item in items:
        source = item["target"]["source"]
        assert source.startswith("http://testserver/factchecks/")
        by_page[source.replace("http://testserver", live_server.url)].append(item)

    resolved = 0
    for url, annotations in by_page.items():
        response = page.goto(url)
        assert response.status == 200
        page.evaluate(annotator_bundle)
        for item in annotations:
            quote = item["target"]["selector"][0]["refinedBy"]["exact"]
            results = page.evaluate("(target) => Annotator.resolve(target)", item["target"])
            assert [r["type"] for r in results] == ["TextQuoteSelector", "TextPositionSelector"]
            for result in results:
                assert result["texts"] == [quote], (item["id"], result)
            resolved += 1
    assert resolved == len(items)


def test_the_unscoped_selectors_would_miss_on_the_page_which_is_why_they_are_scoped(
    client, reviewer, editor, live_server, page, annotator_bundle
):
    """The page has a title and verdict cards before and around the text: counting from
    the document's start lands elsewhere. Scoping is what makes the positions right."""
    made = make_dataset(reviewer, editor, articles=1)
    client.force_login(reviewer)
    _, body = get(client, "annotations.jsonld")
    item = next(
        i for i in json.loads(body)["first"]["items"] if i["id"].endswith(f"/{made[3].pk}/")
    )
    position = item["target"]["selector"][1]["refinedBy"]
    page.goto(item["target"]["source"].replace("http://testserver", live_server.url))
    page.evaluate(annotator_bundle)
    (unscoped,) = page.evaluate("(s) => Annotator.resolve({selector: [s]})", position)
    assert unscoped["texts"] != [made[3].quote]


def test_public_pages_load_without_a_csp_violation_and_read_on_a_narrow_screen(
    reviewer, editor, live_server, page, artifacts
):
    """The ClaimReview data blocks are not scripts to the policy; the pages need none."""
    made = make_dataset(reviewer, editor, articles=1)
    article_id, annotation_id = made[0].article_id, made[0].pk
    problems = Problems(page)
    base = f"{live_server.url}/factchecks"
    for url in (
        f"{base}/",
        f"{base}/{article_id}/",
        f"{base}/{article_id}/verdicts/{annotation_id}/",
    ):
        problems.visit(url)
    page.set_viewport_size({"width": 380, "height": 800})
    problems.visit(f"{base}/{article_id}/#verdict-{annotation_id}")
    card = page.locator(f"#verdict-{annotation_id}")
    assert card.is_visible()
    # Stacked below the text on a narrow screen, not squeezed beside it.
    text_box = page.locator("#article-text").bounding_box()
    assert card.bounding_box()["y"] > text_box["y"] + text_box["height"] - 1
    page.screenshot(path=str(artifacts / "public-narrow.png"))
    assert problems.found == [], "\n".join(problems.found)
