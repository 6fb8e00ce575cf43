"""Full-text `?q=` on the API lists, and the two similar-claims endpoints."""

import pytest

from tests.api_clients import client_for
from tests.factories import make_annotation, make_user
from tests.seeds import load_seeds, span

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

# Token lookup, the article's text, candidates sharing two words and (on five articles there
# are few) those sharing one, the passages' titles, their annotations, the reader's groups
# (which statuses they may see).
SIMILAR_SELECTION_QUERIES = 7
# The same, with the annotation and its evidence (read as the detail endpoint reads it).
SIMILAR_ANNOTATION_QUERIES = 9


@pytest.fixture
def client(db):
    client = client_for(make_user("reader", groups=("reviewer",)))
    assert client.get("/api/v1/articles/").status_code == 200  # records last_used
    return client


@pytest.fixture
def seeds(db):
    return load_seeds()


def test_kursk_finds_001_and_004_with_the_words_in_context(client, seeds):
    body = client.get("/api/v1/articles/", {"q": "Kursk"}).json()
    assert sorted(a["id"] for a in body["results"]) == sorted([seeds["001"].pk, seeds["004"].pk])
    for article in body["results"]:
        snippet = article["snippet"]
        assert [snippet["text"][a:b] for a, b in snippet["marks"]] == ["Kursk"]
    assert client.get("/api/v1/articles/").json()["results"][0]["snippet"] is None


def test_annotation_search_covers_quotes_and_notes(client, seeds, reviewer):
    a = make_annotation(
        seeds["001"], reviewer, "nearly 50,000-strong enemy group", note="Zelenskiy's own figure"
    )
    make_annotation(seeds["004"], reviewer, "50,000 soldiers")
    assert [
        x["id"]
        for x in client.get("/api/v1/annotations/", {"q": "zelenskiy figure"}).json()["results"]
    ] == [a.pk]
    assert len(client.get("/api/v1/annotations/", {"q": "50,000"}).json()["results"]) == 2
    assert client.get("/api/v1/annotations/", {"q": '"*('}).status_code == 200


def test_similar_for_an_annotation(client, seeds, reviewer, django_assert_num_queries):
    a = make_annotation(seeds["004"], reviewer, "50,000 soldiers")
    given = make_annotation(
        seeds["001"], reviewer, "nearly 50,000-strong enemy group", verdict="disputed"
    )
    with django_assert_num_queries(SIMILAR_ANNOTATION_QUERIES):
        response = client.get(f"/api/v1/annotations/{a.pk}/similar/", {"limit": 5})
    assert response.status_code == 200
    results = response.json()["results"]
    assert set(results[0]) == {"article", "start", "end", "quote", "score", "annotations"}
    hit = next(r for r in results if r["annotations"])
    assert hit["article"] == seeds["001"].pk
    assert hit["annotations"] == [{"id": given.pk, "verdict": "disputed", "status": "pending"}]
    assert seeds["001"].text[hit["start"] : hit["end"]] == hit["quote"]
    assert all(r["article"] != seeds["004"].pk for r in results)


def test_similar_shows_a_reader_without_a_role_approved_verdicts_only(seeds, reviewer):
    a = make_annotation(seeds["004"], reviewer, "50,000 soldiers")
    make_annotation(seeds["001"], reviewer, "nearly 50,000-strong enemy group", verdict="disputed")
    consumer = client_for(make_user("cms", groups=()))
    assert consumer.get(f"/api/v1/annotations/{a.pk}/similar/").status_code == 404
    start, end = span(seeds["004"], "50,000 soldiers")
    response = consumer.get(
        f"/api/v1/articles/{seeds['004'].pk}/similar/", {"start": start, "end": end}
    )
    assert response.status_code == 200 and response.json()["results"]
    assert all(not r["annotations"] for r in response.json()["results"])


def test_similar_for_a_selection(client, seeds, django_assert_num_queries):
    start, end = span(seeds["000"], "90-minute call")
    with django_assert_num_queries(SIMILAR_SELECTION_QUERIES):
        response = client.get(
            f"/api/v1/articles/{seeds['000'].pk}/similar/", {"start": start, "end": end}
        )
    results = response.json()["results"]
    assert any("90-minute conversation" in r["quote"] for r in results[:5])
    assert response.json()["threshold"] == 0.5


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"start": 5},
        {"start": "x", "end": 9},
        {"start": 0, "end": 2**31},
        {"start": 0, "end": 5, "limit": 0},
        {"start": 0, "end": 5, "min_score": 2},
    ],
)
def test_bad_selections_are_400(client, seeds, params):
    response = client.get(f"/api/v1/articles/{seeds['000'].pk}/similar/", params)
    assert response.status_code == 400
    assert response.json()


@pytest.mark.parametrize("params", [{"start": 9, "end": 5}, {"start": 0, "end": 10**9}])
def test_selections_outside_the_text_are_422(client, seeds, params):
    response = client.get(f"/api/v1/articles/{seeds['000'].pk}/similar/", params)
    assert response.status_code == 422
    assert "outside" in response.json()["start"][0]


def test_unknown_ids_are_404(client, seeds):
    assert client.get("/api/v1/annotations/999999/similar/").status_code == 404
    assert client.get("/api/v1/articles/999999/similar/?start=0&end=2").status_code == 404
    assert client.get(f"/api/v1/annotations/{2**63}/similar/").status_code == 404
