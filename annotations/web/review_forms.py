"""Browser input for editorial decisions and the queue's filters."""

from __future__ import annotations

from itertools import zip_longest

from django import forms

from ..models import CLAIM_MAX, Verdict
from ..services.inputs import NOTE_MAX

DECISION_CHOICES = [
    ("approve", "Approve"),
    ("reject", "Reject"),
    ("request_changes", "Request changes"),
    # Approve with the editor's corrected verdict and note, in one step.
    ("fix_approve", "Fix and approve"),
]


class DecisionForm(forms.Form):
    version = forms.IntegerField(min_value=1)
    decision = forms.ChoiceField(choices=DECISION_CHOICES)
    comment = forms.CharField(required=False, max_length=NOTE_MAX, strip=False)
    verdict = forms.ChoiceField(required=False, choices=Verdict.choices)
    note = forms.CharField(required=False, max_length=NOTE_MAX, strip=False)
    claim = forms.CharField(required=False, max_length=CLAIM_MAX)

    def service_kwargs(self) -> dict:
        """Keyword arguments for services.annotation_review."""
        data = self.cleaned_data
        kwargs = {
            "decision": "approve" if data["decision"] == "fix_approve" else data["decision"],
            "expected_version": data["version"],
            "comment": data["comment"],
        }
        if data["decision"] == "fix_approve":
            if data["verdict"]:
                kwargs["verdict"] = data["verdict"]
            if "note" in self.data:  # a missing field leaves the note alone, never blanks it
                kwargs["note"] = data["note"]
            if "evidence_url" in self.data:  # likewise the links: only when the rows were sent
                kwargs["evidence"] = self.evidence_rows()
            if "claim" in self.data:
                kwargs["claim"] = data["claim"]
        return kwargs

    def evidence_rows(self) -> list[dict]:
        """The evidence rows sent with a fix; blank rows are dropped, the service checks."""
        urls = self.data.getlist("evidence_url")
        titles = self.data.getlist("evidence_title")
        rows = [
            {"url": (u or "").strip(), "title": (t or "").strip()}
            for u, t in zip_longest(urls, titles)
        ]
        return [r for r in rows if r["url"] or r["title"]]


class ReopenForm(forms.Form):
    version = forms.IntegerField(min_value=1)
    comment = forms.CharField(required=False, max_length=NOTE_MAX)


class QueueFilterForm(forms.Form):
    article = forms.IntegerField(required=False, min_value=1)
    verdict = forms.ChoiceField(required=False, choices=[("", "Any verdict"), *Verdict.choices])
    reviewer = forms.IntegerField(required=False, min_value=1)

    def filters(self) -> dict:
        """The valid filters only; a bad value is ignored rather than failing the page."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "article": data.get("article"),
            "verdict": data.get("verdict") or "",
            "reviewer": data.get("reviewer"),
        }
