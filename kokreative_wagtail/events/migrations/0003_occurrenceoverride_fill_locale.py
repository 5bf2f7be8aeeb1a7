"""Step 2 of 3: each existing change to an occurrence gets its page's locale and a key of its own."""

import uuid

from django.db import migrations


def fill(apps, schema_editor):
    model = apps.get_model("kokreative_events", "OccurrenceOverride")
    for row in model.objects.select_related("page").filter(translation_key__isnull=True):
        row.translation_key = uuid.uuid4()
        row.locale_id = row.page.locale_id
        row.save(update_fields=["translation_key", "locale"])


class Migration(migrations.Migration):
    dependencies = [("kokreative_events", "0002_occurrenceoverride_translatable")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
