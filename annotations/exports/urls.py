"""Export URLs, mounted at /api/v1/export/."""

from django.urls import path

from .views import export_view

urlpatterns = [
    path("annotations.jsonl", export_view("jsonl"), name="export-jsonl"),
    path("annotations.jsonld", export_view("jsonld"), name="export-jsonld"),
    path("claimreview.json", export_view("claimreview"), name="export-claimreview"),
    path("annotations.csv", export_view("csv"), name="export-csv"),
]
