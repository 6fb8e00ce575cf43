"""Export reads go to the read replica when DATABASE_REPLICA_URL is set; nothing else does."""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from annotations.models import Article
from workbench.routers import ExportReplicaMiddleware, ExportReplicaRouter

ROOT = Path(__file__).resolve().parent.parent
router = ExportReplicaRouter()


@pytest.fixture
def with_replica(settings, monkeypatch):
    monkeypatch.setitem(settings.DATABASES, "replica", dict(settings.DATABASES["default"]))


def stream_of_read_targets(request):
    return StreamingHttpResponse(str(router.db_for_read(Article)) for _ in range(2))


# Closing a response sends request_finished, which checks the database connections.
@pytest.mark.django_db
def test_export_reads_go_to_the_replica_until_the_response_closes(with_replica):
    middleware = ExportReplicaMiddleware(stream_of_read_targets)
    response = middleware(RequestFactory().get("/api/v1/export/annotations.jsonl"))
    assert b"".join(response.streaming_content) == b"replicareplica"
    response.close()
    assert router.db_for_read(Article) is None


@pytest.mark.django_db
def test_other_reads_and_all_writes_stay_on_the_primary(with_replica):
    middleware = ExportReplicaMiddleware(stream_of_read_targets)
    response = middleware(RequestFactory().get("/api/v1/annotations/"))
    assert b"".join(response.streaming_content) == b"NoneNone"
    response = ExportReplicaMiddleware(lambda r: HttpResponse(router.db_for_write(Article)))(
        RequestFactory().get("/api/v1/export/annotations.jsonl")
    )
    assert response.content == b"None"
    response.close()


@pytest.mark.django_db
def test_without_a_replica_exports_read_the_primary():
    middleware = ExportReplicaMiddleware(stream_of_read_targets)
    response = middleware(RequestFactory().get("/api/v1/export/annotations.jsonl"))
    assert b"".join(response.streaming_content) == b"NoneNone"
    response.close()


def test_the_replica_is_never_migrated():
    assert router.allow_migrate("replica", "annotations") is False
    assert router.allow_migrate("default", "annotations") is None


SETUP = """
import django
django.setup()
from django.core.management import call_command
from tests.factories import make_article
call_command("migrate", verbosity=0)
make_article(title="on the primary")
"""

SERVE = """
import django
django.setup()
from django.test import Client
from django.test.utils import override_settings
with override_settings(ROOT_URLCONF="tests.urls_replica"):
    client = Client()
    print(b"".join(client.get("/api/v1/export/titles.txt").streaming_content).decode().strip())
    print(b"".join(client.get("/titles.txt").streaming_content).decode().strip())
"""


def test_a_configured_replica_serves_the_export_requests(tmp_path):
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "workbench.settings",
        "DATABASE_URL": f"sqlite:///{primary}",
        "REQUEST_LOG": "0",
    }
    subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True, timeout=120)
    shutil.copy(primary, replica)
    # Tell the two apart: the replica's copy of the article gets another title.
    with sqlite3.connect(replica) as db:
        db.execute("UPDATE annotations_article SET title = 'on the replica'")
    result = subprocess.run(
        [sys.executable, "-c", SERVE],
        cwd=ROOT,
        env={**env, "DATABASE_REPLICA_URL": f"sqlite:///{replica}"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["on the replica", "on the primary"]
