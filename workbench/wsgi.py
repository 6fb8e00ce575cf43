"""WSGI entry point."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
django_application = get_wsgi_application()

from workbench.bodylimit import ChunkedBodyLimit  # noqa: E402  (needs the settings)

application = ChunkedBodyLimit(django_application)
