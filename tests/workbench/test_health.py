"""/healthz for load balancers: 200 when the database answers and is migrated, 503 otherwise."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Runs in a fresh process against its own database, so "unreachable" and "not migrated"
# are real states, not mocks.
PROBE = """
import json, sys
import django
django.setup()
from django.core.management import call_command
from django.test import Client

def probe():
    r = Client().get("/healthz")
    return [r.status_code, json.loads(r.content)]

out = [probe()]
if sys.argv[1] == "migrate":
    call_command("migrate", verbosity=0)
    out.append(probe())
    call_command("migrate", "annotations", "0001", verbosity=0)
    out.append(probe())
print(json.dumps(out))
"""


def run_probe(database_url: str, mode: str):
    result = subprocess.run(
        [sys.executable, "-c", PROBE, mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "workbench.settings",
            "DEBUG": "1",
            "DATABASE_URL": database_url,
            "REQUEST_LOG": "0",
        },
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.django_db
def test_healthy_without_auth_cookies_or_data(client, reviewer, settings):
    # Load balancers probe by IP over plain HTTP: no host check, no SSL redirect.
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="10.20.30.40:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies


def test_healthz_only_answers_reads(client):
    assert client.post("/healthz").status_code == 405


def test_unmigrated_database_is_unhealthy_until_migrated(tmp_path):
    statuses = run_probe(f"sqlite:///{tmp_path / 'fresh.sqlite3'}", "migrate")
    assert statuses == [
        [503, {"status": "unavailable", "reason": "migrations pending"}],
        [200, {"status": "ok"}],
        [503, {"status": "unavailable", "reason": "migrations pending"}],
    ]


def test_unreachable_database_is_unhealthy(tmp_path):
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    statuses = run_probe("postgres://postgres@127.0.0.1:9/nothing", "once")
    assert statuses == [[503, {"status": "unavailable", "reason": "database unreachable"}]]
