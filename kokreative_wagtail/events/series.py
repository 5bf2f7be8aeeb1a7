"""From event pages to the pure occurrence module and back: rules, zones and overrides.

``occurrences.py`` knows nothing of Django; this module turns an event page (start, end, zone,
django-recurrence value) into a ``Series`` and applies the page's per-occurrence overrides.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from dateutil import rrule
from django.apps import apps
from django.db.models import Exists, OuterRef, Q

from . import occurrences, rules
from .choices import OverrideAction
from .recurrence_text import is_unreadable

logger = logging.getLogger(__name__)

DEFAULT_ZONE = "Europe/Berlin"


@functools.cache
def zone_names() -> frozenset[str]:
    """The IANA zone names of the installed time zone database.

    Read once per process: ``available_timezones()`` walks the database's files (about 15 ms),
    and every save of an event page and every edit form checks its zone against them.
    """
    return frozenset(available_timezones())


@functools.cache
def sorted_zone_names() -> tuple[str, ...]:
    """``zone_names()`` in alphabetical order (the choices of the zone field)."""
    return tuple(sorted(zone_names()))


def get_zone(name: str | None) -> ZoneInfo:
    """The zone named ``name``, or the default for an unknown name.

    ``ZoneInfo`` raises more than "not found": ``ValueError`` for a path-like name and
    ``IsADirectoryError`` for a region such as ``"Europe"`` (a directory of the zone database).
    """
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return ZoneInfo(DEFAULT_ZONE)


def _weekday(value) -> rrule.weekday:
    return rrule.weekday(value.number, value.index or None)


def rule_from_recurrence(rule) -> occurrences.Rule:
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
    return occurrences.Rule(
        freq=rule.freq,
        interval=1 if rule.interval is None else rule.interval,
        count=rule.count,
        until=rule.until,
        wkst=wkst,
        byparams=tuple(byparams),
    )


def series_for(event) -> occurrences.Series:
    """The ``Series`` of an event page (any object with the event fields)."""
    recurrence = event.recurrence
    rules = exrules = rdates = exdates = ()
    if recurrence:
        rules = tuple(rule_from_recurrence(r) for r in recurrence.rrules)
        exrules = tuple(rule_from_recurrence(r) for r in recurrence.exrules)
        rdates = tuple(recurrence.rdates)
        exdates = tuple(recurrence.exdates)
    end = event.end if event.end and event.end >= event.start else event.start
    return occurrences.Series(
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


def checked_series(event) -> tuple[occurrences.Series | None, list[rules.Problem]]:
    """The event's ``Series`` and what keeps it from being expanded, cheaply (no expansion):
    an unreadable stored rule, or a rule or date outside what validation accepts."""
    if is_unreadable(getattr(event, "recurrence", None)):
        return None, [rules.Problem("recurrence", "unreadable")]
    try:
        series = series_for(event)
    except (ArithmeticError, ValueError, TypeError, AttributeError, IndexError):
        return None, [rules.Problem("recurrence", "unreadable")]
    return series, rules.problems(series)


def schedule_problems(event) -> list[rules.Problem]:
    """What keeps the event's dates from being expanded; empty for a sound event."""
    return checked_series(event)[1]


def skip(event, reason: object) -> None:
    """The one warning a skipped series leaves per expansion: which page, and why."""
    logger.warning(
        "Event page %s (%r) skipped: its dates cannot be expanded (%s). "
        "Run `manage.py kokreative_check_events` to list such events.",
        getattr(event, "pk", None),
        getattr(event, "title", ""),
        reason,
    )


def _guarded(event, stream: Iterator, failed: set | None = None) -> Iterator:
    """``stream``, ended with a warning if the series fails part way (its budget, say); the
    event's key goes into ``failed``, so a caller collecting a list can drop its dates."""
    try:
        yield from stream
    except (
        occurrences.ExpansionError,
        ArithmeticError,
        ValueError,
        IndexError,
        TypeError,
    ) as error:
        if failed is not None:
            failed.add(event.pk)
        skip(event, error)


