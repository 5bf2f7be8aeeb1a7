"""The JSON of offers: ``offer_representation`` (GET offers, the offer-list block, element
pages) and the Wagtail API v2 fields of offer pages, which use the same shapes."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from ..api_utils import iso_datetime
from ..conf import get_setting
from ..images import image_representation
from ..localization import localized_objects, translations_in
from ..public_urls import page_full_url, page_url
from ..serializers import (  # noqa: F401  (ElementsField: offer pages' API v2 field)
    ElementsField,
    LocalizedRelationField,
    PageValueField,
    element_representation,
)


def teaser_image_representation(image, request=None) -> dict[str, Any] | None:
    """The teaser image in the one image shape (``images.image_representation``)."""

    if image is None:
        return None
    return image_representation(image, get_setting("TEASER_RENDITION"), request)


class ChoiceLabelField(PageValueField):
    """API v2: the label of a choice field in the page's own language, e.g. ``kind_label`` from
    ``get_kind_display``: an English offer says "Training" whatever language the request
    prefers, as GET offers?locale=en and the blocks of an English page do."""

    def __init__(self, choice_field: str, **kwargs: Any) -> None:
        self.choice_field = choice_field
        super().__init__(**kwargs)

    def to_representation(self, page) -> str:

        display = getattr(page, f"get_{self.choice_field}_display")
        locale = getattr(page, "locale", None) if getattr(page, "locale_id", None) else None
        if locale is None:
            return str(display())
        with translation.override(locale.language_code):
            return str(display())


def audience_representation(audience) -> dict[str, Any]:
    return {"id": audience.pk, "slug": audience.slug, "name": audience.name}


class AudiencesField(LocalizedRelationField):
    """Serialises the offer's audiences (in the page's locale)."""

    def represent(self, obj):
        return audience_representation(obj)


def list_translations(offers: list) -> dict:
    """Translations of all the offers' audiences and elements in their locale, by key.

    At most two queries for a whole list (none when everything is in the offers' locale).
    """

    if not offers:
        return {}
    locale_id = offers[0].locale_id
    same = [o for o in offers if o.locale_id == locale_id]
    return {
        **translations_in([a for o in same for a in o.audiences.all()], locale_id),
        **translations_in([e for o in same for e in o.elements.all()], locale_id),
    }


def offer_representation(offer, request=None, translations: dict | None = None) -> dict[str, Any]:
    """JSON for one offer, as the API lists it and the offer-list block returns it.

    Audiences and elements are shown in the offer's locale; ``translations`` (translation key →
    object, from ``localization.translations_in`` over a whole list) saves a query per offer.
    """
    audiences = localized_objects(offer.audiences.all(), offer.locale_id, translations)
    elements = localized_objects(offer.elements.all(), offer.locale_id, translations)

    return {
        "id": offer.pk,
        "title": offer.title,
        "slug": offer.slug,
        "url": page_url(offer, request),
        "full_url": page_full_url(offer, request),
        "locale": offer.locale.language_code,
        "kind": offer.kind,
        "kind_label": str(offer.get_kind_display()),
        "format": offer.format,
        "format_label": str(offer.get_format_display()),
        "audiences": [audience_representation(a) for a in audiences],
        "elements": [element_representation(e) for e in elements],
        "duration": offer.duration,
        "group_size": offer.group_size,
        "cost": offer.cost,
        "teaser": offer.teaser,
        "teaser_image": teaser_image_representation(offer.teaser_image, request),
        "last_published_at": iso_datetime(offer.last_published_at),
    }
