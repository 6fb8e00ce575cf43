"""Scale-out: two production app servers on one PostgreSQL share sessions and data.

Each server is a real gunicorn process with DEBUG=0, WhiteNoise and the collected static
files, pointed at the test database. The test is transactional, so what it writes is
committed and both servers see it; the servers stop before the test database is flushed.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.db import connection

from annotations.models import Annotation, ReviewEvent
from tests.factories import make_article, make_user
from workbench import settings as workbench_settings

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL (DATABASE_URL=postgres://...): both servers share one database",
    ),
]

SECRET_KEY = secrets.token_urlsafe(50)


def production_env(static_root: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on loopback: no TLS here, so no redirect to it.
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_ROOT": str(static_root),
    }


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("static")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=production_env(root),
        check=True,
        timeout=300,
    )
    return root


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def app_servers(static_root: Path, logs: list[Path]):
    """Start one gunicorn per log file, all at once; yield their base URLs once healthy."""
    env = {**production_env(static_root), "DATABASE_URL": database_url()}
    servers = []
    try:
        for log in logs:
            port = free_port()
            command = [sys.executable, "-m", "gunicorn", "workbench.wsgi"]
            command += ["--bind", f"127.0.0.1:{port}", "--workers", "1"]
            command += ["--worker-class", "gthread", "--threads", "2", "--no-control-socket"]
            with log.open("w") as out:
                process = subprocess.Popen(
                    command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
                )
            servers.append((process, f"http://127.0.0.1:{port}", log))
        deadline = time.monotonic() + 60
        for process, base, log in servers:
            while not healthy(base):
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "server not healthy\n" + log.read_text()
                time.sleep(0.2)
        yield [base for _, base, _ in servers]
    finally:
        for process, _, _ in servers:
            process.terminate()
        for process, _, _ in servers:
            process.wait(timeout=30)


def healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


class Browser:
    """Keeps cookies by hand: Secure cookies (DEBUG=0) must still go to our http:// servers."""

    def __init__(self):
        self.cookies: dict[str, str] = {}
        self.set_cookies: list[str] = []

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        headers = kwargs.pop("headers", {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = httpx.request(method, url, headers=headers, timeout=10, **kwargs)
        for raw in response.headers.get_list("set-cookie"):
            self.set_cookies.append(raw)
            for name, morsel in SimpleCookie(raw).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response


def form_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.mark.django_db(transaction=True)
def test_a_session_and_its_writes_work_across_two_app_servers(static_root, tmp_path, settings):
    settings.PASSWORD_HASHERS = workbench_settings.PASSWORD_HASHERS  # what the servers verify
    rita = make_user("rita", groups=("reviewer",))
    article = make_article(title="Bridge costs")
    start = article.text.index("waste")
    with app_servers(static_root, [tmp_path / "a.log", tmp_path / "b.log"]) as (a, b):
        browser = Browser()
        login_page = browser.request("GET", f"{a}/accounts/login/")
        assert "default-src 'self'" in login_page.headers["content-security-policy"]

        # Log in on A ...
        response = browser.request(
            "POST",
            f"{a}/accounts/login/",
            data={
                "username": "rita",
                "password": "pw-rita",
                "csrfmiddlewaretoken": form_token(login_page.text),
                "next": "/",
            },
        )
        assert response.status_code == 302 and response.headers["location"] == "/"
        session_cookie = next(c for c in browser.set_cookies if c.startswith("sessionid="))
        for flag in ("HttpOnly", "Secure", "SameSite=Lax"):
            assert flag in session_cookie

        # ... and B knows the session.
        page = browser.request("GET", f"{b}/")
        assert page.status_code == 200
        assert '<span class="who">rita</span>' in page.text

        # Static files come from WhiteNoise, hashed, cached for a year.
        css = re.search(r'href="(/static/annotations/workbench\.[0-9a-f]+\.css)"', page.text)
        assert css, "the stylesheet link should carry a content hash"
        static = httpx.get(f"{b}{css.group(1)}")
        assert static.status_code == 200
        assert "max-age=315360000" in static.headers["cache-control"]
        assert "immutable" in static.headers["cache-control"]

        # Edits: annotate on B, edit that annotation on A, each with the other's session.
        new = browser.request(
            "POST",
            f"{b}/articles/{article.pk}/annotations/new/",
            data={
                "csrfmiddlewaretoken": form_token(page.text),
                "start": start,
                "end": start + 5,
                "quote": "waste",
                "verdict": "opinion",
                "note": "written on B",
            },
        )
        assert new.status_code == 302, new.text
        created = Annotation.objects.get(article=article)
        edit = browser.request(
            "POST",
            f"{a}/annotations/{created.pk}/edit/",
            data={
                "csrfmiddlewaretoken": form_token(page.text),
                "verdict": "opinion",
                "note": "edited on A",
                "version": created.version,
            },
        )
        assert edit.status_code == 302, edit.text
        created.refresh_from_db()
        assert (created.note, created.version, created.author_id) == ("edited on A", 2, rita.pk)
        assert list(
            ReviewEvent.objects.filter(annotation=created)
            .order_by("id")
            .values_list("action", flat=True)
        ) == ["created", "edited"]
        assert "edited on A" in browser.request("GET", f"{b}/articles/{article.pk}/").text

        # A write on B (logging out deletes the session row) holds on A.
        logout = browser.request(
            "POST", f"{b}/accounts/logout/", data={"csrfmiddlewaretoken": form_token(page.text)}
        )
        assert logout.status_code == 302
        assert browser.request("GET", f"{a}/").status_code == 302

        # Production error pages: our own 404, nothing about the code or settings.
        missing = browser.request("GET", f"{a}/no-such-page/")
        assert missing.status_code == 404 and "Page not found" in missing.text
        assert "Traceback" not in missing.text and SECRET_KEY not in missing.text

    # One JSON line per request on each server's stdout, with the user once logged in.
    lines = [
        json.loads(line)
        for name in ("a.log", "b.log")
        for line in (tmp_path / name).read_text().splitlines()
        if line.startswith("{")
    ]
    assert {"user": rita.pk, "method": "GET", "path": "/", "status": 200} in [
        {k: v for k, v in line.items() if k != "ms"} for line in lines
    ]
