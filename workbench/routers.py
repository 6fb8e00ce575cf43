"""Read replica routing: the export endpoints read from "replica" when DATABASE_REPLICA_URL is set.

Exports are long streaming reads that can lag the primary by a moment without harm; every
other read, and every write, stays on "default".
"""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponseBase

REPLICA = "replica"

_export_reads: ContextVar[bool] = ContextVar("export_reads", default=False)


class ExportReplicaRouter:
    """Send reads made while serving an export to the replica, if there is one."""

    def db_for_read(self, model, **hints):
        if _export_reads.get() and REPLICA in connections.settings:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica copies the primary's schema through replication, never by migrate.
        return False if db == REPLICA else None


class ExportReplicaMiddleware:
    """Mark requests under REPLICA_PATH_PREFIXES as export reads until their response closes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path.startswith(tuple(settings.REPLICA_PATH_PREFIXES)):
            return self.get_response(request)
        _export_reads.set(True)
        response = self.get_response(request)
        # A streamed export is read from the database while the server iterates the body,
        # after this returns; the server closes the response when it is done.
        response._resource_closers.append(lambda: _export_reads.set(False))
        return response
