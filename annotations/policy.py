"""Who may do what. Roles are the Django groups `reviewer` and `editor`."""

from __future__ import annotations

from .models import EDITOR_GROUP, REVIEWER_GROUP


def _groups(user) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_workbench_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._workbench_groups = cached
    return cached


def is_editor(user) -> bool:
    return EDITOR_GROUP in _groups(user)


def can_annotate(user) -> bool:
    """Reviewers annotate; an editor may also review."""
    return bool(_groups(user) & {REVIEWER_GROUP, EDITOR_GROUP})
