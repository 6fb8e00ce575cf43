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


class ChunkedBodyLimit:
    """Wraps the Django WSGI application (workbench/wsgi.py)."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
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