class LocalTimes:
    """``zone``, ``local_start`` and ``local_end`` of an occurrence with ``event``, ``start``
    and ``end``."""

    __slots__ = ()

    @property
    def zone(self) -> ZoneInfo:
        return get_zone(self.event.time_zone)

    @property
    def local_start(self) -> datetime:
        return self.start.astimezone(self.zone)

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(self.zone)


@dataclass(frozen=True)
class EventOccurrence(LocalTimes):
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


def _with_event(event, item: occurrences.Occurrence) -> EventOccurrence:
    return EventOccurrence(
        event=event,
        start=item.start,
        end=item.end,
        original_start=item.original_start,
        all_day=item.all_day,
        location_name=getattr(event, "location_name", ""),
        location_address=getattr(event, "location_address", ""),
    )


def sort_key(occurrence: EventOccurrence) -> tuple[datetime, int, datetime]:
    """The one order of occurrences everywhere (listings, API, index): start, then event id,
    then the series' own start; a total order, so paging has no repeats and no gaps."""
    return (occurrence.start, occurrence.event.pk or 0, occurrence.original_start)


#: Safety margin of the lower bounds ``_event_stream`` gives.
_SLACK = timedelta(days=1)


def _event_stream(
    event, overrides: Iterable, window_start, window_end, failed: set | None = None
) -> tuple[tuple[datetime, str], Iterator[EventOccurrence]]:
    """The occurrences of one event in a window, overrides applied, lazily by start; and a sort
    key no later than the first of them, known without expanding anything.

    Cancelled and relocated occurrences keep their time. A moved occurrence appears once, at its
    new time (and only if that is in the window), also when it was moved into the window from
    outside it: moves are few, so they are looked up one by one and merged into the series.
    """
    series, problems = checked_series(event)
    if problems:
        # isolated: this event is left out, every other one is still served
        skip(event, problems[0])
        return (occurrences.UTC_MAX, event.pk or 0), iter(())
    by_original = {o.original_start: o for o in overrides if o.original_start is not None}
    moving = {
        original
        for original, override in by_original.items()
        if override.action == OverrideAction.MOVE and override.new_start
    }

    def unmoved() -> Iterator[EventOccurrence]:
        for item in occurrences.iter_occurrences(series, window_start, window_end):
            if item.original_start in moving:
                continue
            current = _with_event(event, item)
            override = by_original.get(item.original_start)
            if override is not None:
                current = _override(current, override)
            yield current

    moved = []
    for original in moving:
        override = by_original[original]
        if override.new_start >= window_end:
            continue
        try:
            probe = occurrences.expand(
                series, original - timedelta(minutes=1), original + timedelta(minutes=1)
            )
        except (occurrences.ExpansionError, ArithmeticError):
            probe = []  # an override at a date out of range moves nothing
        for item in probe:
            if item.original_start != original:
                continue
            current = _override(_with_event(event, item), override)
            if occurrences.overlaps(current.start, current.end, window_start, window_end):
                moved.append(current)
    moved.sort(key=sort_key)
    if series.rules or series.rdates:
        # anything overlapping the window starts at most one duration before it
        earliest = window_start - (series.end - series.start) - _SLACK
    else:  # a single date: its own start (an all-day date may shift by its zone's offset)
        earliest = series.start - _SLACK
    if moved:
        earliest = min(earliest, moved[0].start)
    bound = (earliest.astimezone(occurrences.UTC), event.pk or 0)
    return bound, _guarded(event, heapq.merge(unmoved(), moved, key=sort_key), failed)


def _merge_lazily(
    streams: Iterable[tuple[tuple[datetime, str], Iterator[EventOccurrence]]],
) -> Iterator[EventOccurrence]:
    """Merge sorted streams, starting each only when its lower bound comes up.

    ``heapq.merge`` takes the first item of every stream at once; here a stream of dates far
    ahead (a one-off event next year) is not touched while enough earlier dates exist.
    """
    counter = itertools.count()
    heap = [(bound, next(counter), None, stream) for bound, stream in streams]
    heapq.heapify(heap)
    while heap:
        _key, _seq, item, stream = heapq.heappop(heap)
        if item is not None:
            yield item
        following = next(stream, None)
        if following is not None:
            heapq.heappush(heap, (sort_key(following), next(counter), following, stream))


