"""Wagtail API v2 fields of offer pages."""

from __future__ import annotations

from typing import Any

from ..localization import localized_objects
from ..serializers import ElementsField, LocalizedRelationField, element_representation  # noqa: F401


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
    from ..localization import translations_in

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
    from ..blocks import image_representation
    from ..conf import get_setting

    audiences = localized_objects(offer.audiences.all(), offer.locale_id, translations)
    elements = localized_objects(offer.elements.all(), offer.locale_id, translations)

    return {
        "id": offer.pk,
        "title": offer.title,
        "slug": offer.slug,
        "url": offer.get_url(request),
        "full_url": offer.get_full_url(request),
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
        "teaser_image": image_representation(offer.teaser_image, get_setting("TEASER_RENDITION")),
        "last_published_at": offer.last_published_at,
    }
