from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_search_indexes(sender, using, plan=None, **kwargs) -> None:
    """Put back the text-index triggers a table rebuild may have dropped (SQLite)."""
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from .selectors import search_schema

    connection = connections[using]
    applied = MigrationRecorder(connection).applied_migrations()
    if ("annotations", "0005_search") in applied:
        search_schema.ensure(connection)


class AnnotationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "annotations"
    verbose_name = "Fact-check annotations"

    def ready(self) -> None:
        post_migrate.connect(ensure_search_indexes, sender=self)
        from . import checks  # noqa: F401 (registers the deploy checks)
