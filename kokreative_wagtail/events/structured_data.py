"""schema.org ``Event`` JSON-LD of event pages (Google's event rich results), for the core's
``structured_data`` dispatcher (``providers`` in ``apps.py``).

One event page is one ``Event``. Its ``startDate`` is the date a visitor can still go to: a single
date's own, a series' next date (dates cancelled before it are skipped). A series adds its rule
as ``eventSchedule`` (a ``Schedule`` per RRULE: frequency, weekdays, times, zone, end, COUNT,
and the dates left out as ``exceptDate``), and moved dates ahead as ``subEvent``. The online link
is written only where the page shows it to everyone; otherwise the page's own URL stands in as
the ``VirtualLocation``, so a link meant for registered people never reaches a search engine.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from ..queries import public_q, same_site_q
from ..structured_data import PageData, PageInfo, plain_text, price_from_text, schema_url
from . import occurrences
from .abstract import EventIndexPageMixin, EventPageMixin
from .choices import OverrideAction
from .models import EventPage
from .series import EventOccurrence, get_zone, occurrence_at

#: RRULE FREQ (dateutil's numbers, as django-recurrence stores them) → ISO 8601 duration unit.
_PERIODS = {
    0: ("", "Y"),
    1: ("", "M"),
    2: ("", "W"),
    3: ("", "D"),
    4: ("T", "H"),
    5: ("T", "M"),
    6: ("T", "S"),
}
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: "Postcode Town" on an address's last line (German, Austrian, Swiss, most of Europe).
_POSTCODE_TOWN = re.compile(r"^(?:[A-Z]{1,2}-)?(\d{4,5})\s+(.+)$")


def structured_data(page, info: PageInfo) -> PageData | None:
    """An event page: its ``Event``; an event index: a ``CollectionPage``; else ``None``."""
    if isinstance(page, EventPageMixin):
        event = event_node(page, info)
        return PageData("WebPage", [event] if event else [])
    if isinstance(page, EventIndexPageMixin):
        return PageData("CollectionPage")
    return None


def iso_duration(delta: timedelta) -> str:
    """``timedelta(hours=1, minutes=30)`` → ``PT1H30M`` (ISO 8601, as schema.org has it)."""
    seconds = max(int(delta.total_seconds()), 0)
    days, seconds = divmod(seconds, 86400)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    time_part = "".join(
        f"{value}{unit}" for value, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if value
    )
    result = f"P{days}D" if days else "P"
    if time_part:
        result += f"T{time_part}"
    return result if result != "P" else "PT0S"


def _moment(value: datetime, zone: ZoneInfo, all_day: bool) -> str:
    local = value.astimezone(zone)
    return local.date().isoformat() if all_day else local.isoformat()


def _end_moment(start: datetime, end: datetime, zone: ZoneInfo, all_day: bool) -> str:
    if not all_day:
        return end.astimezone(zone).isoformat()
    first, last = start.astimezone(zone), end.astimezone(zone)
    # an all-day end at midnight after the first day is exclusive: the day before is the last
    if last.time() == time.min and last.date() > first.date():
        return (last.date() - timedelta(days=1)).isoformat()
    return last.date().isoformat()


def next_occurrence(page, info: PageInfo) -> EventOccurrence | None:
    """The date the ``Event`` describes: a single date's own (cancelled or moved too), a
    series' next date that takes place, else its next cancelled one, else its first date."""
    if not page.recurrence:
        return occurrence_at(page, page.start)
    upcoming = info.context_value("upcoming_occurrences")
    if upcoming is None:
        upcoming = page.get_upcoming_occurrences()
    upcoming = list(upcoming)
    for item in upcoming:
        if not item.cancelled:
            return item
    if upcoming:
        return upcoming[0]
    return occurrence_at(page, page.start)


def _address(text: str) -> dict[str, Any] | None:
    lines = [line.strip().rstrip(",") for line in (text or "").splitlines() if line.strip()]
    if not lines:
        return None
    address: dict[str, Any] = {"@type": "PostalAddress"}
    found = _POSTCODE_TOWN.match(lines[-1])
    if found:
        address["postalCode"], address["addressLocality"] = found.groups()
        lines = lines[:-1]
    if lines:
        address["streetAddress"] = ", ".join(lines)
    return address


