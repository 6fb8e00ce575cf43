# Joins the search indexes (0005_search) with main's line (0003 client key, 0004 claim).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0004_claim"),
        ("annotations", "0005_search"),
    ]

    operations = []
