"""From event pages to the pure occurrence module and back: rules, zones and overrides.

``occurrences.py`` knows nothing of Django; this module turns an event page (start, end, zone,
django-recurrence value) into a ``Series`` and applies the page's per-occurrence overrides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil import rrule as du

from . import occurrences as occ

DEFAULT_ZONE = "Europe/Berlin"


def get_zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def _weekday(value) -> du.weekday:
    return du.weekday(value.number, value.index or None)


def rule_from_recurrence(rule) -> occ.Rule:
    """A django-recurrence ``Rule`` as an ``occurrences.Rule``."""
    byparams = []
    for name in rule.byparams:
        values = getattr(rule, name, None) or []
        if not values:
            continue
        if name == "byday":
            byparams.append(("byweekday", tuple(_weekday(v) for v in values)))
        else:
            byparams.append((name, tuple(values)))
    wkst = rule.wkst.number if hasattr(rule.wkst, "number") else rule.wkst
    return occ.Rule(
        freq=rule.freq,
        interval=1 if rule.interval is None else rule.interval,
        count=rule.count,
        until=rule.until,
        wkst=wkst,
        byparams=tuple(byparams),
    )


def series_for(event) -> occ.Series:
    """The ``Series`` of an event page (any object with the event fields)."""
    recurrence = event.recurrence
    rules = exrules = rdates = exdates = ()
    if recurrence:
        rules = tuple(rule_from_recurrence(r) for r in recurrence.rrules)
        exrules = tuple(rule_from_recurrence(r) for r in recurrence.exrules)
        rdates = tuple(recurrence.rdates)
        exdates = tuple(recurrence.exdates)
    end = event.end if event.end and event.end >= event.start else event.start
    return occ.Series(
        key=event.pk,
        start=event.start,
        end=end,
        zone=get_zone(event.time_zone),
        rules=rules,
        exrules=exrules,
        rdates=rdates,
        exdates=exdates,
        all_day=event.all_day,
    )


@dataclass(frozen=True)
class EventOccurrence:
    """An occurrence with its event and what an override changed."""

    event: object
    start: datetime
    end: datetime
    original_start: datetime
    all_day: bool = False
    cancelled: bool = False
    moved: bool = False
    note: str = ""
    location_name: str = ""
    location_address: str = ""

    @property
    def zone(self) -> ZoneInfo:
        return get_zone(self.event.time_zone)

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(self.zone)

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(self.zone)


def _with_event(event, item: occ.Occurrence) -> EventOccurrence:
    return EventOccurrence(
        event=event,
        start=item.start,
        end=item.end,
        original_start=item.original_start,
        all_day=item.all_day,
        location_name=getattr(event, "location_name", ""),
        location_address=getattr(event, "location_address", ""),
    )


def apply_overrides(
    event, items: list[occ.Occurrence], overrides: Iterable, window_start, window_end
) -> list[EventOccurrence]:
    """Cancel, move or relocate occurrences as the event's overrides say.

    A moved occurrence appears once, at its new time (and only if that is in the window); an
    occurrence moved into the window from outside it is added.
    """
    from .choices import OverrideAction

    by_original = {o.original_start: o for o in overrides if o.original_start is not None}

    def in_window(current: EventOccurrence) -> bool:
        # the overlap rule of occurrences.expand: running during the window, or starting in it
        return current.start < window_end and (
            current.end > window_start or current.start >= window_start
        )

    result = []
    seen = set()
    for item in items:
        seen.add(item.original_start)
        current = _with_event(event, item)
        override = by_original.get(item.original_start)
        if override is not None:
            current = _override(current, override, OverrideAction)
        if in_window(current):
            result.append(current)
    # occurrences moved into the window whose original start lies outside it
    series = None
    for original, override in by_original.items():
        if original in seen or override.action != OverrideAction.MOVE or not override.new_start:
            continue
        if override.new_start >= window_end:
            continue
        series = series or series_for(event)
        probe = occ.expand(series, original - timedelta(minutes=1), original + timedelta(minutes=1))
        for item in probe:
            if item.original_start != original:
                continue
            current = _override(_with_event(event, item), override, OverrideAction)
            if in_window(current):
                result.append(current)
    return sorted(result, key=lambda o: (o.start, str(o.event.pk)))


def _override(current: EventOccurrence, override, actions) -> EventOccurrence:
    if override.action == actions.CANCEL:
        return replace(current, cancelled=True, note=override.note)
    if override.action == actions.MOVE and override.new_start:
        new_end = override.new_end or (override.new_start + (current.end - current.start))
        return replace(
            current,
            start=override.new_start.astimezone(occ.UTC),
            end=new_end.astimezone(occ.UTC),
            moved=True,
            note=override.note,
        )
    if override.action == actions.LOCATION:
        return replace(
            current,
            location_name=override.location_name or current.location_name,
            location_address=override.location_address or current.location_address,
            note=override.note,
        )
    return current


def occurrences_of(events: Iterable, window_start, window_end, limit=occ.MAX_OCCURRENCES):
    """All occurrences of ``events`` (overrides prefetched as ``overrides``) in a window."""
    occ.check_window(window_start, window_end)
    result: list[EventOccurrence] = []
    for event in events:
        items = occ.expand(series_for(event), window_start, window_end, limit=limit)
        result.extend(
            apply_overrides(event, items, event.overrides.all(), window_start, window_end)
        )
    result.sort(key=lambda o: (o.start, str(o.event.pk)))
    return result[:limit]
