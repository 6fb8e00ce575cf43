"""Export URLs, mounted at /api/v1/export/."""

from django.urls import path

from .exports import ExportView

urlpatterns = [
    path("annotations.jsonl", ExportView.as_view(format_name="jsonl"), name="export-jsonl"),
    path("annotations.jsonld", ExportView.as_view(format_name="jsonld"), name="export-jsonld"),
    path(
        "claimreview.json",
        ExportView.as_view(format_name="claimreview"),
        name="export-claimreview",
    ),
    path("annotations.csv", ExportView.as_view(format_name="csv"), name="export-csv"),
]
