"""The text indexes follow every write: import, re-import, annotation create/edit/withdraw;
similar claims find the seeds' cross-article pairs."""

import pytest

from annotations import selectors, services
from annotations.models import ArticleSentence
from tests.factories import make_annotation
from tests.seeds import load_seeds, span

pytestmark = pytest.mark.django_db


def found(q: str) -> list[int]:
    return selectors.ranked_article_ids(q)


def test_import_indexes_sentences_and_text():
    article = services.article_import(
        raw=b"Title line\nThe mayor opened the bridge. It cost 42 million euros.\n",
        source_file="a.txt",
    ).article
    sentences = list(ArticleSentence.objects.filter(article=article).order_by("start"))
    assert [s.text for s in sentences] == [
        "The mayor opened the bridge.",
        "It cost 42 million euros.",
    ]
    assert all(article.text[s.start : s.end] == s.text for s in sentences)
    assert found("bridge") == [article.pk]
    assert found("bridges mayor") == [article.pk]  # stemmed, every word


def test_reimport_replaces_sentences_and_index():
    first = services.article_import(raw=b"T\nThe old bridge stood.\n", source_file="b.txt")
    services.article_import(raw=b"T\nA new tunnel opened.\n", source_file="b.txt")
    article = first.article
    texts = list(ArticleSentence.objects.filter(article=article).values_list("text", flat=True))
    assert texts == ["A new tunnel opened."]
    assert found("tunnel") == [article.pk]
    assert found("bridge") == []


def test_annotation_writes_keep_the_annotation_index(reviewer):
    article = services.article_import(
        raw=b"T\nThe minister said the bridge cost 42 million euros.\n", source_file="c.txt"
    ).article
    a = make_annotation(article, reviewer, "42 million euros", note="Audit says 61 million")
    live = selectors.annotations_for_api()
    assert list(selectors.filter_annotations(live, "audit")) == [a]
    services.annotation_update(
        annotation_id=a.pk, actor=reviewer, expected_version=a.version, note="Budget report"
    )
    assert list(selectors.filter_annotations(live, "audit")) == []
    assert list(selectors.filter_annotations(live, "budget")) == [a]
    # An article is also found by the note of one of its annotations.
    assert found("budget report") == [article.pk]
    services.annotation_delete(annotation_id=a.pk, actor=reviewer, expected_version=a.version + 1)
    assert list(selectors.filter_annotations(live, "budget")) == []
    assert found("budget report") == []


def test_query_syntax_cannot_break_the_search():
    services.article_import(raw=b"T\nKursk front.\n", source_file="d.txt")
    for q in ['"', "*", "kursk OR", "NEAR(", "a:b", "-", "'", "\\", "AND", "(", "))"]:
        found(q)  # no database error
        assert list(selectors.filter_articles(selectors.article_list(), q)) is not None


def test_kursk_finds_the_two_articles_that_discuss_it():
    seeds = load_seeds()
    ids = found("Kursk")
    assert sorted(ids) == sorted([seeds["001"].pk, seeds["004"].pk])
    snippets = selectors.article_snippets(ids, "Kursk")
    for pk in ids:
        snippet = snippets[pk]
        assert [snippet.text[a:b] for a, b in snippet.marks] == ["Kursk"]
        assert len(snippet.text) > 40  # the words around it, not the word alone


PAIRS = [
    (
        "001",
        "advising the foreign leader not to escalate the war",
        "004",
        "not to escalate the war in Ukraine",
    ),
    (
        "004",
        "advised Putin “not to escalate the war in Ukraine",
        "001",
        "advising the foreign leader",
    ),
    ("001", "nearly 50,000-strong enemy group", "004", "50,000 soldiers"),
    ("004", "50,000 soldiers", "001", "nearly 50,000-strong enemy group"),
    ("000", "90-minute call", "002", "90-minute conversation"),
    ("002", "90-minute conversation", "000", "90-minute call"),
]


@pytest.mark.parametrize(("source", "phrase", "target", "expected"), PAIRS)
def test_the_seeds_cross_article_pairs_are_in_each_others_top_five(
    source, phrase, target, expected
):
    seeds = load_seeds()
    start, end = span(seeds[source], phrase)
    results = selectors.similar_passages(article=seeds[source], start=start, end=end, limit=5)
    assert all(p.article_id != seeds[source].pk for p in results)
    hits = [p for p in results if p.article_id == seeds[target].pk and expected in p.quote]
    assert hits, [(p.article_id, p.quote[:60]) for p in results]
    for p in results:
        assert seeds_text(seeds, p.article_id)[p.start : p.end] == p.quote
    assert [p.score for p in results] == sorted((p.score for p in results), reverse=True)


def seeds_text(seeds, pk):
    return next(a.text for a in seeds.values() if a.pk == pk)


def test_similar_passages_carry_the_verdicts_given_there(reviewer):
    seeds = load_seeds()
    given = make_annotation(seeds["004"], reviewer, "50,000 soldiers", verdict="disputed")
    start, end = span(seeds["001"], "nearly 50,000-strong enemy group")
    results = selectors.similar_passages(article=seeds["001"], start=start, end=end, limit=5)
    carrying = [p for p in results if p.annotations]
    assert [a.pk for a in carrying[0].annotations] == [given.pk]
    assert carrying[0].as_dict()["annotations"] == [
        {"id": given.pk, "verdict": "disputed", "status": "pending"}
    ]


def test_normalised_text_is_what_gets_indexed():
    raw = "T\r\nCafe\u0301 prices rose.\r\n".encode()
    article = services.article_import(raw=raw, source_file="e.txt").article
    assert "Café" in article.text
    assert found("café") == [article.pk]


def test_rejected_verdicts_are_not_offered(reviewer, editor):
    seeds = load_seeds()
    given = make_annotation(seeds["004"], reviewer, "50,000 soldiers")
    services.annotation_review(
        annotation_id=given.pk,
        editor=editor,
        expected_version=given.version,
        decision="reject",
        comment="Not a claim.",
    )
    start, end = span(seeds["001"], "nearly 50,000-strong enemy group")
    results = selectors.similar_passages(article=seeds["001"], start=start, end=end, limit=5)
    assert results and not any(p.annotations for p in results)


def test_ensure_puts_back_a_trigger_a_table_rebuild_dropped():
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER annotations_article_fts_ai")
        else:
            cursor.execute("DROP TRIGGER annotations_article_search ON annotations_article")
    services.article_import(raw=b"T\nThe quokka census.\n", source_file="q1.txt")
    assert found("quokka") == []  # what a rebuilt table would do without its trigger
    call_command("migrate", verbosity=0)  # nothing to apply; post_migrate checks the indexes
    second = services.article_import(raw=b"T\nA second quokka count.\n", source_file="q2.txt")
    assert second.article.pk in found("quokka")
