"""Step 2 of 3: each existing change to an occurrence gets its page's locale and a key of its own."""

import uuid

from django.db import migrations


def fill(apps, schema_editor):
    model = apps.get_model("kokreative_events", "OccurrenceOverride")
    # values only: the historical page class cannot be instantiated (its mixins need more)
    rows = model.objects.filter(translation_key__isnull=True).values_list("pk", "page__locale_id")
    for pk, locale_id in rows:
        model.objects.filter(pk=pk).update(translation_key=uuid.uuid4(), locale_id=locale_id)


class Migration(migrations.Migration):
    dependencies = [("kokreative_events", "0002_occurrenceoverride_translatable")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
