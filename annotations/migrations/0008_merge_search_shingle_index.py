# Joins the search indexes and the shingle index, made side by side.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0005_merge_search_client_key"),
        ("annotations", "0007_merge_claim_shingle_index"),
    ]

    operations = []
