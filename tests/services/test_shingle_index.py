"""The near-duplicate index: an import looks shingles up instead of re-reading texts."""

import pytest

from annotations import services
from annotations.lib import dedupe
from annotations.models import Article, ArticleShingle, ArticleShingles
from annotations.services import shingles
from tests.factories import make_article

pytestmark = pytest.mark.django_db

WORDS = [f"w{n}" for n in range(400)]
BODY = " ".join(WORDS)


def load(text: str, name: str):
    return services.article_import(raw=f"Title {name}\n\n{text}\n".encode(), source_file=name)


def test_import_indexes_the_article_and_finds_a_contained_copy():
    first = load(BODY, "a.txt").article
    index = ArticleShingles.objects.get(article=first)
    assert index.size == len(dedupe.shingles(first.text))
    assert ArticleShingle.objects.filter(article=first).count() == index.size
    copy = load(" ".join(WORDS[50:300]), "b.txt")
    assert copy.near_duplicate_of == first
    other = load(" ".join(f"x{n}" for n in range(300)), "c.txt")
    assert other.near_duplicate_of is None


def test_the_index_gives_what_a_full_comparison_gives():
    texts = [" ".join(WORDS[i : i + 120]) for i in range(0, 400, 60)]
    made = [load(t, f"{n}.txt") for n, t in enumerate(texts)]
    for n, result in enumerate(made):
        mine = dedupe.shingles(result.article.text)
        earlier = [r.article for r in made[:n]]
        expected = next(
            (a for a in earlier if dedupe.is_near_duplicate(mine, dedupe.shingles(a.text))), None
        )
        assert result.near_duplicate_of == expected


def test_an_import_does_not_read_stored_texts(django_assert_max_num_queries, monkeypatch):
    for n in range(20):
        load(" ".join(f"a{n}x{k}" for k in range(200)), f"{n}.txt")
    calls = []
    real = dedupe.shingles
    monkeypatch.setattr(dedupe, "shingles", lambda text, *a: calls.append(len(text)) or real(text))
    result = load(" ".join(WORDS[:200]), "new.txt")
    assert result.created
    # Only the new file is shingled; no stored text is read back to be compared.
    assert calls == [len(result.article.text)]


def test_articles_from_before_the_index_are_indexed_once():
    old = make_article(BODY, title="old")
    assert not ArticleShingles.objects.filter(article=old).exists()
    copy = load(" ".join(WORDS[10:390]), "copy.txt")
    assert copy.near_duplicate_of == old
    assert ArticleShingles.objects.filter(article=old).exists()
    assert shingles.index_missing() == 0


def test_a_new_text_replaces_the_articles_shingles():
    article = load(BODY, "a.txt").article
    new_words = [f"z{n}" for n in range(300)]
    services.article_import(raw=("Title\n\n" + " ".join(new_words)).encode(), source_file="a.txt")
    article.refresh_from_db()
    stored = set(ArticleShingle.objects.filter(article=article).values_list("hash", flat=True))
    assert stored == {dedupe.as_signed(h) for h in dedupe.shingles(article.text)}
    assert Article.objects.count() == 1
