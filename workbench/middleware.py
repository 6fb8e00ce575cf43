"""Project-wide middleware: request log, health check, request body limit."""

from __future__ import annotations

import json
import logging
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils.functional import SimpleLazyObject, empty

from .health import database_problem

request_log = logging.getLogger("workbench.request")


def _user_id(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)
    # Never load the user just to log it: that would add queries to requests that had none.
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return None
    return user.pk if user.is_authenticated else None


class RequestLogMiddleware:
    """One JSON line per request on stdout: user id, method, path, status, duration in ms."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        if request_log.isEnabledFor(logging.INFO):
            line = {
                "user": _user_id(request),
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                # For a streamed body this is the time to the first byte.
                "ms": round((time.perf_counter() - started) * 1000, 1),
            }
            request_log.info(json.dumps(line, separators=(",", ":")))
        return response


class HealthCheckMiddleware:
    """GET /healthz: 200 when the database answers and migrations are applied, else 503.

    Answered here, before host validation and the SSL redirect, because load balancers
    probe by IP address over plain HTTP. No auth, and nothing about the data.
    """

    path = "/healthz"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path != self.path:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        problem = database_problem()
        response = JsonResponse(
            {"status": "ok"} if problem is None else {"status": "unavailable", "reason": problem},
            status=200 if problem is None else 503,
        )
        response["Cache-Control"] = "no-store"
        return response


class BodySizeLimitMiddleware:
    """Refuse a request body over DATA_UPLOAD_MAX_MEMORY_SIZE with 413, before anything reads it.

    Django checks the limit only when request.POST or request.body is read; REST framework's
    parsers read the stream directly, so the API needs this.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse("Bad Content-Length.", status=400, content_type="text/plain")
        if limit is not None and length > limit:
            message = f"Request body too large (limit {limit} bytes)."
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain")
        return self.get_response(request)
