"""Export reads go to the read replica when DATABASE_REPLICA_URL is set; nothing else does.
The export selector chooses it explicitly (`.using()`); the router only keeps migrate off it."""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotations import selectors
from workbench.routers import ReplicaRouter

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def with_replica(settings, monkeypatch):
    monkeypatch.setitem(settings.DATABASES, "replica", dict(settings.DATABASES["default"]))


def test_exports_read_the_replica_when_there_is_one(with_replica):
    assert selectors.export_database() == "replica"
    assert selectors.annotation_export_queryset().db == "replica"


def test_without_a_replica_exports_read_the_primary():
    assert selectors.export_database() == "default"
    assert selectors.annotation_export_queryset().db == "default"


def test_the_replica_is_never_migrated():
    router = ReplicaRouter()
    assert router.allow_migrate("replica", "annotations") is False
    assert router.allow_migrate("default", "annotations") is None


SETUP = """
import django
django.setup()
from django.core.management import call_command
from annotations import services
from tests.factories import make_annotation, make_article, make_user
call_command("migrate", verbosity=0)
article = make_article(title="on the primary")
reviewer = make_user("rita", groups=("reviewer",))
editor = make_user("edna", groups=("editor",))
a = make_annotation(article, reviewer, "42 million euros", verdict="opinion")
services.annotation_review(annotation_id=a.pk, editor=editor, decision="approve",
                           expected_version=1)
"""

SERVE = """
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
client = Client()
client.force_login(get_user_model().objects.get(username="rita"))
export = client.get("/api/v1/export/annotations.jsonl")
print(b"".join(export.streaming_content).decode().count('"note":"from the replica"'))
print(client.get("/api/v1/articles/").json()["results"][0]["title"])
"""


def test_a_configured_replica_serves_the_export_requests(tmp_path):
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "workbench.settings",
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{primary}",
        "REQUEST_LOG": "0",
    }
    subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True, timeout=120)
    shutil.copy(primary, replica)
    # Tell the two apart: the replica's copies get another note and title.
    with sqlite3.connect(replica) as db:
        db.execute("UPDATE annotations_annotation SET note = 'from the replica'")
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
    assert result.stdout.splitlines() == ["1", "on the primary"]
