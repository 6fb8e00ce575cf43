"""The orphans pages and the near-duplicate section of the annotate page."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from annotations.lib.text import parse_article
from annotations.models import Action, Annotation, Article
from annotations.services import articles as article_services
from tests.factories import make_annotation, make_article, make_user

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TEXT = "The mayor said the bridge cost 42 million euros. Critics called it a waste.\n"
REWRITTEN = "The mayor said the new tunnel will open next spring. Critics called it a waste.\n"
QUOTE = "the bridge cost 42 million euros"
NEW_SPAN = "the new tunnel will open next spring"


def make_orphan(author, *, note=""):
    article = make_article(TEXT, title="Bridge story")
    annotation = make_annotation(article, author, QUOTE, verdict="disputed", note=note)
    # Each article's new text differs (article texts are unique) in a later line.
    new = f"Bridge story\n{REWRITTEN}Article {article.pk}.\n"
    article_services.article_replace_text(article_id=article.pk, parsed=parse_article(new))
    annotation.refresh_from_db()
    assert annotation.orphaned
    return annotation


@pytest.fixture
def rita(client, reviewer):
    client.force_login(reviewer)
    return client


def reattach_data(annotation, phrase=NEW_SPAN, **extra):
    start = REWRITTEN.index(phrase)
    data = {"start": start, "end": start + len(phrase), "quote": phrase}
    return data | {"version": annotation.version} | extra


# The orphans list ------------------------------------------------------------------------


def test_orphans_need_login(client):
    response = client.get(reverse("orphan-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_orphan_list_shows_the_orphan_with_its_old_context(rita, reviewer):
    orphan = make_orphan(reviewer, note="Budget says 61m <b>")
    body = rita.get(reverse("orphan-list")).content.decode()
    assert f'id="orphan-{orphan.pk}"' in body
    assert "the bridge cost 42 million euros" in body
    assert "Bridge story" in body and "was in revision 1, now 2" in body
    assert "Budget says 61m &lt;b&gt;" in body
    assert reverse("orphan-reattach", args=[orphan.pk]) in body


def test_orphan_list_filters_by_article(rita, reviewer):
    orphan = make_orphan(reviewer)
    other = make_orphan(reviewer)
    body = rita.get(reverse("orphan-list"), {"article": orphan.article_id}).content.decode()
    assert f'id="orphan-{orphan.pk}"' in body and f'id="orphan-{other.pk}"' not in body
    assert rita.get(reverse("orphan-list"), {"article": 99999}).status_code == 404


@pytest.mark.parametrize("n", [1, 5])
def test_orphan_list_query_count_is_fixed(rita, reviewer, django_assert_num_queries, n):
    for _ in range(n):
        make_orphan(reviewer)
    # session, user, user's groups, orphans with article and author, evidence
    with django_assert_num_queries(5):
        response = rita.get(reverse("orphan-list"))
    assert response.content.decode().count('class="card ') == n


def test_others_see_orphans_but_cannot_reattach_or_withdraw(client, reviewer, other_reviewer):
    orphan = make_orphan(reviewer)
    client.force_login(other_reviewer)
    body = client.get(reverse("orphan-list")).content.decode()
    assert f'id="orphan-{orphan.pk}"' in body
    assert reverse("orphan-reattach", args=[orphan.pk]) not in body
    assert reverse("orphan-withdraw", args=[orphan.pk]) not in body
    assert client.get(reverse("orphan-reattach", args=[orphan.pk])).status_code == 403
    url = reverse("orphan-withdraw", args=[orphan.pk])
    assert client.post(url, {"version": orphan.version}).status_code == 403


def test_withdraw_with_htmx_returns_the_list_without_it(rita, reviewer):
    orphan = make_orphan(reviewer)
    response = rita.post(
        reverse("orphan-withdraw", args=[orphan.pk]), {"version": orphan.version}, headers=HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="orphan-list"')
    assert f'id="orphan-{orphan.pk}"' not in body and "No orphans" in body
    assert Annotation.all_objects.get(pk=orphan.pk).deleted


def test_withdraw_without_js_redirects_and_a_stale_one_says_why(rita, reviewer):
    orphan = make_orphan(reviewer)
    url = reverse("orphan-withdraw", args=[orphan.pk])
    stale = rita.post(url, {"version": orphan.version - 1}, headers=HTMX)
    assert stale.status_code == 409
    assert "changed since you opened it" in stale.content.decode()
    response = rita.post(url, {"version": orphan.version, "next": "article"})
    assert response.status_code == 302
    assert response["Location"] == reverse("article-detail", args=[orphan.article_id])
    assert rita.post(url, {"version": "x"}).status_code in (400, 404)


# Re-attaching ----------------------------------------------------------------------------


def test_reattach_page_shows_current_text_and_old_context(rita, reviewer):
    orphan = make_orphan(reviewer)
    body = rita.get(reverse("orphan-reattach", args=[orphan.pk])).content.decode()
    orphan.article.refresh_from_db()
    assert f'data-length="{len(orphan.article.text)}"' in body
    assert "new tunnel will open" in body
    assert "The mayor said </span><mark" in body.replace("…", "")
    assert "selection.js" in body and "reattach.js" in body


def test_reattach_post_moves_it_and_returns_to_the_article(rita, reviewer):
    orphan = make_orphan(reviewer)
    url = reverse("orphan-reattach", args=[orphan.pk])
    response = rita.post(url, reattach_data(orphan))
    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("article-detail", args=[orphan.article_id]) + f"#card-{orphan.pk}"
    )
    orphan.refresh_from_db()
    assert not orphan.orphaned and orphan.quote == NEW_SPAN and orphan.revision == 2
    assert orphan.events.last().action == Action.REATTACHED
    # Once attached, the page sends the reviewer to the article.
    assert rita.get(url).status_code == 302


@pytest.mark.parametrize(
    ("change", "status", "message"),
    [
        ({"quote": "the new tunnel will open next Spring"}, 422, "reads"),
        ({"end": 9999}, 422, "outside the article text"),
        ({"start": ""}, 422, "This field is required"),
        ({"version": 1}, 409, "changed since you opened it"),
    ],
)
def test_reattach_errors_are_shown_on_the_page(rita, reviewer, change, status, message):
    orphan = make_orphan(reviewer)
    url = reverse("orphan-reattach", args=[orphan.pk])
    response = rita.post(url, reattach_data(orphan, **change))
    assert response.status_code == status
    assert message in response.content.decode()
    orphan.refresh_from_db()
    assert orphan.orphaned


def test_annotate_page_lists_the_orphan_with_a_reattach_link(rita, reviewer):
    orphan = make_orphan(reviewer)
    body = rita.get(reverse("article-detail", args=[orphan.article_id])).content.decode()
    assert "Not found in the current text" in body
    assert reverse("orphan-reattach", args=[orphan.pk]) in body
    assert f"{reverse('orphan-list')}?article={orphan.article_id}" in body


# Near duplicates -------------------------------------------------------------------------


@pytest.fixture
def pair(db):
    call_command("load_articles", str(SEEDS / "002_f89e3dc1c8d60f0a.txt"))
    call_command("load_articles", str(SEEDS / "003_7459fc7481cd15c0.txt"))
    original, copy = Article.objects.order_by("id")
    return original, copy


def shared_phrase(original, copy):
    for line in copy.text.splitlines():
        sentence = line.split(". ")[0]
        if len(sentence) > 40 and sentence in original.text:
            return sentence
    raise AssertionError("no shared sentence")


def test_duplicate_page_offers_the_other_articles_verdicts(rita, reviewer, other_reviewer, pair):
    original, copy = pair
    source = make_annotation(original, other_reviewer, shared_phrase(original, copy))
    body = rita.get(reverse("article-detail", args=[copy.pk])).content.decode()
    assert 'id="duplicate-verdicts"' in body
    assert original.title in body
    assert reverse("article-copy-verdict", args=[copy.pk, source.pk]) in body
    assert "Apply the same verdict here" in body


def test_article_without_duplicates_has_no_section(rita, article):
    body = rita.get(reverse("article-detail", args=[article.pk])).content.decode()
    assert 'id="duplicate-verdicts"' not in body


def test_apply_with_htmx_swaps_section_text_and_panel(rita, reviewer, other_reviewer, pair):
    original, copy = pair
    phrase = shared_phrase(original, copy)
    source = make_annotation(
        original,
        other_reviewer,
        phrase,
        verdict="disputed",
        note="Numbers differ.",
        evidence=[{"url": "https://example.org/a", "title": "A"}],
    )
    url = reverse("article-copy-verdict", args=[copy.pk, source.pk])

    response = rita.post(url, headers=HTMX)

    assert response.status_code == 200
    body = response.content.decode()
    carried = Annotation.objects.get(article=copy)
    assert (carried.copied_from, carried.author, carried.status) == (source, reviewer, "pending")
    assert (carried.verdict, carried.note) == ("disputed", "Numbers differ.")
    assert body.lstrip().startswith('<section id="duplicate-verdicts"')
    assert f'href="#card-{carried.pk}"' in body and "Applied here" in body
    assert 'class="chunk" data-start="0" hx-swap-oob="true"' in body
    assert '<ol id="card-inbox" hidden hx-swap-oob="true">' in body
    assert f'id="card-{carried.pk}"' in body
    assert f'data-ids="{carried.pk}"' in body

    again = rita.post(url, headers=HTMX)
    assert again.status_code == 409
    assert "already applied this verdict here" in again.content.decode()
    assert Annotation.objects.filter(article=copy).count() == 1


def test_apply_without_js_redirects_to_the_new_card(rita, reviewer, pair):
    original, copy = pair
    source = make_annotation(original, reviewer, shared_phrase(original, copy))
    response = rita.post(reverse("article-copy-verdict", args=[copy.pk, source.pk]))
    carried = Annotation.objects.get(article=copy)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#card-{carried.pk}")


def test_apply_refusals(client, reviewer, editor, pair):
    original, copy = pair
    source = make_annotation(original, reviewer, "Read Full Article at RT.com", verdict="opinion")
    client.force_login(reviewer)
    url = reverse("article-copy-verdict", args=[copy.pk, source.pk])
    response = client.post(url, headers=HTMX)
    assert response.status_code == 409
    assert "not in this article" in response.content.decode()
    assert client.get(url).status_code == 405
    missing = reverse("article-copy-verdict", args=[copy.pk, 99999])
    assert client.post(missing).status_code == 404
    client.force_login(make_user("nora", groups=()))
    assert client.post(url).status_code == 403
    assert not Annotation.objects.filter(article=copy).exists()
