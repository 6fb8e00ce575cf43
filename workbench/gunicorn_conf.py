"""gunicorn settings for `make serve` (`--config python:workbench.gunicorn_conf`).

gunicorn answers a request it cannot parse itself, before the app sees it: 400 for a
malformed request, 414 for a request line over `limit_request_line` (4,094 bytes), 431
for too many or too large headers. It writes those as a short HTML page; here they are a
JSON body `{"detail": "..."}` like every other API error, so a client of `/api/` reads
them the same way (the path is not known yet when the line itself is too long, so every
such answer is JSON; a browser never sends such a request).

A response with `Connection: close` from the app (a 413 whose body was left unread, see
workbench/bodylimit.py) closes the connection and says so: gunicorn would otherwise drop
that hop-by-hop header, answer `Connection: keep-alive`, and then close anyway when the
unread body is over the 64 KiB it drains."""

from __future__ import annotations

import json

from gunicorn import util
from gunicorn.http import wsgi


def write_json_error(sock, status_int: int, reason: str, mesg: str) -> None:
    body = json.dumps({"detail": f"{reason}: {mesg}" if mesg else reason}).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        "\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


# Worker.handle_error looks the function up on the module at each call.
util.write_error = write_json_error

_process_headers = wsgi.Response.process_headers


def process_headers(self, headers):
    if any(n.lower() == "connection" and v.strip().lower() == "close" for n, v in headers):
        self.force_close()
    return _process_headers(self, headers)


wsgi.Response.process_headers = process_headers
