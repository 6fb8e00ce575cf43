"""Role checks for the API; the services check again, these give early, clear 403s."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from annotations.policy import can_annotate, is_editor


class CanAnnotate(BasePermission):
    message = "Only reviewers can create annotations."

    def has_permission(self, request, view) -> bool:
        return can_annotate(request.user)


class IsEditor(BasePermission):
    message = "Only editors decide on annotations."

    def has_permission(self, request, view) -> bool:
        return is_editor(request.user)
