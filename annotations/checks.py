"""System checks for publishing: ClaimReview names the fact-checking organisation, so a
deployment must say who that is rather than fall back to the site's own address."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "testserver"}


@register(Tags.security, deploy=True)
def organisation_url(app_configs, **kwargs) -> list[Warning]:
    url = settings.WORKBENCH_ORG_URL
    host = (urlsplit(url).hostname or "") if url else ""
    if not url or host in LOCAL_HOSTS or host.endswith(".localhost"):
        return [
            Warning(
                "WORKBENCH_ORG_URL is not a public address: ClaimReview's author.url "
                "will name this site's own address as the request reached it.",
                hint="Set WORKBENCH_ORG_URL (and WORKBENCH_ORG_NAME) to the organisation's "
                "home page, e.g. https://factchecks.example.org/.",
                id="annotations.W001",
            )
        ]
    return []
