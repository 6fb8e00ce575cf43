"""A reviewer's save racing a re-import of the same article, each on its own database
connection: the annotation ends re-anchored into the new text, or is refused; it never
stays at offsets into the old text. The article row lock is PostgreSQL's; SQLite takes
its one write lock at BEGIN (IMMEDIATE), so there the two cannot interleave at all."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from annotations.lib.text import parse_article
from annotations.models import Annotation, Article
from annotations.services import annotations as annotation_services
from annotations.services import articles as article_services
from tests.factories import make_article, make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

OLD = "The mayor said the bridge cost 42 million euros.\nCritics called it a waste.\n"
# A new first paragraph moves every offset: old offsets now point at other words.
NEW = "Updated at noon with the council's figures.\n" + OLD
PHRASE = "42 million euros"


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor == "sqlite":
        pytest.skip("needs two connections that can interleave: PostgreSQL")


def wait_for_a_lock_wait(seconds: float = 10) -> bool:
    """True once another connection of this test database waits on a lock."""
    import time

    stop = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < stop:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


def in_thread(target, results: dict, key: str) -> threading.Thread:
    def run():
        try:
            results[key] = target()
        except Exception as exc:  # noqa: BLE001 (the outcome is what the test checks)
            results[key] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def create_at_old_offsets(article: Article, reviewer):
    start = OLD.index(PHRASE)
    return annotation_services.annotation_create(
        article=article,  # read before the re-import: its text is the old one
        author=reviewer,
        start=start,
        end=start + len(PHRASE),
        quote=PHRASE,
        verdict="opinion",
    )


def reimport(article: Article):
    return article_services.article_replace_text(
        article_id=article.pk, parsed=parse_article(NEW, fallback_title="t")
    )


def assert_nothing_points_into_the_old_text(article: Article) -> None:
    article.refresh_from_db()
    assert article.revision == 2 and article.text.endswith(OLD)
    for a in Annotation.objects.filter(article=article):
        assert not a.orphaned
        assert a.revision == article.revision
        assert article.text[a.start : a.end] == a.quote


def test_a_create_behind_a_reimport_is_refused_not_stored_at_stale_offsets(monkeypatch):
    reviewer = make_user("rita", groups=("reviewer",))
    article = make_article(OLD)
    inside, release = threading.Event(), threading.Event()
    real_reanchor = article_services.anchoring.reanchor

    def slow_reanchor(*args, **kwargs):
        inside.set()  # the re-import holds the article row now
        release.wait(timeout=20)
        return real_reanchor(*args, **kwargs)

    monkeypatch.setattr(article_services.anchoring, "reanchor", slow_reanchor)
    results: dict = {}
    importer = in_thread(lambda: reimport(article), results, "import")
    assert inside.wait(timeout=20)
    creator = in_thread(lambda: create_at_old_offsets(article, reviewer), results, "create")
    blocked = wait_for_a_lock_wait()
    release.set()
    importer.join(timeout=30)
    creator.join(timeout=30)
    assert blocked, "the create did not wait for the re-import's lock on the article"
    assert not isinstance(results["import"], Exception), results["import"]
    # The old offsets now hold other words: the create is refused, nothing is stored.
    assert isinstance(results["create"], ValidationError), results["create"]
    assert "quote" in results["create"].message_dict
    assert not Annotation.objects.filter(article=article).exists()
    assert_nothing_points_into_the_old_text(article)


def test_a_reimport_behind_a_create_re_anchors_the_new_annotation(monkeypatch):
    reviewer = make_user("rita", groups=("reviewer",))
    article = make_article(OLD)
    inside, release = threading.Event(), threading.Event()
    real_check = annotation_services.check_span

    def slow_check(*args, **kwargs):
        inside.set()  # the create holds the article row now
        release.wait(timeout=20)
        return real_check(*args, **kwargs)

    monkeypatch.setattr(annotation_services, "check_span", slow_check)
    results: dict = {}
    creator = in_thread(lambda: create_at_old_offsets(article, reviewer), results, "create")
    assert inside.wait(timeout=20)
    importer = in_thread(lambda: reimport(article), results, "import")
    blocked = wait_for_a_lock_wait()
    release.set()
    creator.join(timeout=30)
    importer.join(timeout=30)
    assert blocked, "the re-import did not wait for the create's lock on the article"
    assert isinstance(results["create"], Annotation), results["create"]
    assert results["import"].reanchored.moved == 1
    moved = Annotation.objects.get(pk=results["create"].pk)
    assert (moved.start, moved.revision) == (NEW.index(PHRASE), 2)
    assert_nothing_points_into_the_old_text(article)
