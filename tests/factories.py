"""Small factory functions for tests."""

from __future__ import annotations

import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from annotations import services
from annotations.lib.text import content_hash
from annotations.models import Article

_seq = itertools.count(1)

SAMPLE_TEXT = (
    "The mayor said the bridge cost “42 million euros” — far above the estimate.\n"
    "Critics called it a waste. Supporters said it was the best investment in decades.\n"
)


def make_user(username: str | None = None, *, groups: tuple[str, ...] = ("reviewer",), **extra):
    username = username or f"user{next(_seq)}"
    user = get_user_model().objects.create_user(
        username=username, password="pw-" + username, **extra
    )
    # get_or_create: transactional tests flush the groups the data migration made.
    user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in groups))
    return user


def make_article(text: str = SAMPLE_TEXT, *, title: str | None = None, **extra) -> Article:
    n = next(_seq)
    return Article.objects.create(
        title=title or f"Article {n}",
        text=text,
        content_hash=content_hash(text + f"#{n}"),
        **extra,
    )


def make_annotation(
    article: Article,
    author,
    phrase: str,
    *,
    verdict: str = "verified",
    note: str = "",
    evidence=None,
    occurrence: int = 0,
):
    start = -1
    for _ in range(occurrence + 1):
        start = article.text.index(phrase, start + 1)
    if evidence is None and verdict == "disputed":
        evidence = [{"url": "https://example.org/source", "title": "Source"}]
    return services.annotation_create(
        article=article,
        author=author,
        start=start,
        end=start + len(phrase),
        quote=phrase,
        verdict=verdict,
        note=note,
        evidence=evidence,
    )
