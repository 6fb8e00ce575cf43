"""Turn a ReviewEvent's stored before/after into rows a person can read."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Status, Verdict

FIELD_LABELS = {
    "verdict": "Verdict",
    "note": "Note",
    "evidence": "Evidence",
    "status": "Status",
    "start": "Start",
    "end": "End",
    "quote": "Quote",
    "deleted": "Withdrawn",
    "orphaned": "Orphaned",
    "revision": "Article revision",
}
# The order a reader expects: what was said first, then how it stands.
FIELD_ORDER = ["verdict", "note", "evidence", "status", "quote", "start", "end"]
_CHOICE_LABELS = {"verdict": dict(Verdict.choices), "status": dict(Status.choices)}


@dataclass(frozen=True)
class Value:
    """One side of a change: plain text, or a list of evidence links."""

    text: str = ""
    links: list[dict] = field(default_factory=list)
    empty: bool = False


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: Value
    after: Value


def _value(name: str, raw) -> Value:
    if raw is None or raw == "" or raw == []:
        return Value(empty=True)
    if name == "evidence" and isinstance(raw, list):
        links = [
            {"url": str(item.get("url", "")), "title": str(item.get("title", ""))}
            for item in raw
            if isinstance(item, dict)
        ]
        # Only http(s) becomes a link, whatever found its way into the stored history.
        safe = [link for link in links if link["url"].lower().startswith(("http://", "https://"))]
        if len(safe) < len(links):
            return Value(text=", ".join(link["url"] for link in links))
        return Value(links=safe)
    if isinstance(raw, bool):
        return Value(text="yes" if raw else "no")
    return Value(text=_CHOICE_LABELS.get(name, {}).get(raw, str(raw)))


def describe_changes(changes: dict | None) -> list[FieldChange]:
    """Rows for each changed field, known fields first in reading order."""
    if not isinstance(changes, dict):
        return []

    def order(name: str) -> tuple[int, str]:
        return (FIELD_ORDER.index(name) if name in FIELD_ORDER else len(FIELD_ORDER), name)

    rows = []
    for name in sorted(changes, key=order):
        change = changes[name]
        if not isinstance(change, dict):
            continue
        before, after = _value(name, change.get("before")), _value(name, change.get("after"))
        if before.empty and after.empty:
            continue  # e.g. created without evidence: nothing to show
        rows.append(
            FieldChange(
                name=name,
                label=FIELD_LABELS.get(name, name.replace("_", " ").capitalize()),
                before=before,
                after=after,
            )
        )
    return rows
