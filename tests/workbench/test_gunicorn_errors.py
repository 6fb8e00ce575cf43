"""The errors gunicorn writes itself, before the app sees a request (a request line or
headers over its limits, a malformed request), are JSON like every other API error."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn as `make serve` starts it (same --config), DEBUG off."""
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('db') / 'unused.sqlite3'}",
        "STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
    }
    command = [sys.executable, "-m", "gunicorn", "workbench.wsgi"]
    command += ["--config", "python:workbench.gunicorn_conf", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "1", "--worker-class", "gthread", "--no-control-socket"]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, process.stderr.read().decode()
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
    yield port
    process.terminate()
    process.wait(timeout=30)


def raw(port: int, request: bytes) -> tuple[str, dict[str, str], bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines)}
    return status, headers, body


HOST = b"Host: 127.0.0.1\r\n"
END = b"\r\n\r\n"


@pytest.mark.parametrize(
    ("request_bytes", "code"),
    [
        (b"GET /api/v1/articles/?q=" + b"a" * 5000 + b" HTTP/1.1\r\n" + HOST + b"\r\n", 414),
        (b"GET /api/v1/articles/ HTTP/1.1\r\n" + HOST + b"X-Big: " + b"b" * 9000 + END, 431),
        (b"GET /api/v1/articles/ HTTP/9.9\r\n" + HOST + b"\r\n", 400),
    ],
    ids=["request-line-too-long", "header-too-large", "malformed"],
)
def test_gunicorn_answers_json(server, request_bytes, code):
    status, headers, body = raw(server, request_bytes)
    assert status.split()[1] == str(code)
    assert headers["content-type"] == "application/json"
    assert headers["connection"] == "close"
    assert int(headers["content-length"]) == len(body)
    assert json.loads(body)["detail"]


def test_make_serve_uses_the_json_errors():
    serve = (ROOT / "Makefile").read_text().split("\nserve:", 1)[1].split("\n\n", 1)[0]
    assert "--config python:workbench.gunicorn_conf" in serve


def response_and_close(port: int, head: bytes, body: bytes) -> tuple[str, dict, bool]:
    """Send a request whose body the app may not read; the answer, and whether the server
    then closed the connection (a second request on it gets no answer)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)

    def send():
        with contextlib.suppress(OSError):  # closed while the body was still going out
            sock.sendall(head + body)

    sender = threading.Thread(target=send)
    sender.start()
    data = b""
    while b"\r\n\r\n" not in data and (chunk := sock.recv(65536)):
        data += chunk
    sender.join(timeout=30)
    status, *lines = data.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines)}
    try:
        sock.sendall(b"GET /healthz HTTP/1.1\r\n" + HOST + b"\r\n")
        rest = b""
        while chunk := sock.recv(65536):
            rest += chunk
            if b"HTTP/1.1 " in rest:
                break
        closed = b"HTTP/1.1 " not in rest
    except OSError:
        closed = True
    sock.close()
    return status, headers, closed


@pytest.mark.parametrize(
    ("path", "code"),
    [("/api/v1/annotations/", 413), ("/api/v1/annotations/", 401)],
    ids=["over-the-limit", "refused-before-reading"],
)
def test_an_unread_body_closes_the_connection_and_says_so(server, path, code):
    body = b"x" * (3 * 1024 * 1024)  # over DATA_UPLOAD_MAX_MEMORY_SIZE (2 MiB)
    if code == 401:
        body = b"x" * (200 * 1024)  # under the limit, but no credentials: never read
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + ("Authorization: Token not-a-key\r\n" if code == 413 else "")
        + f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    status, headers, closed = response_and_close(server, head, body)
    assert status.split()[1] == str(code)
    assert headers["connection"] == "close"
    assert closed


def test_a_request_without_a_body_keeps_the_connection(server):
    head = b"GET /healthz HTTP/1.1\r\n" + HOST + b"\r\n"
    status, headers, closed = response_and_close(server, head, b"")
    assert headers["connection"] == "keep-alive"
    assert not closed
