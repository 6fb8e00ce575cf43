"""Re-attaching orphans, and carrying verdicts across near-duplicate articles."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from annotations import selectors, services
from annotations.lib.text import parse_article
from annotations.models import Action, Annotation, Article, Status
from annotations.services import articles as article_services
from tests.factories import make_annotation, make_article, make_user

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
TEXT = "The mayor said the bridge cost 42 million euros. Critics called it a waste.\n"
REWRITTEN = "The mayor said the new tunnel will open next spring. Critics called it a waste.\n"
QUOTE = "the bridge cost 42 million euros"


def orphan_of(reviewer):
    article = make_article(TEXT)
    annotation = make_annotation(article, reviewer, QUOTE)
    article_services.article_replace_text(
        article_id=article.pk, parsed=parse_article("Title\n" + REWRITTEN)
    )
    annotation.refresh_from_db()
    assert annotation.orphaned
    article.refresh_from_db()
    return article, annotation


def reattach(annotation, actor, phrase, *, version=None):
    start = annotation.article.text.index(phrase)
    return services.annotation_reattach(
        annotation_id=annotation.pk,
        actor=actor,
        expected_version=annotation.version if version is None else version,
        start=start,
        end=start + len(phrase),
        quote=phrase,
    )


# Orphans ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_orphans_are_listed_but_not_drawn_on_the_new_text(reviewer):
    article, orphan = orphan_of(reviewer)
    attached = make_annotation(article, reviewer, "Critics called it a waste")
    assert list(selectors.orphan_list()) == [orphan]
    assert list(selectors.orphan_list(article=article)) == [orphan]
    assert list(selectors.orphan_list(article=make_article())) == []
    workbench = selectors.article_workbench_annotations(article=article)
    assert [(a, a.orphaned) for a in workbench] == [(orphan, True), (attached, False)]


@pytest.mark.django_db
def test_author_reattaches_an_orphan_to_a_new_span(reviewer):
    article, orphan = orphan_of(reviewer)

    reattached = reattach(orphan, reviewer, "the new tunnel will open next spring")

    assert not reattached.orphaned
    assert reattached.revision == article.revision == 2
    assert reattached.quote == "the new tunnel will open next spring"
    assert reattached.prefix == "The mayor said "
    assert reattached.status == Status.PENDING
    event = reattached.events.last()
    assert event.action == Action.REATTACHED
    assert event.actor == reviewer
    assert event.changes["orphaned"] == {"before": True, "after": False}
    assert event.changes["quote"] == {"before": QUOTE, "after": reattached.quote}
    assert event.changes["revision"] == {"before": 1, "after": 2}
    assert event.version == reattached.version == orphan.version + 1


@pytest.mark.django_db
def test_an_editor_may_reattach_someone_elses_orphan(reviewer, editor):
    _article, orphan = orphan_of(reviewer)
    assert not reattach(orphan, editor, "Critics called it a waste").orphaned


@pytest.mark.django_db
def test_another_reviewer_may_not_reattach(reviewer, other_reviewer):
    _article, orphan = orphan_of(reviewer)
    with pytest.raises(PermissionDenied):
        reattach(orphan, other_reviewer, "Critics called it a waste")


@pytest.mark.django_db
def test_reattach_checks_version_state_and_quote(reviewer):
    _article, orphan = orphan_of(reviewer)
    with pytest.raises(services.Conflict):
        reattach(orphan, reviewer, "Critics called it a waste", version=orphan.version - 1)
    with pytest.raises(services.QuoteMismatch):
        services.annotation_reattach(
            annotation_id=orphan.pk,
            actor=reviewer,
            expected_version=orphan.version,
            start=0,
            end=9,
            quote="The Mayor",  # the text reads "The mayor"
        )
    with pytest.raises(ValidationError):
        services.annotation_reattach(
            annotation_id=orphan.pk,
            actor=reviewer,
            expected_version=orphan.version,
            start=5,
            end=500,
            quote="x",
        )
    reattached = reattach(orphan, reviewer, "Critics called it a waste")
    with pytest.raises(services.Conflict, match="not orphaned"):
        reattach(reattached, reviewer, "The mayor")


@pytest.mark.django_db
def test_an_orphan_can_be_withdrawn(reviewer):
    _article, orphan = orphan_of(reviewer)
    services.annotation_delete(
        annotation_id=orphan.pk, actor=reviewer, expected_version=orphan.version
    )
    assert list(selectors.orphan_list()) == []


# Duplicates ------------------------------------------------------------------------------


@pytest.fixture
def pair(db):
    """Seeds 002 and 003: one op-ed twice, 003 flagged as a near duplicate of 002."""
    call_command("load_articles", str(SEEDS / "002_f89e3dc1c8d60f0a.txt"))
    call_command("load_articles", str(SEEDS / "003_7459fc7481cd15c0.txt"))
    original, copy = Article.objects.order_by("id")
    assert copy.near_duplicate_of == original
    return original, copy


def shared_phrase(original: Article, copy: Article) -> str:
    """A sentence of 003 that 002 has too."""
    for line in copy.text.splitlines():
        sentence = line.split(". ")[0]
        if len(sentence) > 40 and sentence in original.text:
            return sentence
    raise AssertionError("the seed pair shares no sentence")


@pytest.mark.django_db
def test_apply_the_same_verdict_on_the_duplicate(pair, reviewer, other_reviewer):
    original, copy = pair
    phrase = shared_phrase(original, copy)
    source = make_annotation(
        original,
        reviewer,
        phrase,
        verdict="disputed",
        note="The figures do not add up.",
        evidence=[{"url": "https://example.org/figures", "title": "Figures"}],
    )

    carried = services.annotation_copy(original_id=source.pk, article=copy, author=other_reviewer)

    assert carried.article == copy
    assert copy.text[carried.start : carried.end] == phrase == carried.quote
    assert (carried.verdict, carried.note) == ("disputed", "The figures do not add up.")
    assert [(e.url, e.title) for e in carried.evidence.all()] == [
        ("https://example.org/figures", "Figures")
    ]
    assert carried.status == Status.PENDING
    assert carried.author == other_reviewer
    assert carried.copied_from == source
    assert carried.events.get().action == Action.COPIED

    # Once per reviewer; it works the other way round too.
    with pytest.raises(ValidationError, match="already applied"):
        services.annotation_copy(original_id=source.pk, article=copy, author=other_reviewer)
    back = services.annotation_copy(original_id=carried.pk, article=original, author=reviewer)
    assert back.copied_from == carried


@pytest.mark.django_db
def test_copy_refuses_words_not_in_this_article(pair, reviewer):
    original, copy = pair
    only_in_002 = "Read Full Article at RT.com"
    assert only_in_002 in original.text and only_in_002 not in copy.text
    source = make_annotation(original, reviewer, only_in_002, verdict="opinion")
    with pytest.raises(ValidationError, match="not in this article"):
        services.annotation_copy(original_id=source.pk, article=copy, author=reviewer)
    assert not Annotation.objects.filter(article=copy).exists()


@pytest.mark.django_db
def test_copy_refuses_articles_that_are_not_duplicates(pair, reviewer):
    original, _copy = pair
    stranger = make_article(original.text[:500])
    source = make_annotation(original, reviewer, original.text[:30].strip())
    with pytest.raises(ValidationError, match="near duplicates"):
        services.annotation_copy(original_id=source.pk, article=stranger, author=reviewer)


@pytest.mark.django_db
def test_copy_needs_a_reviewer(pair, reviewer):
    original, copy = pair
    source = make_annotation(original, reviewer, shared_phrase(original, copy))
    outsider = make_user("olga", groups=())
    with pytest.raises(PermissionDenied):
        services.annotation_copy(original_id=source.pk, article=copy, author=outsider)


@pytest.mark.django_db
def test_duplicate_verdicts_places_the_other_articles_annotations(
    pair, reviewer, other_reviewer, editor, django_assert_num_queries
):
    original, copy = pair
    phrase = shared_phrase(original, copy)
    found = make_annotation(original, reviewer, phrase)
    make_annotation(original, reviewer, "Read Full Article at RT.com", verdict="opinion")
    rejected = make_annotation(original, reviewer, phrase[:20])
    services.annotation_review(
        annotation_id=rejected.pk,
        editor=editor,
        decision="reject",
        expected_version=1,
        comment="Not a claim.",
    )
    carried = services.annotation_copy(original_id=found.pk, article=copy, author=other_reviewer)

    with django_assert_num_queries(4):
        (source,) = selectors.duplicate_verdicts(article=copy, user=other_reviewer)
        evidence = [list(v.annotation.evidence.all()) for v in source.verdicts]
        authors = [v.annotation.author.username for v in source.verdicts]

    assert source.article == original
    assert [v.annotation for v in source.verdicts] == [found]
    (verdict,) = source.verdicts
    assert copy.text[verdict.start : verdict.end] == phrase
    assert verdict.copy_id == carried.pk
    assert source.not_found == 1
    assert evidence == [[]] and authors == ["rita"]
    # For someone who has not carried it over yet, there is nothing to point to.
    (source,) = selectors.duplicate_verdicts(article=copy, user=reviewer)
    assert source.verdicts[0].copy_id is None
    # And from the original's side, the copy's annotations are offered the other way.
    (back,) = selectors.duplicate_verdicts(article=original, user=reviewer)
    assert back.article == copy
    assert [v.annotation for v in back.verdicts] == [carried]


@pytest.mark.django_db
def test_no_duplicates_costs_no_query(article, reviewer, django_assert_num_queries):
    article = selectors.article_with_duplicates().get(pk=article.pk)
    with django_assert_num_queries(0):
        assert selectors.duplicate_verdicts(article=article, user=reviewer) == []
    # Without the annotation it has to ask.
    plain = make_article()
    with django_assert_num_queries(1):
        assert selectors.duplicate_verdicts(article=plain, user=reviewer) == []


@pytest.mark.django_db
def test_api_says_which_article_is_a_near_duplicate(pair, reviewer):
    from tests.api_clients import client_for

    original, copy = pair
    client = client_for(reviewer)
    assert client.get(f"/api/v1/articles/{copy.pk}/").json()["near_duplicate_of"] == original.pk
    listed = {
        a["id"]: a["near_duplicate_of"] for a in client.get("/api/v1/articles/").json()["results"]
    }
    assert listed == {original.pk: None, copy.pk: original.pk}


@pytest.mark.django_db
def test_api_marks_orphans(reviewer):
    from tests.api_clients import client_for

    _article, orphan = orphan_of(reviewer)
    body = client_for(reviewer).get(f"/api/v1/annotations/{orphan.pk}/").json()
    assert body["orphaned"] is True
    assert body["quote"] == QUOTE
