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

import hashlib
import json
from json.encoder import (
    encode_basestring,  # C-accelerated; what ``json.dumps`` uses for str
)
from typing import Any

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from wagtail.models import Page

from ..api_utils import iso_datetime
from ..conf import get_setting
from ..localization import i18n_enabled, localized_objects, translations_in
from ..public_urls import absolute
from ..serializers import (  # noqa: F401  (DateTimeField: the event pages' API v2 fields)
    DateTimeField,
    PageValueField,
    element_representation,
    page_reference,
    request_of,
)

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


def event_shared(event, request: HttpRequest | None, translations: dict | None = None) -> dict:
    """What all occurrences of ``event`` share in JSON: ``event``, ``time_zone``, ``elements``
    (in the event's language, see ``occurrence_representation``) and ``offer_id``."""
    elements = localized_objects(event.elements.all(), event.locale_id, translations)
    return {
        "event": page_reference(event, request),
        "time_zone": event.time_zone,
        "elements": [element_representation(e) for e in elements],
        "offer_id": event_offer_id(event),
    }


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
        shared = cache[event.pk] = event_shared(event, request, translations)
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


def to_json(value: Any) -> str:
    """Compact JSON text, as ``JsonResponse`` would encode ``value`` (Django's encoder)."""
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def shared_json(shared: dict) -> tuple[str, str, str, str]:
    """An ``event_shared`` dict as the JSON texts of its four parts."""
    return (
        to_json(shared["event"]),
        to_json(shared["time_zone"]),
        to_json(shared["elements"]),
        to_json(shared["offer_id"]),
    )


def _text(value: str | None) -> str:
    return "null" if value is None else encode_basestring(value)


def occurrence_json(item, shared: tuple[str, str, str, str]) -> str:
    """``occurrence_representation`` of ``item`` as JSON text, its event's parts already written
    (``shared_json``): a page of a thousand dates is joined from strings instead of a thousand
    nested dicts being built and encoded."""
    event, zone, elements, offer = shared
    times = getattr(item, "api_times", None)  # read as text (``text_times``): as they are
    if times is None:
        times = iso_datetime(item.start), iso_datetime(item.end), iso_datetime(item.original_start)
    start, end, original_start = times
    return "".join(
        (
            '{"event":',
            event,
            ',"start":"',
            start,
            '","end":"',
            end,
            '","original_start":"',
            original_start,
            '","time_zone":',
            zone,
            ',"all_day":',
            "true" if item.all_day else "false",
            ',"cancelled":',
            "true" if item.cancelled else "false",
            ',"moved":',
            "true" if item.moved else "false",
            ',"note":',
            _text(item.note),
            ',"location_name":',
            _text(item.location_name),
            ',"location_address":',
            _text(item.location_address),
            ',"elements":',
            elements,
            ',"offer_id":',
            offer,
            "}",
        )
    )


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


class UpcomingOccurrencesField(PageValueField):
    """API v2: the next dates of an event page (overrides applied, cancelled ones flagged) in
    the occurrence shape of ``GET occurrences``."""

    def to_representation(self, page) -> list[dict[str, Any]]:
        return occurrences_representation(page.get_upcoming_occurrences(), request_of(self))


class _EventRef:
    """An event known by id only: its JSON came from the cache (``SharedEventData``)."""

    __slots__ = ("pk",)

    def __init__(self, pk: int) -> None:
        self.pk = pk


#: What a version's text (``2026-12-05 15:57:28.459684+00:00``) loses in a cache key: a space
#: is no valid memcached key character, the rest only lengthens it.
_NOT_IN_KEYS = str.maketrans("", "", " -:.+T")


class SharedEventData:
    """What all occurrences of an event share in JSON (``event``, ``time_zone``, ``elements``,
    ``offer_id``), written once (``shared_json``) and kept in Django's cache between requests.

    A year of a large programme pages through tens of thousands of dates of a thousand events;
    building each event's part (loading the page, its elements, its URLs) once per page of
    dates cost most of the answer. An entry is keyed by the event, the time the occurrence index
    last wrote it (every save: a changed title, elements or URL of the event shows at once),
    the language and the host, and kept ``API_CACHE_MAX_AGE`` seconds (what a shared cache may
    keep the whole answer anyway; 0 switches this off). What changes without a save of the
    event (a parent renamed, the offer translated) shows within that time.
    """

    def __init__(self, request: HttpRequest, language: str) -> None:

        self.request = request
        self.timeout = get_setting("API_CACHE_MAX_AGE")
        # short keys: a page of a thousand dates looks up a thousand of them
        scope = hashlib.sha256(f"{language}|{absolute(request, '/')}".encode()).hexdigest()
        self.prefix = f"kk:event-json:{scope[:12]}"
        #: event id -> its ``shared_json``, filled from Django's cache where it had them
        self.fragments: dict[int, tuple[str, str, str, str]] = {}
        #: the events loaded because their JSON was not cached
        self.loaded: list = []
        self._to_store: dict[int, str] = {}

    def _key(self, pk: int, version: str | None) -> str | None:
        if not version or self.timeout <= 0:
            return None
        return f"{self.prefix}:{pk}:{version.translate(_NOT_IN_KEYS)}"

    def load(self, ids: set[int], versions: dict, load_events) -> dict[int, object]:
        """``OccurrenceWindow``'s ``event_loader``: cached events as references, the others
        loaded by ``load_events``. ``versions``: id -> the event's version as text."""

        keys = {pk: self._key(pk, versions.get(pk)) for pk in ids}
        found = cache.get_many([key for key in keys.values() if key])
        result: dict[int, object] = {}
        missing = []
        for pk, key in keys.items():
            if key in found:
                self.fragments[pk] = found[key]
                result[pk] = _EventRef(pk)
            else:
                missing.append(pk)
                if key:
                    self._to_store[pk] = key
        if missing:
            self.loaded = list(load_events(missing))
            result.update({event.pk: event for event in self.loaded})
        return result

    def store(self) -> None:
        """Keep the JSON of the events loaded for this answer (after it was built)."""

        entries = {
            key: self.fragments[pk] for pk, key in self._to_store.items() if pk in self.fragments
        }
        if entries:
            cache.set_many(entries, self.timeout)
