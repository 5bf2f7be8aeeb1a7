"""Changes to occurrences become translatable (wagtail-localize translates their notes and places with the page).

Step 1 of 3: the locale and translation key, nullable while existing rows get theirs.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("kokreative_events", "0001_initial"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [
        migrations.AddField(
            model_name="occurrenceoverride",
            name="locale",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
                verbose_name="locale",
            ),
        ),
        migrations.AddField(
            model_name="occurrenceoverride",
            name="translation_key",
            field=models.UUIDField(editable=False, null=True),
        ),
    ]
