"""Wagtail API v2 fields that turn our values into clean JSON."""

from __future__ import annotations

from typing import Any

from rest_framework.fields import Field
from wagtail.images.api.fields import ImageRenditionField
from wagtail.rich_text import expand_db_html

from .conf import get_setting
from .localization import localized_objects


def element_representation(element) -> dict[str, Any] | None:
    """JSON for an ``Element`` snippet, or ``None`` when it was deleted."""
    if element is None:
        return None
    return {
        "id": element.pk,
        "translation_key": str(element.translation_key),
        "locale": element.locale.language_code if element.locale_id else None,
        "name": element.name,
        "slug": element.slug,
        "summary": element.summary,
        "colour": element.colour,
        "icon": element.icon,
    }


class LocalizedRelationField(Field):
    """A relation to translatable objects, each shown in the page's locale where translated.

    A translation made before its elements were translated still points to the source's; the
    reader gets the translation as soon as there is one (see ``localization``).
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return super().get_attribute(instance), getattr(instance, "locale_id", None)

    def to_representation(self, value):
        related, locale_id = value
        many = hasattr(related, "all")
        objects = localized_objects(related.all() if many else filter(None, [related]), locale_id)
        items = [self.represent(obj) for obj in objects]
        return items if many else (items[0] if items else None)

    def represent(self, obj) -> dict[str, Any]:
        raise NotImplementedError


class ElementField(LocalizedRelationField):
    """Serialises an ``Element`` foreign key as an object (in the page's locale)."""

    def represent(self, obj):
        return element_representation(obj)


class ElementsField(LocalizedRelationField):
    """Serialises the page's elements (in the page's locale)."""

    def represent(self, obj):
        return element_representation(obj)


class LocalizedPageIdField(LocalizedRelationField):
    """The id of a linked page in the page's locale (the source's while it is untranslated)."""

    def represent(self, obj):
        return obj.pk


class RichTextField(Field):
    """Rich text as HTML with internal page and document links resolved."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return expand_db_html(value or "")


class ElementTeasersField(Field):
    """The element pages below a programme page, each with its element."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, page):
        return [
            {
                "id": child.pk,
                "title": child.title,
                "url": child.get_url(),
                "element": element_representation(child.element),
            }
            for child in page.get_element_pages()
        ]


class SettingRenditionField(ImageRenditionField):
    """An image rendition whose filter spec is a ``KOKREATIVE`` setting, read at call time."""

    def __init__(self, setting: str, **kwargs):
        self.setting = setting
        super().__init__(get_setting(setting), **kwargs)

    def to_representation(self, image):
        self.filter_spec = get_setting(self.setting)
        return super().to_representation(image)


class UpcomingOccurrencesField(Field):
    """The next dates of an event page, overrides applied (cancelled ones flagged)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, page):
        return [
            {
                "start": o.start.isoformat(),
                "end": o.end.isoformat(),
                "original_start": o.original_start.isoformat(),
                "all_day": o.all_day,
                "cancelled": o.cancelled,
                "moved": o.moved,
                "note": o.note,
                "location_name": o.location_name,
                "location_address": o.location_address,
            }
            for o in page.get_upcoming_occurrences()
        ]
