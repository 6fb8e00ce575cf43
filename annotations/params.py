"""Query parameters, parsed one way everywhere (browser pages, API filters, exports): ids
bounded to what a 64-bit column holds, text without control characters or lone surrogates.
A value that does not parse is a form error, never an exception from the database driver."""

from __future__ import annotations

import re

from django import forms

from .lib.text import CONTROL_CHARACTERS
from .models import Status, Verdict

# Row ids are 64-bit; anything larger cannot exist and must not reach the database driver
# (SQLite raises OverflowError on it).
ID_MAX = 2**63 - 1
# NUL cannot be sent to PostgreSQL at all; the other control characters and lone surrogates
# (which cannot be encoded as UTF-8) are never part of a title or a search.
_UNSAFE_TEXT = re.compile(f"[{CONTROL_CHARACTERS}\ud800-\udfff]")


class IdField(forms.IntegerField):
    """A row id: 1 to 2**63 - 1, in ASCII digits (`²` and `١` are digits to str.isdigit)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not value.strip().isascii():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class QueryTextField(forms.CharField):
    """Free text in a query string (a search): stripped, no control characters."""

    def to_python(self, value):
        # Before stripping: str.strip() drops \x1c-\x1f and \x85 as white space.
        if isinstance(value, str) and _UNSAFE_TEXT.search(value):
            raise forms.ValidationError(
                "Must not contain control characters or invalid Unicode.", code="invalid"
            )
        return super().to_python(value)


class QueryForm(forms.Form):
    """A page's query parameters. `valid_values()` keeps the ones that parsed: a browser
    filter with a bad value is ignored (and reported in `errors`), never a 500."""

    def valid_values(self) -> dict:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name) for name in self.fields}


class ArticleSearchForm(QueryForm):
    q = QueryTextField(required=False, max_length=200)

    def query(self) -> str:
        return self.valid_values()["q"] or ""


class OrphanFilterForm(QueryForm):
    article = IdField(required=False)


class DeskFilterForm(QueryForm):
    """The annotate page's card filters (web/desk.py)."""

    verdict = forms.ChoiceField(required=False, choices=[("", "any"), *Verdict.choices])
    status = forms.ChoiceField(required=False, choices=[("", "any"), *Status.choices])
    author = QueryTextField(required=False, max_length=150)
    q = QueryTextField(required=False, max_length=200)
