"""Pure: ISO 8601 as the REST API writes it, UTC with `Z` for datetimes, plain for dates."""

from __future__ import annotations

from datetime import UTC, date, datetime


def iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not UTC:
            value = value.astimezone(UTC)
        return value.isoformat()[:-6] + "Z"  # "+00:00" -> "Z"
    return value.isoformat()
