"""One JSON shape for an event occurrence, wherever an API lists dates.

``GET occurrences`` (our API), the ``upcoming_occurrences`` field of an event page in API v2 and
the API representation of the upcoming-events block all build their items with
``occurrence_representation``, so a front end renders a date the same way from any of them::

    {"event": {"id", "title", "url", "full_url"}, "start", "end", "original_start",
     "time_zone", "all_day", "cancelled", "moved", "note", "location_name",
     "location_address", "elements": [ElementRef], "offer_id"}

Date-times are ``api_utils.iso_datetime`` strings (UTC, ``Z``, whole seconds).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from rest_framework.fields import Field

from ..api_utils import iso_datetime
from ..localization import i18n_enabled, localized_objects, translations_in
from ..serializers import element_representation, page_reference, request_of

#: The keys of an occurrence, in the order they are documented.
OCCURRENCE_KEYS = (
    "event",
    "start",
    "end",
    "original_start",
    "time_zone",
    "all_day",
    "cancelled",
    "moved",
    "note",
    "location_name",
    "location_address",
    "elements",
    "offer_id",
)


def event_offer_id(event) -> int | None:
    """Id of the offer the event delivers, in the event's language where translated.

    Listings annotate ``localized_offer_id`` (see ``events.api.event_queryset``) to save the query
    made here for a single event.
    """
    if event.related_offer_id is None:
        return None
    if hasattr(event, "localized_offer_id"):
        return event.localized_offer_id or event.related_offer_id
    if not i18n_enabled():
        return event.related_offer_id
    from wagtail.models import Page

    localized = (
        Page.objects.filter(
            translation_key=Page.objects.filter(pk=event.related_offer_id).values(
                "translation_key"
            )[:1],
            locale_id=event.locale_id,
        )
        .values_list("pk", flat=True)
        .first()
    )
    return localized or event.related_offer_id


def occurrence_representation(
    item, request: HttpRequest | None, cache: dict, translations: dict | None = None
) -> dict[str, Any]:
    """JSON for one occurrence (``occurrences.Occurrence`` whose ``event`` is an event page).

    ``cache`` (a dict the caller keeps for one response) holds what all occurrences of an event
    share, so a series costs its event's data once. ``translations`` (translation key → object,
    from ``localization.translations_in`` over the elements of all listed events) shows elements
    in the event's language without a query per event; ``None`` looks them up per event.
    Prefetch ``elements`` (with ``locale``) on the events to keep the query count flat.
    """
    event = item.event
    shared = cache.get(event.pk)
    if shared is None:
        elements = localized_objects(event.elements.all(), event.locale_id, translations)
        shared = cache[event.pk] = {
            "event": page_reference(event, request),
            "time_zone": event.time_zone,
            "elements": [element_representation(e) for e in elements],
            "offer_id": event_offer_id(event),
        }
    return {
        "event": shared["event"],
        "start": iso_datetime(item.start),
        "end": iso_datetime(item.end),
        "original_start": iso_datetime(item.original_start),
        "time_zone": shared["time_zone"],
        "all_day": item.all_day,
        "cancelled": item.cancelled,
        "moved": item.moved,
        "note": item.note,
        "location_name": item.location_name,
        "location_address": item.location_address,
        "elements": shared["elements"],
        "offer_id": shared["offer_id"],
    }


def occurrences_representation(items, request: HttpRequest | None) -> list[dict[str, Any]]:
    """JSON for a list of occurrences (of one or several events), elements translated in one
    query for all."""
    items = list(items)
    events = {item.event.pk: item.event for item in items}.values()
    translations: dict = {}
    for event in events:
        translations.update(translations_in(event.elements.all(), event.locale_id))
    cache: dict = {}
    return [occurrence_representation(item, request, cache, translations) for item in items]


class UpcomingOccurrencesField(Field):
    """API v2: the next dates of an event page (overrides applied, cancelled ones flagged) in
    the occurrence shape of ``GET occurrences``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, page) -> list[dict[str, Any]]:
        return occurrences_representation(page.get_upcoming_occurrences(), request_of(self))


class DateTimeField(Field):
    """API v2: a date-time as ``iso_datetime`` writes it (UTC, ``Z``, whole seconds)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value) -> str | None:
        return iso_datetime(value)
