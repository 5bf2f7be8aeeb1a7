"""Step 3 of 3: locale and translation key required, unique together."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("kokreative_events", "0003_occurrenceoverride_fill_locale")]

    operations = [
        migrations.AlterField(
            model_name="occurrenceoverride",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AlterField(
            model_name="occurrenceoverride",
            name="translation_key",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.AlterUniqueTogether(
            name="occurrenceoverride",
            unique_together={("translation_key", "locale")},
        ),
    ]
