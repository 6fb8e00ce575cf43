"""Health of this app process as a load balancer needs it: database reachable, schema current."""

from __future__ import annotations

from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor


def database_problem(alias: str = "default") -> str | None:
    """None when the database answers and every migration is applied, else a short reason."""
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "database unreachable"
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return "database unreachable"
    if pending:
        return "migrations pending"
    return None
