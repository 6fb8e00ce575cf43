"""Evidence links stored before links were checked as IRIs (lib/iri.py) are written the
way a new link is: what RFC 3987 forbids percent-encoded, scheme and host lower-cased.
A stored link the check now refuses (user info, a backslash in the host, a bad port) is
left as it is: changing it would change where it goes. Pages show its real host beside
it, and the next edit of its annotation asks for a valid link."""

from django.db import migrations

from annotations.lib import iri

BATCH = 500


def normalise(apps, schema_editor):
    EvidenceLink = apps.get_model("annotations", "EvidenceLink")
    changed = []
    for link in EvidenceLink.objects.only("id", "url").iterator(chunk_size=BATCH):
        try:
            url = iri.normalise_iri(link.url)
        except iri.IriError:
            continue
        if url != link.url and len(url) <= iri.URL_MAX:
            link.url = url
            changed.append(link)
        if len(changed) >= BATCH:
            EvidenceLink.objects.bulk_update(changed, ["url"])
            changed = []
    EvidenceLink.objects.bulk_update(changed, ["url"])


class Migration(migrations.Migration):
    dependencies = [("annotations", "0008_merge_search_shingle_index")]

    operations = [migrations.RunPython(normalise, migrations.RunPython.noop)]
