"""What the offers app gives the core by name (``CapabilityConfig.providers``)."""

from __future__ import annotations

from typing import Any

from .queries import offers_for_element
from .serializers import list_translations, offer_representation


def element_offers(page, request=None) -> list[dict[str, Any]]:
    """The offers tagged with an element page's element, in the page's language, in the shape
    of GET offers: the core's element page API field asks for it by name, so the core needs no
    offers app."""
    offers = offers_for_element(page, request, limit=None)
    translations = list_translations(offers)
    return [offer_representation(offer, request, translations) for offer in offers]
