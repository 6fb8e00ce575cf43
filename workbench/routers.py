"""The read replica (DATABASE_REPLICA_URL) is never migrated: it copies the primary's
schema through replication. Which reads go there is chosen explicitly, with `.using()`
in the export selector (annotations.selectors.exports)."""

from __future__ import annotations

REPLICA = "replica"


class ReplicaRouter:
    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return False if db == REPLICA else None
