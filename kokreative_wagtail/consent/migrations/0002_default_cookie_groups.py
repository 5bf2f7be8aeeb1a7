"""The default cookie groups (necessary, statistics, external media), in the site's language.

Idempotent: groups that exist (created by ``kokreative_setup_consent`` or edited) stay as they are.
"""

from django.db import migrations


def create_groups(apps, schema_editor):
    from kokreative_wagtail.consent.setup import setup_default_groups

    setup_default_groups(
        apps.get_model("cookie_consent", "CookieGroup"), apps.get_model("cookie_consent", "Cookie")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("kokreative_consent", "0001_consent_record"),
        ("cookie_consent", "0004_cookie_natural_key"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
