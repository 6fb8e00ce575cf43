"""Re-importing a changed article: a new revision, and every annotation re-anchored."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from annotations import services
from annotations.lib.anchoring import MIN_SCORE
from annotations.lib.text import ArticleFileError, content_hash, normalise, parse_article
from annotations.models import Action, Annotation, Article, ArticleRevision, ReviewEvent, Status
from annotations.services import articles as article_services
from tests.factories import make_annotation

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SEED = SEEDS / "001_622b7633600e6242.txt"

EXACT_QUOTES = [
    "President-elect Donald Trump doesn’t appear to be the international strong-arm "
    "he claimed he’d be",
    "more than 10,000 North Korean soldiers",
    "he’d allow Russia to “do whatever the hell they want” to NATO allies",
]
TYPO_QUOTE = "quietly include Ukraine seceding part of the country that is currently occupied"
FIXED_QUOTE = TYPO_QUOTE.replace("seceding", "ceding")
DELETED_PARAGRAPH = (
    "Russia immediately turned its back on the discussion, claiming that the report was "
    "“pure fiction.”\n"
)
DELETED_QUOTE = "Russia immediately turned its back on the discussion"
INSERTED = "Updated on November 12: this story now includes the Kremlin’s reply.\n"


def edited(original: str) -> str:
    title, _, body = original.partition("\n")
    assert TYPO_QUOTE in body and DELETED_PARAGRAPH in body
    body = body.replace(TYPO_QUOTE, FIXED_QUOTE).replace(DELETED_PARAGRAPH, "")
    return f"{title}\n{INSERTED}{body}"


def load(*args, capsys):
    call_command("load_articles", *map(str, args))
    return capsys.readouterr().out


@pytest.fixture
def seeded(tmp_path, reviewer, editor, capsys):
    """The seed loaded from its own file with five annotations, two of them approved."""
    path = tmp_path / "001.txt"
    path.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    load(path, capsys=capsys)
    article = Article.objects.get()
    spans = {q: make_annotation(article, reviewer, q) for q in EXACT_QUOTES}
    spans[TYPO_QUOTE] = make_annotation(article, reviewer, TYPO_QUOTE, verdict="opinion")
    spans[DELETED_QUOTE] = make_annotation(article, reviewer, DELETED_QUOTE, verdict="disputed")
    for quote in (TYPO_QUOTE, DELETED_QUOTE):
        services.annotation_review(
            annotation_id=spans[quote].pk, editor=editor, decision="approve", expected_version=1
        )
    return path, article, spans


@pytest.mark.django_db
def test_edited_copy_moves_three_exactly_one_fuzzily_and_orphans_one(seeded, capsys):
    path, article, spans = seeded
    old_text = article.text
    before = {quote: (a.start, a.end) for quote, a in spans.items()}
    path.write_text(edited(SEED.read_text(encoding="utf-8")), encoding="utf-8")

    out = load(path, capsys=capsys)

    assert f"{path}: updated #{article.pk} (revision 2): 3 moved, 1 fuzzy, 1 orphaned" in out
    assert "1 updated, 0 created, 0 unchanged" in out
    article.refresh_from_db()
    assert article.revision == 2
    assert INSERTED in article.text and DELETED_PARAGRAPH not in article.text
    (kept,) = ArticleRevision.objects.filter(article=article)
    assert (kept.number, kept.text) == (1, old_text)

    # Nothing lost: five annotations, every one with its history.
    assert Annotation.objects.filter(article=article).count() == 5
    for quote in EXACT_QUOTES:
        moved = Annotation.objects.get(pk=spans[quote].pk)
        assert moved.quote == quote == article.text[moved.start : moved.end]
        assert article.text.count(quote) == 1
        assert moved.start == article.text.index(quote) != before[quote][0]
        assert (moved.revision, moved.orphaned, moved.version) == (2, False, 2)
        event = moved.events.last()
        assert event.action == Action.REANCHORED
        assert event.changes["start"] == {"before": before[quote][0], "after": moved.start}
        assert event.changes["method"]["after"] == "exact"
        assert event.changes["score"]["after"] == 1.0

    fuzzy = Annotation.objects.get(pk=spans[TYPO_QUOTE].pk)
    assert fuzzy.quote == FIXED_QUOTE == article.text[fuzzy.start : fuzzy.end]
    assert (fuzzy.revision, fuzzy.orphaned) == (2, False)
    # An approved verdict on words that changed goes back to the editor.
    assert fuzzy.status == Status.PENDING
    event = fuzzy.events.last()
    assert event.action == Action.REANCHORED
    assert event.changes["method"]["after"] == "fuzzy"
    assert MIN_SCORE <= event.changes["score"]["after"] < 1.0
    assert event.changes["quote"] == {"before": TYPO_QUOTE, "after": FIXED_QUOTE}
    assert event.changes["status"] == {"before": "approved", "after": "pending"}
    assert event.actor.username == article_services.IMPORTER_USERNAME

    orphan = Annotation.objects.get(pk=spans[DELETED_QUOTE].pk)
    assert orphan.orphaned
    assert (orphan.start, orphan.end) == before[DELETED_QUOTE]
    assert orphan.revision == 1
    assert kept.text[orphan.start : orphan.end] == orphan.quote == DELETED_QUOTE
    assert orphan.status == Status.PENDING
    assert list(orphan.events.values_list("action", flat=True)) == [
        Action.CREATED,
        Action.APPROVED,
        Action.ORPHANED,
    ]

    # Loading the same edited file again changes nothing.
    out = load(path, capsys=capsys)
    assert f"unchanged #{article.pk}" in out
    assert ReviewEvent.objects.filter(action=Action.REANCHORED).count() == 4


@pytest.mark.django_db
def test_article_option_updates_from_another_file(seeded, tmp_path, capsys):
    _path, article, spans = seeded
    other = tmp_path / "corrected.txt"
    other.write_text(edited(SEED.read_text(encoding="utf-8")), encoding="utf-8")

    out = load("--article", article.pk, other, capsys=capsys)

    assert f"updated #{article.pk} (revision 2): 3 moved, 1 fuzzy, 1 orphaned" in out
    assert Article.objects.count() == 1
    article.refresh_from_db()
    assert article.source_file == str(other)


@pytest.mark.django_db
def test_unmoved_annotations_just_point_into_the_new_revision(seeded, capsys):
    path, article, spans = seeded
    versions = dict(Annotation.objects.values_list("pk", "version"))
    # An appended line moves nothing before it.
    path.write_text(SEED.read_text(encoding="utf-8") + "A closing line.\n", encoding="utf-8")

    out = load(path, capsys=capsys)

    assert "0 moved, 0 fuzzy, 0 orphaned, 5 in place" in out
    for annotation in Annotation.objects.all():
        assert (annotation.revision, annotation.version) == (2, versions[annotation.pk])
    assert not ReviewEvent.objects.filter(action=Action.REANCHORED).exists()


@pytest.mark.django_db
def test_withdrawn_annotations_are_left_alone(seeded, reviewer, capsys):
    path, _article, spans = seeded
    gone = spans[EXACT_QUOTES[0]]
    services.annotation_delete(annotation_id=gone.pk, actor=reviewer, expected_version=1)
    path.write_text(edited(SEED.read_text(encoding="utf-8")), encoding="utf-8")

    out = load(path, capsys=capsys)

    assert "2 moved, 1 fuzzy, 1 orphaned" in out
    gone = Annotation.all_objects.get(pk=gone.pk)
    assert (gone.orphaned, gone.revision, gone.start) == (False, 1, spans[EXACT_QUOTES[0]].start)


@pytest.mark.django_db
def test_new_text_equal_to_another_article_is_a_clear_error(seeded, capsys):
    path, article, spans = seeded
    load(SEEDS / "004_940bfc33d1c3e862.txt", capsys=capsys)
    path.write_bytes((SEEDS / "004_940bfc33d1c3e862.txt").read_bytes())

    with pytest.raises(CommandError, match="1 failed"):
        call_command("load_articles", str(path))

    err = capsys.readouterr().err
    other = Article.objects.exclude(pk=article.pk).get()
    assert f"the new text of article #{article.pk} is exactly the text of article #{other.pk}" in (
        err
    )
    article.refresh_from_db()
    assert article.revision == 1
    assert not ArticleRevision.objects.exists()


@pytest.mark.django_db
def test_article_option_needs_one_file_and_an_existing_article(tmp_path, capsys):
    with pytest.raises(CommandError, match="exactly one file"):
        call_command("load_articles", "--article", "1", str(SEED), str(SEED))
    with pytest.raises(CommandError, match="1 failed"):
        call_command("load_articles", "--article", "999", str(SEED))
    assert "there is no article #999" in capsys.readouterr().err
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_reimport_is_one_transaction(seeded, monkeypatch, capsys):
    """A failure half way through leaves the old text and every annotation as it was."""
    path, article, spans = seeded
    path.write_text(edited(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    real = article_services._orphan

    def broken(*args, **kwargs):
        real(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(article_services, "_orphan", broken)
    with pytest.raises(RuntimeError):
        call_command("load_articles", str(path))

    article.refresh_from_db()
    assert article.revision == 1
    assert not ArticleRevision.objects.exists()
    assert not Annotation.objects.filter(orphaned=True).exists()
    assert set(Annotation.objects.values_list("revision", flat=True)) == {1}


@pytest.mark.django_db
def test_a_concurrent_import_of_the_same_text_is_a_clear_error(seeded, monkeypatch):
    _path, article, _spans = seeded
    parsed = parse_article(normalise(edited(SEED.read_text(encoding="utf-8"))))
    real_clean = Article.full_clean

    def clean_then_someone_else_stores_it(self, *args, **kwargs):
        real_clean(self, *args, **kwargs)
        if self.pk == article.pk:
            Article.objects.create(
                title="Race", text=parsed.body, content_hash=content_hash(parsed.body)
            )

    monkeypatch.setattr(Article, "full_clean", clean_then_someone_else_stores_it)
    with pytest.raises(ArticleFileError, match="already another article's text"):
        article_services.article_replace_text(article_id=article.pk, parsed=parsed)
    article.refresh_from_db()
    assert article.revision == 1
    assert not ArticleRevision.objects.exists()


@pytest.mark.django_db
def test_exports_leave_the_orphan_out_and_name_the_revision(seeded, editor, capsys):
    import json

    from tests.api_clients import client_for

    path, _article, spans = seeded
    path.write_text(edited(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    load(path, capsys=capsys)
    client = client_for(editor)
    url = "/api/v1/export/annotations.jsonl?status=all"

    rows = [json.loads(line) for line in b"".join(client.get(url).streaming_content).splitlines()]
    assert {r["id"] for r in rows} == {a.pk for q, a in spans.items() if q != DELETED_QUOTE}
    assert {r["revision"] for r in rows} == {2}

    body = b"".join(client.get(url + "&include_orphans=1").streaming_content)
    rows = [json.loads(line) for line in body.splitlines()]
    (orphan,) = [r for r in rows if r["orphaned"]]
    assert (orphan["id"], orphan["revision"]) == (spans[DELETED_QUOTE].pk, 1)
