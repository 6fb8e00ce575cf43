"""List endpoints answer in a fixed number of queries, however many rows they return."""

import pytest
from rest_framework.test import APIClient

from annotations import services
from annotations.models import Annotation, EvidenceLink, Verdict
from tests.factories import make_article, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

# Token lookup (joined with its user), the user's roles (which statuses they may see,
# policy.visible_statuses), the page of rows, and their evidence links.
ANNOTATION_LIST_QUERIES = 4
# Token lookup, and the articles with their counts in one aggregate query.
ARTICLE_LIST_QUERIES = 2


@pytest.fixture
def client(db):
    user = make_user("reader", groups=("reviewer",))
    _, key = services.api_token_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    # The first use records last_used (a write, at most every few minutes); warm it up.
    assert client.get("/api/v1/articles/").status_code == 200
    return client


def seed_annotations(count: int) -> None:
    """Rows straight into the tables: the services are tested elsewhere, and this is fast."""
    authors = [make_user(groups=("reviewer",)) for _ in range(3)]
    articles = [make_article() for _ in range(3)]
    verdicts = list(Verdict.values)
    rows = []
    for i in range(count):
        article = articles[i % 3]
        rows.append(
            Annotation(
                article=article,
                author=authors[i % 3],
                start=4,
                end=9,
                quote=article.text[4:9],
                verdict=verdicts[i % 3],
            )
        )
    made = Annotation.objects.bulk_create(rows)
    EvidenceLink.objects.bulk_create(
        EvidenceLink(annotation=a, url=f"https://example.org/{a.pk}/{n}")
        for a in made
        for n in range(2)
    )


@pytest.mark.parametrize("count", [0, 1, 100, 1000])
def test_annotation_list_query_count_is_constant(client, django_assert_num_queries, count):
    seed_annotations(count)
    # With no rows there are no evidence links to fetch.
    expected = ANNOTATION_LIST_QUERIES if count else ANNOTATION_LIST_QUERIES - 1
    with django_assert_num_queries(expected):
        response = client.get("/api/v1/annotations/", {"page_size": 1000})
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == count
    assert all(len(r["evidence"]) == 2 and r["author"] for r in results)


@pytest.mark.parametrize("count", [0, 1, 100, 1000])
def test_filtered_annotation_list_query_count_is_constant(client, django_assert_num_queries, count):
    seed_annotations(count)
    expected = ANNOTATION_LIST_QUERIES if count else ANNOTATION_LIST_QUERIES - 1
    with django_assert_num_queries(expected):
        response = client.get(
            "/api/v1/annotations/",
            {"verdict": "verified", "status": "pending", "updated_after": "2000-01-01T00:00:00Z"},
        )
    assert response.status_code == 200
    assert len(response.json()["results"]) == min(100, (count + 2) // 3)


@pytest.mark.parametrize("count", [0, 1, 100, 1000])
def test_article_list_query_count_is_constant(client, django_assert_num_queries, count):
    seed_annotations(count)
    with django_assert_num_queries(ARTICLE_LIST_QUERIES):
        response = client.get("/api/v1/articles/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert sum(sum(a["verdict_counts"].values()) for a in rows) == count


@pytest.mark.parametrize("edits", [0, 1, 50])
def test_history_query_count_is_constant(client, django_assert_num_queries, edits):
    author = make_user("author", groups=("reviewer",))
    article = make_article()
    annotation = services.annotation_create(
        article=article, author=author, start=4, end=9, quote=article.text[4:9], verdict="opinion"
    )
    for n in range(edits):
        services.annotation_update(
            annotation_id=annotation.pk, actor=author, expected_version=n + 1, note=f"v{n}"
        )
    # Token, the annotation's status, the reader's roles (may they see that status?), and
    # the events joined with their actors.
    with django_assert_num_queries(4):
        response = client.get(f"/api/v1/annotations/{annotation.pk}/history/")
    assert len(response.json()["results"]) == edits + 1