def _locations(page, occurrence: EventOccurrence | None, info: PageInfo) -> list[dict]:
    name = (occurrence.location_name if occurrence else page.location_name) or ""
    address_text = (occurrence.location_address if occurrence else page.location_address) or ""
    found: list[dict[str, Any]] = []
    address = _address(address_text)
    if name or address:
        place: dict[str, Any] = {"@type": "Place", "name": name or address_text.splitlines()[0]}
        if address:
            place["address"] = address
        found.append(place)
    if page.online_url:
        # the link itself only where everyone sees it; else the page tells how to join
        found.append({"@type": "VirtualLocation", "url": page.public_online_url or info.url})
    return found


def _attendance_mode(locations: list[dict]) -> str:
    kinds = {location["@type"] for location in locations}
    if kinds == {"Place", "VirtualLocation"}:
        return schema_url("MixedEventAttendanceMode")
    if kinds == {"VirtualLocation"}:
        return schema_url("OnlineEventAttendanceMode")
    return schema_url("OfflineEventAttendanceMode")


def _offer(page, info: PageInfo, occurrence: EventOccurrence | None) -> dict | None:
    """An ``Offer`` where visitors register (the registration link, else the page), priced
    only when the related offer's cost text states a price."""
    link = info.absolute(page.registration_link)
    offer_page = page.related_offer.specific if page.related_offer_id else None
    price = price_from_text(getattr(offer_page, "cost", ""))
    if not link and price is None:
        return None
    offer: dict[str, Any] = {"@type": "Offer", "url": link or info.url}
    if price is not None:
        offer["price"] = str(price)
        offer["priceCurrency"] = "EUR"
    if occurrence is not None and not occurrence.cancelled:
        offer["availability"] = schema_url("InStock")
    return offer


def _status(occurrence: EventOccurrence | None) -> str:
    if occurrence is not None and occurrence.cancelled:
        return schema_url("EventCancelled")
    if occurrence is not None and occurrence.moved:
        return schema_url("EventRescheduled")
    return schema_url("EventScheduled")


def _times(node: dict, occurrence: EventOccurrence, zone: ZoneInfo) -> None:
    all_day = occurrence.all_day
    node["startDate"] = _moment(occurrence.start, zone, all_day)
    node["endDate"] = _end_moment(occurrence.start, occurrence.end, zone, all_day)
    if occurrence.moved:
        node["previousStartDate"] = _moment(occurrence.original_start, zone, all_day)


def event_node(page, info: PageInfo) -> dict[str, Any] | None:
    """The page's ``Event``; ``None`` for an event whose dates cannot be expanded (its page
    shows a note instead) or a page without a URL."""
    if page.schedule_problems or not info.url:
        return None
    zone = get_zone(page.time_zone)
    occurrence = next_occurrence(page, info)
    node: dict[str, Any] = {"@type": "Event", "@id": f"{info.url}#event", "name": page.title}
    description = plain_text(page.teaser) or info.description
    if description:
        node["description"] = description
    node["url"] = info.url
    if occurrence is not None:
        _times(node, occurrence, zone)
    else:  # the rule gives no date at its start (an EXDATE there): the stored dates
        node["startDate"] = _moment(page.start, zone, page.all_day)
        node["endDate"] = _end_moment(page.start, page.end, zone, page.all_day)
    node["eventStatus"] = _status(occurrence)
    locations = _locations(page, occurrence, info)
    if locations:
        node["eventAttendanceMode"] = _attendance_mode(locations)
        node["location"] = locations[0] if len(locations) == 1 else locations
    if info.image_url:
        node["image"] = [info.image_url]
    if info.organization:
        node["organizer"] = info.organization
    offer = _offer(page, info, occurrence)
    if offer:
        node["offers"] = offer
    node["inLanguage"] = info.language
    schedules = event_schedules(page)
    if schedules:
        node["eventSchedule"] = schedules[0] if len(schedules) == 1 else schedules
        moved = _moved_ahead(page, info, occurrence, zone)
        if moved:
            node["subEvent"] = moved
    return node


def _moved_ahead(page, info: PageInfo, current, zone: ZoneInfo) -> list[dict[str, Any]]:
    """Moved dates of a series ahead (except the one ``startDate`` describes) as sub-events."""
    upcoming = info.context_value("upcoming_occurrences")
    if upcoming is None:
        upcoming = page.get_upcoming_occurrences()
    found = []
    for item in upcoming:
        if not item.moved or item == current:
            continue
        sub: dict[str, Any] = {"@type": "Event", "name": page.title, "url": info.url}
        _times(sub, item, zone)
        sub["eventStatus"] = schema_url("EventRescheduled")
        found.append(sub)
    return found


# --- the series' rule as schema.org Schedules ----------------------------------------------