def _override(current: EventOccurrence, override) -> EventOccurrence:
    if override.action == OverrideAction.CANCEL:
        return replace(current, cancelled=True, note=override.note)
    if override.action == OverrideAction.MOVE and override.new_start:
        new_end = override.new_end or (override.new_start + (current.end - current.start))
        return replace(
            current,
            start=override.new_start.astimezone(occurrences.UTC),
            end=new_end.astimezone(occurrences.UTC),
            moved=True,
            note=override.note,
        )
    if override.action == OverrideAction.LOCATION:
        return replace(
            current,
            location_name=override.location_name or current.location_name,
            location_address=override.location_address or current.location_address,
            note=override.note,
        )
    if override.action == OverrideAction.DETAILS:
        return replace(current, note=override.note)
    return current


def iter_occurrences_of(
    events: Iterable, window_start, window_end, failed: set | None = None
) -> Iterator[EventOccurrence]:
    """The occurrences of ``events`` (overrides prefetched as ``overrides``) in a window, sorted by
    start, merged lazily: taking the first 50 of a thousand series costs about what 50 dates
    cost, not a year of every series.

    Never raises for a series: one that cannot be expanded is skipped with a warning (its key
    added to ``failed`` if it fails part way), every other one is still served.
    """
    occurrences.check_window(window_start, window_end)
    return _merge_lazily(
        _event_stream(event, event.overrides.all(), window_start, window_end, failed)
        for event in events
    )


def may_occur_in(window_start: datetime, window_end: datetime):
    """A filter for event pages that can have an occurrence in the window.

    Only single dates are decided in the database: a one-off event that ended before the window
    or starts after it is left out, unless one of its overrides moves it into the window. Series
    always pass (their rules are text). On a site with years of past one-off events the listing
    then loads the few that matter, not all of them. A day of slack on each side covers all-day
    dates, whose occurrence is computed in the event's zone.
    """
    slack = timedelta(days=1)
    lower, upper = window_start - slack, window_end + slack
    single = Q(recurrence__isnull=True) | Q(recurrence="")
    overlaps = Q(start__lt=upper) & (Q(end__gt=lower) | Q(start__gte=lower))
    # the registry's model: the event pages use this module, the models import them
    override_model = apps.get_model("kokreative_events", "OccurrenceOverride")
    moved_in = Exists(
        override_model.objects.filter(
            page=OuterRef("pk"), new_start__isnull=False, new_start__lt=upper
        ).filter(Q(new_end__isnull=True) | Q(new_end__gt=lower) | Q(new_start__gte=lower))
    )
    return ~single | overlaps | moved_in


def occurrences_of(events: Iterable, window_start, window_end, limit=occurrences.MAX_OCCURRENCES):
    """The first ``limit`` occurrences of ``events`` in a window, sorted by start; a series that
    failed part way (its budget spent) is left out entirely, not cut off."""
    failed: set = set()
    items = list(
        itertools.islice(iter_occurrences_of(events, window_start, window_end, failed), limit)
    )
    if failed:
        items = [item for item in items if item.event.pk not in failed]
    return items


def occurrence_at(event, original_start: datetime) -> EventOccurrence | None:
    """The event's date whose series start is ``original_start``, its override applied (moved,
    cancelled, another place); ``None`` when the series has no such date or cannot be expanded.

    Registrations name their date by this start (RECURRENCE-ID), so a moved date stays the
    same date.
    """
    series, problems = checked_series(event)
    if problems:
        return None
    try:
        probe = occurrences.expand(
            series, original_start - timedelta(minutes=1), original_start + timedelta(minutes=1)
        )
    except (occurrences.ExpansionError, occurrences.WindowError, ArithmeticError):
        return None
    for item in probe:
        if item.original_start == original_start:
            current = _with_event(event, item)
            for override in event.overrides.all():
                if override.original_start == original_start:
                    return _override(current, override)
            return current
    return None
