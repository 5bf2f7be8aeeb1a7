"""Wagtail API v2 fields that turn our values into clean JSON."""

from __future__ import annotations

from typing import Any

from rest_framework.fields import Field
from wagtail.rich_text import expand_db_html

from .api_utils import iso_datetime
from .capabilities import provider
from .conf import get_setting
from .images import image_representation
from .localization import localized_objects
from .public_urls import page_full_url, page_url


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


class ReadOnlyField(Field):
    """A field of our API v2 output: pages are read there, never written."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)


class PageValueField(ReadOnlyField):
    """Read only and computed from the whole page (``source="*"``), not from one attribute."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)


class DateTimeField(ReadOnlyField):
    """A date-time in our API's form: RFC 3339, UTC, whole seconds, ``Z`` (``iso_datetime``)."""

    def to_representation(self, value) -> str | None:
        return iso_datetime(value)


class LocalizedRelationField(ReadOnlyField):
    """A relation to translatable objects, each shown in the page's locale where translated.

    A translation made before its elements were translated still points to the source's; the
    reader gets the translation as soon as there is one (see ``localization``).
    """

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


class RichTextField(ReadOnlyField):
    """Rich text as HTML with internal page and document links resolved."""

    def to_representation(self, value):
        return expand_db_html(value or "")


def request_of(field: Field) -> Any:
    """The request of a serializer field's context (``None`` in Wagtail's API v3 and scripts)."""
    try:
        return field.context.get("request")
    except AttributeError:
        return None


def page_reference(page, request=None) -> dict[str, Any]:
    """``{"id", "title", "url", "full_url"}`` of a page, URLs from ``public_urls``."""
    url = page_url(page, request)
    return {
        "id": page.pk,
        "title": page.title,
        "url": url,
        "full_url": page_full_url(page, request, url),
    }


class ElementTeasersField(PageValueField):
    """The element pages below a programme page, each with its element."""

    def to_representation(self, page) -> list[dict[str, Any]]:
        request = request_of(self)
        return [
            {**page_reference(child, request), "element": element_representation(child.element)}
            for child in page.get_element_pages()
        ]


class ElementDetailField(LocalizedRelationField):
    """The element of an element page: the element reference plus its description (HTML)."""

    def represent(self, obj):
        return {**element_representation(obj), "description": expand_db_html(obj.description or "")}


class SiblingElementPagesField(PageValueField):
    """The other element pages of the same programme page, each with its element."""

    def to_representation(self, page) -> list[dict[str, Any]]:
        if page.pk is None or not page.path:  # a preview of a page not yet created
            return []
        request = request_of(self)
        return [
            {**page_reference(sibling, request), "element": element_representation(sibling.element)}
            for sibling in page.get_sibling_element_pages()
        ]


class ElementOffersField(PageValueField):
    """The offers tagged with an element page's element, in the page's language, in the shape of
    ``GET offers`` (``offers.serializers.offer_representation``); ``[]`` without the offers app."""

    def to_representation(self, page) -> list[dict[str, Any]]:
        element_offers = provider("element_offers")  # the offers app's, when installed
        if element_offers is None or page.pk is None:
            return []
        return element_offers(page, request_of(self))


class ImageField(ReadOnlyField):
    """An image in the one image shape (``kokreative_wagtail.images``): main rendition, alt,
    ``srcset`` and ``renditions``.

    ``spec`` is a filter spec (``"fill-1200x630"``) or the name of a ``KOKREATIVE`` setting
    holding one (``"TEASER_RENDITION"``), read at call time.
    """

    def __init__(self, spec: str | None = None, **kwargs):
        self.spec = spec
        super().__init__(**kwargs)

    def filter_spec(self) -> str | None:
        if self.spec and self.spec.isupper():
            return get_setting(self.spec)
        return self.spec

    def to_representation(self, image) -> dict[str, Any] | None:
        return image_representation(image, self.filter_spec(), request_of(self))


class SettingRenditionField(ImageField):
    """Kept for sites that used it: an ``ImageField`` whose spec is a ``KOKREATIVE`` setting."""

    def __init__(self, setting: str, **kwargs):
        super().__init__(setting, **kwargs)

    def filter_spec(self) -> str | None:
        return get_setting(self.spec)
