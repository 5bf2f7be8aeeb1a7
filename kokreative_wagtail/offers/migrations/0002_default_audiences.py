"""Create the three audiences of the programme in the site's default language.

Idempotent (looked up by slug) and reversible; editors rename, reorder or add audiences freely.
"""

import uuid

from django.conf import settings
from django.db import migrations
from django.utils import translation

DEFAULT_AUDIENCES = [
    # (slug, English name marked for translation, sort order)
    ("verwaltung", "Administration", 1),
    ("politik", "Politics", 2),
    ("zivilgesellschaft", "Civil society", 3),
]


def default_locale(Locale):
    from wagtail.coreutils import get_supported_content_language_variant

    try:
        code = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    except LookupError:
        code = settings.LANGUAGE_CODE
    return Locale.objects.filter(language_code=code).first() or Locale.objects.order_by("pk").first()


def create_audiences(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Audience = apps.get_model("kokreative_offers", "Audience")
    locale = default_locale(Locale)
    if locale is None:
        return
    with translation.override(locale.language_code):
        for slug, name, sort_order in DEFAULT_AUDIENCES:
            if not Audience.objects.filter(slug=slug, locale=locale).exists():
                Audience.objects.create(
                    name=translation.gettext(name),
                    slug=slug,
                    sort_order=sort_order,
                    locale=locale,
                    translation_key=uuid.uuid4(),
                )


def remove_audiences(apps, schema_editor):
    Audience = apps.get_model("kokreative_offers", "Audience")
    Audience.objects.filter(slug__in=[slug for slug, _, _ in DEFAULT_AUDIENCES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("kokreative_offers", "0001_initial"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [migrations.RunPython(create_audiences, remove_audiences)]