def _weekday(value) -> str:
    number = value.number if hasattr(value, "number") else int(value)
    index = getattr(value, "index", None)
    if index:  # "the 2nd Thursday": schema.org takes iCal's text for it
        return f"{index}{_ICAL_DAYS[number]}"
    return schema_url(_DAYS[number])


def _local_value(value: datetime | date, zone: ZoneInfo) -> str:
    if not isinstance(value, datetime):
        return value.isoformat()
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(zone).isoformat()


def except_dates(page) -> list[str]:
    """The series' EXDATEs, its cancelled dates and the old dates of moved ones, local."""
    zone = get_zone(page.time_zone)
    values = [_local_value(value, zone) for value in page.recurrence.exdates]
    for override in page.overrides.all():
        if override.original_start is None:
            continue
        if override.action == OverrideAction.CANCEL or (
            override.action == OverrideAction.MOVE and override.new_start
        ):
            values.append(_local_value(override.original_start, zone))
    return sorted(set(values))


def event_schedules(page) -> list[dict[str, Any]]:
    """A ``Schedule`` per RRULE of the page (none for a single date or RDATEs alone)."""
    recurrence = page.recurrence
    rules = [rule for rule in getattr(recurrence, "rrules", None) or [] if _usable(rule)]
    if not rules:
        return []
    zone = get_zone(page.time_zone)
    start = page.start.astimezone(zone)
    end = max(page.end, page.start).astimezone(zone)
    excepted = except_dates(page)
    schedules = []
    for rule in rules:
        prefix, unit = _PERIODS[rule.freq]
        schedule: dict[str, Any] = {
            "@type": "Schedule",
            "repeatFrequency": f"P{prefix}{rule.interval or 1}{unit}",
            "startDate": start.date().isoformat(),
            "scheduleTimezone": page.time_zone,
            "duration": iso_duration(end - start),
        }
        if not page.all_day:
            schedule["startTime"] = start.time().isoformat()
            schedule["endTime"] = end.time().isoformat()
        days = [_weekday(day) for day in rule.byday or []]
        if days:
            schedule["byDay"] = days
        if rule.bymonthday:
            schedule["byMonthDay"] = list(rule.bymonthday)
        if rule.bymonth:
            schedule["byMonth"] = list(rule.bymonth)
        if rule.count:
            schedule["repeatCount"] = rule.count
        elif rule.until:
            schedule["endDate"] = occurrences.to_wall(rule.until, zone).date().isoformat()
        if excepted:
            schedule["exceptDate"] = excepted
        schedules.append(schedule)
    return schedules


def _usable(rule) -> bool:
    return occurrences.is_usable_rule(rule) and rule.freq in _PERIODS


# --- the dates of an offer, for the offers app (provider ``offer_course_instances``) ---------

_COURSE_MODES = {
    schema_url("OfflineEventAttendanceMode"): "Onsite",
    schema_url("OnlineEventAttendanceMode"): "Online",
    schema_url("MixedEventAttendanceMode"): "Blended",
}
#: What a ``CourseInstance`` keeps of an ``Event`` node (it is one, without organizer or offers).
_INSTANCE_KEYS = (
    "name",
    "url",
    "startDate",
    "endDate",
    "previousStartDate",
    "eventStatus",
    "eventAttendanceMode",
    "location",
    "inLanguage",
)


def delivering_events(offer_page, info: PageInfo) -> list:
    """The live, public event pages of the offer's site that deliver the offer (the offer
    page's context has them from ``wagtail_hooks.add_event_series``; else one query)."""
    events = info.context_value("event_series")
    if events is not None:
        return list(events)
    found = (
        EventPage.objects.live()
        .filter(public_q(), related_offer=offer_page)
        .select_related("locale", "registration_page")
        .prefetch_related("overrides")
    )
    site_q = same_site_q(offer_page, info.request)
    if site_q is not None:
        found = found.filter(site_q)
    return list(found.order_by("start"))


def course_instances(offer_page, info: PageInfo) -> list[dict[str, Any]]:
    """A ``CourseInstance`` per event series delivering the offer: its next date, place or
    online mode and its rule as ``courseSchedule``."""
    instances = []
    for event in delivering_events(offer_page, info):
        event.related_offer = offer_page  # it delivers this offer: no query for it
        node = event_node(event, PageInfo(event, info.request))
        if node is None:
            continue
        instance = {"@type": "CourseInstance"}
        instance.update({key: node[key] for key in _INSTANCE_KEYS if key in node})
        instance["courseMode"] = _COURSE_MODES.get(node.get("eventAttendanceMode"), "Onsite")
        if "eventSchedule" in node:
            instance["courseSchedule"] = node["eventSchedule"]
        instances.append(instance)
    return instances
