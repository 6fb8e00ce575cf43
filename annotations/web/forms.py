"""Browser input for annotations. Shape and per-field checks only; services decide."""

from __future__ import annotations

from itertools import zip_longest

from django import forms
from django.core.exceptions import ValidationError

from ..models import CLAIM_MAX, CLAIM_RECOMMENDED, Verdict
from ..services.inputs import NOTE_MAX, clean_evidence_url

SPAN_FIELDS = ("start", "end", "quote")


class AnnotationForm(forms.Form):
    verdict = forms.ChoiceField(
        choices=Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a verdict."},
    )
    note = forms.CharField(
        required=False, max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    claim = forms.CharField(
        required=False,
        max_length=CLAIM_MAX,
        label="Claim, as you would phrase it",
        help_text=f"Optional; {CLAIM_RECOMMENDED} characters or fewer reads best in search "
        "results. The quote stands in when it is blank.",
    )
    # Never rendered as an input: the rows come from evidence_url / evidence_title lists.
    # It exists so errors about the links as a whole have a field to live on.
    evidence = forms.CharField(required=False)

    def __init__(self, *args, evidence: list[dict] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            urls = self.data.getlist("evidence_url")
            titles = self.data.getlist("evidence_title")
            rows = [
                {"url": (u or "").strip(), "title": (t or "").strip()}
                for u, t in zip_longest(urls, titles)
            ]
        else:
            rows = [dict(e) for e in evidence or ()]
        self.evidence_rows = [r | {"errors": []} for r in rows if r["url"] or r["title"]]

    @property
    def display_rows(self) -> list[dict]:
        """The rows to show: what was entered, or one blank row to start from."""
        return self.evidence_rows or [{"url": "", "title": "", "errors": []}]

    def clean(self):
        data = super().clean()
        bad = False
        for row in self.evidence_rows:
            try:
                row["url"] = clean_evidence_url(row["url"])
            except ValidationError as exc:
                row["errors"] = exc.messages
                bad = True
        if bad:
            self.add_error("evidence", "Fix the links marked below.")
        data["evidence"] = [{"url": r["url"], "title": r["title"]} for r in self.evidence_rows]
        return data

    def add_service_error(self, exc: ValidationError) -> None:
        """Put a service's ValidationError on the matching field, or on the form."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for field, messages in exc.message_dict.items():
            target = field if field in self.fields and field not in SPAN_FIELDS else None
            for message in messages:
                self.add_error(target, message)

    @property
    def span_errors(self) -> list[str]:
        """Errors on the hidden selection fields, shown at the top of the form."""
        errors = []
        for name in SPAN_FIELDS:
            if name in self.fields and self.errors.get(name):
                errors.append("Select a passage in the article text first.")
        return errors[:1]


class NewAnnotationForm(AnnotationForm):
    start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    quote = forms.CharField(strip=False, widget=forms.HiddenInput)
    # The draft's key from the browser, so a save sent again is not stored twice.
    client_key = forms.RegexField(
        regex=r"^[A-Za-z0-9-]{8,64}$", required=False, widget=forms.HiddenInput
    )

    def service_kwargs(self) -> dict:
        keys = ("start", "end", "quote", "verdict", "note", "evidence", "client_key", "claim")
        return {k: self.cleaned_data[k] for k in keys}


class EditAnnotationForm(AnnotationForm):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def service_kwargs(self) -> dict:
        keys = ("verdict", "note", "evidence", "claim")
        return {k: self.cleaned_data[k] for k in keys}


class DeleteAnnotationForm(forms.Form):
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class ReattachForm(forms.Form):
    """The new span of an orphan: offsets into the current text and the words there."""

    start = forms.IntegerField(min_value=0, label="Start (code point)")
    end = forms.IntegerField(min_value=1, label="End")
    quote = forms.CharField(strip=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
