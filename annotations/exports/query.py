"""What an export reads: the annotation list's filters (status defaults to approved, `all`
lifts it), turned into a queryset and then into chunks of rows for a format."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping

import django_filters
from django.conf import settings
from django.db import DatabaseError
from django.db.models import QuerySet
from django.utils import timezone

from .. import policy, selectors
from ..api.filters import AnnotationFilter
from ..lib.isotime import iso
from ..models import Annotation, Status
from ..policy import STATUS_ALL
from . import mapping
from .streaming import ExportFormat

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class ExportFilter(AnnotationFilter):
    """The annotation list's filters; `status=all` lifts the status filter (editors only)."""

    status = django_filters.ChoiceFilter(
        choices=[*Status.choices, (STATUS_ALL, "All")], method="filter_status"
    )

    def filter_status(self, queryset, name, value):
        if value == STATUS_ALL:
            return queryset
        return selectors.filter_status(queryset, value)


class ExportError(Exception):
    """Bad export parameters: `detail` is a field -> messages mapping, shown as is."""

    def __init__(self, detail: dict):
        super().__init__(detail)
        self.detail = detail


def parse_flag(value: str | None, *, name: str) -> bool:
    """1/0, true/false, yes/no; absent is False, present but empty is an error (as for
    every filter: give a value, or leave the parameter out)."""
    if value is None:
        return False
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ExportError({name: ["Use 1 or 0 (true or false)."]})


def export_queryset(
    params: Mapping[str, str], *, statuses: frozenset[str] | None = None
) -> QuerySet[Annotation]:
    """Filter live annotations by the list's query parameters; status defaults to approved.
    `statuses` (policy.visible_statuses) limits what `all` lifts to; None: every status."""
    data = {key: params[key] for key in params}
    data.setdefault("status", Status.APPROVED)
    errors: dict = {}
    try:
        include_orphans = parse_flag(data.pop("include_orphans", None), name="include_orphans")
    except ExportError as error:
        errors |= error.detail
        include_orphans = False
    filterset = ExportFilter(
        data=data, queryset=selectors.annotation_export_queryset(include_orphans=include_orphans)
    )
    if not filterset.is_valid():
        errors |= {name: list(messages) for name, messages in filterset.errors.items()}
    if errors:
        raise ExportError(errors)
    if statuses is None:
        return filterset.qs
    return selectors.with_visible_status(filterset.qs, statuses=statuses)


def export_context(base_url: str) -> mapping.ExportContext:
    base = base_url.rstrip("/")
    return mapping.ExportContext(
        base_url=base,
        generated=iso(timezone.now()),
        org_name=settings.WORKBENCH_ORG_NAME,
        org_url=settings.WORKBENCH_ORG_URL or f"{base}/",
        public=policy.public_site_on(),
    )


class ReadAhead:
    """Chunks with the first one already read. `close()` ends the database cursor at once,
    in the request, rather than whenever the garbage collector gets to it."""

    def __init__(self, first, rest: Iterator):
        self._first, self._rest = first, rest

    def __iter__(self):
        return self

    def __next__(self):
        if self._first is not None:
            first, self._first = self._first, None
            return first
        return next(self._rest)

    def close(self) -> None:
        self._first = None
        # After a database error the transaction may refuse even the cursor's CLOSE.
        with contextlib.suppress(DatabaseError):
            self._rest.close()


def export_chunks(fmt: ExportFormat, qs: QuerySet[Annotation]) -> ReadAhead:
    """The rows of an export, the first chunk already read: the query runs (and any error
    in it is raised) before the response starts, not after a 200 and the first bytes."""
    if fmt.verdicts is not None:
        qs = qs.filter(verdict__in=fmt.verdicts)
    chunks = iter(selectors.annotation_export_chunks(qs, article_fields=fmt.article_fields))
    return ReadAhead(next(chunks, None), chunks)
