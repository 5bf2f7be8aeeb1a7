"""Wagtail API v2 fields of offer pages."""

from __future__ import annotations

from typing import Any

from rest_framework.fields import Field

from ..serializers import ElementsField, element_representation  # noqa: F401


def audience_representation(audience) -> dict[str, Any]:
    return {"id": audience.pk, "slug": audience.slug, "name": audience.name}


class AudiencesField(Field):
    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return [audience_representation(audience) for audience in value.all()]


def offer_representation(offer, request=None) -> dict[str, Any]:
    """JSON for one offer, as the API lists it and the offer-list block returns it."""
    from ..blocks import image_representation
    from ..conf import get_setting

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
        "audiences": [audience_representation(a) for a in offer.audiences.all()],
        "elements": [element_representation(e) for e in offer.elements.all()],
        "duration": offer.duration,
        "group_size": offer.group_size,
        "cost": offer.cost,
        "teaser": offer.teaser,
        "teaser_image": image_representation(offer.teaser_image, get_setting("TEASER_RENDITION")),
        "last_published_at": offer.last_published_at,
    }
