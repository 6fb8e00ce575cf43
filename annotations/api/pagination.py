"""Cursor paging in id order: {"next", "previous", "results"}, 100 a page, up to 1,000."""

from __future__ import annotations

from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

from ..params import ID_MAX


class IdCursorPagination(CursorPagination):
    ordering = "id"
    page_size = 100
    max_page_size = 1000
    page_size_query_param = "page_size"
    page_size_query_description = "Results per page, 1 to 1,000 (larger values are capped)."

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            raise ValidationError({"page_size": ["Must be a whole number."]}) from None
        if size < 1:
            raise ValidationError({"page_size": ["Must be at least 1."]})
        return min(size, self.max_page_size)

    def decode_cursor(self, request):
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise ValidationError({"cursor": ["Invalid cursor."]}) from None
        # The position goes into an id lookup: it must be a number the column can hold.
        if cursor is not None and cursor.position is not None:
            position = cursor.position
            if not (position.isascii() and position.isdigit() and int(position) <= ID_MAX):
                raise ValidationError({"cursor": ["Invalid cursor."]})
        return cursor
