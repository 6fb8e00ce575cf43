import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_python(*args, **env):
    """Run Python in a clean environment holding only PATH and `env`."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", ""), **env},
    )


def run_manage(*args, **env):
    return run_python("manage.py", *args, **env)


def test_deploy_check_is_clean_in_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x" * 64 + "-production-key-for-the-check",
        ALLOWED_HOSTS="factcheck.example.org",
        WORKBENCH_ORG_URL="https://factcheck.example.org/",
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("org_url", ["", "http://127.0.0.1:8000/", "http://localhost/"])
def test_deploy_check_warns_when_the_organisation_url_is_not_public(org_url):
    result = run_manage(
        "check",
        "--deploy",
        DEBUG="0",
        SECRET_KEY="x" * 64 + "-production-key-for-the-check",
        ALLOWED_HOSTS="factcheck.example.org",
        WORKBENCH_ORG_URL=org_url,
    )
    assert "annotations.W001" in result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key():
    result = run_manage("check", DEBUG="0", ALLOWED_HOSTS="factcheck.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_sqlite_runs_in_wal_mode(tmp_path):
    code = (
        "import django; django.setup();"
        "from django.db import connection;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    result = run_python(
        "-c",
        code,
        DJANGO_SETTINGS_MODULE="workbench.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'wal.sqlite3'}",
    )
    assert result.stdout.strip() == "wal", result.stderr


REDIS_PROBE = """
import django
django.setup()
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from importlib import import_module
call_command("migrate", verbosity=0)
print(settings.CACHES["default"]["BACKEND"])
print(settings.SESSION_ENGINE)
cache.set("probe", "from redis", 30)
print(cache.get("probe"))
store = import_module(settings.SESSION_ENGINE).SessionStore()
store["reviewer"] = 7
store.save()
cache.clear()  # the database copy must still hold the session
print(import_module(settings.SESSION_ENGINE).SessionStore(store.session_key)["reviewer"])
"""


def redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


def test_redis_url_enables_the_redis_cache_and_cached_db_sessions(tmp_path):
    if not redis_is_up():
        if os.environ.get("CI") == "true":
            raise AssertionError("CI needs Redis on 127.0.0.1:6379 for this test")
        pytest.skip("no Redis on 127.0.0.1:6379")
    result = run_python(
        "-c",
        REDIS_PROBE,
        DJANGO_SETTINGS_MODULE="workbench.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'redis.sqlite3'}",
        # Database 15, away from anything else on this Redis.
        REDIS_URL="redis://127.0.0.1:6379/15",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:4] == [
        "django.core.cache.backends.redis.RedisCache",
        "django.contrib.sessions.backends.cached_db",
        "from redis",
        "7",
    ]


def test_without_redis_url_sessions_live_in_the_database():
    from django.conf import settings

    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")
