"""Query filters for the API and the exports. Only the fields named here can be filtered on."""

from __future__ import annotations

import datetime as dt

from django import forms
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from annotations import selectors
from annotations.models import Annotation, Article, Status, Verdict
from annotations.params import IdField, QueryTextField


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.NumberFilter):
    field_class = IdField


class BoundedIsoDateTimeField(IsoDateTimeField):
    """ISO 8601, refusing instants near year 1 or 9999 that overflow when moved to UTC.

    The instant is handed on in UTC: PostgreSQL refuses offsets beyond ±15:59, which
    Python (and ISO 8601) allow, e.g. `+16:00`."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None:
            try:
                (value - dt.timedelta(days=2)) + dt.timedelta(days=4)
                value = value.astimezone(dt.UTC)
            except OverflowError:
                raise forms.ValidationError("Date out of range.", code="invalid") from None
        return value


class BoundedIsoDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = BoundedIsoDateTimeField


class TextFilter(filters.CharFilter):
    field_class = QueryTextField


class StrictFilterSet(filters.FilterSet):
    """A parameter that is present must hold a value: `?verdict=` is an error, not "any"."""

    empty_refused: tuple[str, ...] = ()

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name in self.empty_refused:
            if name in self.data and not str(self.data.get(name)).strip():
                self.form.add_error(name, "Give a value, or leave the parameter out.")
                valid = False
        return valid


class AnnotationFilter(StrictFilterSet):
    article = IdFilter(field_name="article_id", help_text="Article id.")
    verdict = filters.ChoiceFilter(choices=Verdict.choices)
    status = filters.ChoiceFilter(choices=Status.choices)
    author = TextFilter(
        field_name="author__username", max_length=150, help_text="The author's username."
    )
    updated_after = BoundedIsoDateTimeFilter(
        field_name="updated",
        lookup_expr="gte",
        help_text="ISO 8601 date-time; annotations updated at or after it (inclusive, so a "
        "sync loop that passes the newest `updated` it saw never misses a row).",
    )
    q = TextFilter(
        method="search",
        max_length=200,
        help_text="Full-text search of quotes and notes: annotations holding every word.",
    )

    empty_refused = ("article", "verdict", "status", "updated_after")

    class Meta:
        model = Annotation
        fields = ["article", "verdict", "status", "author", "updated_after", "q"]

    def search(self, queryset, name, value):
        return selectors.filter_annotations(queryset, value) if value.strip() else queryset


class ArticleFilter(filters.FilterSet):
    q = TextFilter(
        method="search",
        max_length=200,
        help_text="Full-text search of titles and text: articles holding every word (stemmed, "
        "so `escalate` finds `escalating`). Each result then carries a `snippet`.",
    )

    class Meta:
        model = Article
        fields = ["q"]

    def search(self, queryset, name, value):
        return selectors.filter_articles(queryset, value) if value.strip() else queryset
