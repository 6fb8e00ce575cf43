"""Data and helpers shared by the export tests: an approved dataset of every verdict with
awkward text, and a way to read a streamed export. Its `dataset` fixture is registered in
tests/conftest.py."""

import json

import pytest

from annotations import services
from annotations.models import Annotation
from tests.factories import make_annotation, make_article

URL = "/api/v1/export/"
FILES = ["annotations.jsonl", "annotations.jsonld", "claimreview.json", "annotations.csv"]

TEXT = (
    "Minister: “Unemployment fell to 3 % in 2025.” Critics said =SUM(A1) was a trick.\n"
    "Emoji 😀 and café stay one code point each; the bridge cost 42 million euros.\n"
    "@handles and -dashes start cells; +plus too. Some think it was the best decision.\n"
)
PHRASES = [
    ("Unemployment fell to 3 % in 2025", "disputed"),
    ("=SUM(A1)", "opinion"),
    ("Emoji 😀 and café", "verified"),
    ("42 million euros", "verified"),
    ("@handles and -dashes", "disputed"),
    ("it was the best decision", "opinion"),
]


def approve(annotation, editor):
    return services.annotation_review(
        annotation_id=annotation.pk, editor=editor, decision="approve", expected_version=None
    )


def make_dataset(reviewer, editor, *, articles: int = 3) -> list[Annotation]:
    """Approved annotations of every verdict, with notes, evidence, Unicode and formula-like
    text, on articles with and without an original URL and date."""
    made = []
    for n in range(articles):
        article = make_article(
            TEXT + f"Article number {n}.\n",
            url=f"https://news.example/{n}" if n % 2 == 0 else "",
            source="Example Times" if n % 2 == 0 else "",
            published=None if n % 2 else "2026-02-0" + str(n + 1),
        )
        for i, (phrase, verdict) in enumerate(PHRASES):
            evidence = [
                {"url": f"https://evidence.example/{n}/{i}/{k}", "title": f"Source {k}"}
                for k in range(i % 3)
            ]
            if verdict == "disputed" and not evidence:
                evidence = [{"url": "https://evidence.example/d", "title": "-1 trick"}]
            note = "" if i % 2 else f"Note {i}: see “the record”."
            made.append(
                approve(
                    make_annotation(
                        article, reviewer, phrase, verdict=verdict, note=note, evidence=evidence
                    ),
                    editor,
                )
            )
    return made


@pytest.fixture
def dataset(reviewer, editor):
    return make_dataset(reviewer, editor)


def get(client, name, **params):
    response = client.get(URL + name, params)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def jsonl(body: bytes) -> list[dict]:
    return [json.loads(line) for line in body.decode().splitlines()]


def ids(body: bytes) -> list[int]:
    return [a["id"] for a in jsonl(body)]
