# Joins the search indexes (0005) with the drafts' client key (0003) from main.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('annotations', '0003_annotation_client_key'),
        ('annotations', '0005_search'),
    ]

    operations = [
    ]
