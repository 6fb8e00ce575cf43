"""Request bodies sent with `Transfer-Encoding: chunked` carry no Content-Length, so Django
would read none of them (a JSON POST then fails as an empty body) and could not apply the
size limit. This WSGI wrapper reads such a body up to the limit first: over it is a 413,
under it the body is handed on with its length, as if it had been sent with one."""

from __future__ import annotations

import io
import json

from django.conf import settings

_READ = 64 * 1024


def _too_large(environ, start_response, limit: int):
    message = f"Request body too large (limit {limit} bytes)."
    if environ.get("PATH_INFO", "").startswith("/api/"):
        body, kind = json.dumps({"detail": message}).encode(), "application/json"
    else:
        body, kind = message.encode(), "text/plain; charset=utf-8"
    start_response(
        "413 Request Entity Too Large",
        [("Content-Type", kind), ("Content-Length", str(len(body)))],
    )
    return [body]


class CountingInput:
    """wsgi.input, counting the bytes the app read."""

    def __init__(self, stream):
        self.stream, self.read_bytes = stream, 0

    def _count(self, data: bytes) -> bytes:
        self.read_bytes += len(data)
        return data

    def read(self, *args):
        return self._count(self.stream.read(*args))

    def readline(self, *args):
        return self._count(self.stream.readline(*args))

    def readlines(self, *args):
        return [self._count(line) for line in self.stream.readlines(*args)]

    def __iter__(self):
        return (self._count(line) for line in self.stream)


def closing_unread(environ, start_response):
    """Under gunicorn, a response that leaves request body unread (a 413, a 401 before
    parsing) says `Connection: close` and closes: gunicorn drains at most 64 KiB before the
    next request, so it would say keep-alive and then close (RFC 9110 §15.5.14). Only
    gunicorn takes the header (workbench/gunicorn_conf.py); PEP 3333 servers such as
    runserver refuse hop-by-hop headers from an app."""
    if not environ.get("SERVER_SOFTWARE", "").startswith("gunicorn"):
        return start_response
    counted = environ["wsgi.input"] = CountingInput(environ["wsgi.input"])
    length = environ.get("CONTENT_LENGTH", "")
    expected = int(length) if length.isdigit() else 0

    def start(status, headers, exc_info=None):
        if status.startswith("413") or counted.read_bytes < expected:
            headers = [*headers, ("Connection", "close")]
        return start_response(status, headers, exc_info)

    return start


class ChunkedBodyLimit:
    """Wraps the Django WSGI application (workbench/wsgi.py)."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        start_response = closing_unread(environ, start_response)
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if not chunked or environ.get("CONTENT_LENGTH"):
            return self.app(environ, start_response)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        stream, body, size = environ["wsgi.input"], io.BytesIO(), 0
        while piece := stream.read(_READ):
            size += len(piece)
            if limit is not None and size > limit:
                return _too_large(environ, start_response, limit)
            body.write(piece)
        body.seek(0)
        environ["wsgi.input"] = body
        environ["CONTENT_LENGTH"] = str(size)
        return self.app(environ, start_response)
