"""Occurrences of event series in a bounded window — pure, no database, no request.

Rules are expanded in the local wall time of the event's zone and converted to aware UTC at the
edge, so "Thursday 16:30 Europe/Berlin" stays 16:30 local across both daylight-saving switches.

Local times that do not exist or exist twice follow RFC 5545 §3.3.5 (what ``zoneinfo`` does with
``fold=0``): a time in the spring gap is read with the offset before the gap (02:30 on the switch
day becomes 03:30 CEST), a time in the autumn overlap means its first instance (02:30 CEST).

Cost is proportional to the occurrences near the window, not to the age of a series: rules with a
fixed period (DAILY, WEEKLY, HOURLY, MINUTELY, SECONDLY without COUNT) start iterating at the
window; other rules iterate from DTSTART but never past ``MAX_ITERATIONS`` steps. The window length
and the number of occurrences returned are capped too, so a pathological rule ("every second, no
end") cannot stall a request.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from dateutil import rrule as du

UTC = timezone.utc

#: Longest window one call may ask for.
MAX_WINDOW = timedelta(days=732)
#: Most occurrences one call returns (over all series).
MAX_OCCURRENCES = 2000
#: Most rule steps one series may take from its DTSTART (COUNT and monthly/yearly rules).
MAX_ITERATIONS = 50_000

#: Wall-time slack around the window; larger than any single UTC offset change of a zone.
_MARGIN = timedelta(hours=3)

_FIXED_PERIOD = {
    du.WEEKLY: timedelta(weeks=1),
    du.DAILY: timedelta(days=1),
    du.HOURLY: timedelta(hours=1),
    du.MINUTELY: timedelta(minutes=1),
    du.SECONDLY: timedelta(seconds=1),
}


class WindowError(ValueError):
    """The window is reversed, naive or longer than ``MAX_WINDOW``."""


@dataclass(frozen=True)
class Rule:
    """One RRULE, in the terms of RFC 5545 (a subset of ``dateutil.rrule`` arguments)."""

    freq: int
    interval: int = 1
    count: int | None = None
    until: datetime | None = None  # aware, or naive local wall time
    wkst: int | None = None
    byparams: tuple[tuple[str, tuple[Any, ...]], ...] = ()

    def kwargs(self) -> dict[str, Any]:
        return {name: list(values) for name, values in self.byparams if values}


@dataclass(frozen=True)
class Series:
    """What expansion needs of an event: its first start and end, zone and rules."""

    key: Any
    start: datetime  # aware
    end: datetime  # aware
    zone: ZoneInfo
    rules: tuple[Rule, ...] = ()
    exrules: tuple[Rule, ...] = ()
    rdates: tuple[datetime | date, ...] = ()
    exdates: tuple[datetime | date, ...] = ()
    all_day: bool = False


@dataclass(frozen=True, order=True)
class Occurrence:
    start: datetime  # aware UTC
    end: datetime = field(compare=False)  # aware UTC
    key: Any = field(compare=False)
    #: The start the rule gave this occurrence (RECURRENCE-ID); differs from ``start`` once moved.
    original_start: datetime = field(compare=False)
    all_day: bool = field(default=False, compare=False)


def check_window(start: datetime, end: datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise WindowError("The window needs aware datetimes.")
    if end <= start:
        raise WindowError("The window ends before it starts.")
    if end - start > MAX_WINDOW:
        raise WindowError(f"The window is longer than {MAX_WINDOW.days} days.")


def to_wall(value: datetime | date, zone: ZoneInfo) -> datetime:
    """A datetime (aware: converted; naive: taken as wall time) or date as naive wall time."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(zone)
        return value.replace(tzinfo=None)
    return datetime.combine(value, time.min)


def from_wall(value: datetime, zone: ZoneInfo) -> datetime:
    """Naive wall time in ``zone`` to aware UTC, with RFC 5545's rule for gaps and overlaps."""
    return value.replace(tzinfo=zone, fold=0).astimezone(UTC)


def _is_date_only(value: datetime | date) -> bool:
    return not isinstance(value, datetime)


def _dateutil_rule(rule: Rule, dtstart: datetime, zone: ZoneInfo) -> du.rrule:
    until = to_wall(rule.until, zone) if rule.until is not None else None
    return du.rrule(
        rule.freq,
        dtstart=dtstart,
        interval=rule.interval,
        wkst=rule.wkst,
        count=rule.count,
        until=until,
        **rule.kwargs(),
    )


def _anchor(rule: Rule, dtstart: datetime, lower: datetime) -> datetime:
    """A DTSTART moved forward by whole periods to just before ``lower``, where that is exact.

    Shifting by a multiple of FREQ×INTERVAL keeps every BYxxx alignment for fixed-length periods,
    so the rule yields the same instances after the new anchor; COUNT rules must count from the
    real start and calendar periods (months, years) have no fixed length, so those stay put.
    """
    period = _FIXED_PERIOD.get(rule.freq)
    if period is None or rule.count is not None or lower <= dtstart:
        return dtstart
    step = period * rule.interval
    periods = (lower - dtstart) // step - 1  # one period of margin for BYxxx expansions
    if periods <= 0:
        return dtstart
    return dtstart + step * periods


def _wall_instants(series: Series, lower: datetime, upper: datetime) -> Iterator[datetime]:
    """Rule and RDATE instants of ``series`` in [lower, upper) in wall time, sorted, unique."""
    zone = series.zone
    dtstart = to_wall(series.start, zone)
    streams: list[Iterable[datetime]] = []
    for rule in series.rules:
        if rule.interval < 1 or (rule.count is not None and rule.count < 1):
            continue  # invalid rules yield nothing (the model form rejects them)
        anchor = _anchor(rule, dtstart, lower)
        streams.append(itertools.islice(_dateutil_rule(rule, anchor, zone), MAX_ITERATIONS))
    explicit = sorted({dtstart, *(to_wall(d, zone) for d in series.rdates)})
    streams.append(explicit)

    excluded_instants = set()
    excluded_days = set()
    for value in series.exdates:
        wall = to_wall(value, zone)
        if _is_date_only(value) or (wall.time() == time.min and dtstart.time() != time.min):
            excluded_days.add(wall.date())
        else:
            excluded_instants.add(wall)
    exrule_sets = [
        iter(itertools.islice(_dateutil_rule(rule, dtstart, zone), MAX_ITERATIONS))
        for rule in series.exrules
        if rule.interval >= 1
    ]
    exrule_next: list[datetime | None] = [next(it, None) for it in exrule_sets]

    previous = None
    for instant in heapq.merge(*streams):
        if instant >= upper:
            break
        if instant == previous:
            continue
        previous = instant
        if instant < lower or instant in excluded_instants or instant.date() in excluded_days:
            continue
        excluded = False
        for i, it in enumerate(exrule_sets):
            while exrule_next[i] is not None and exrule_next[i] < instant:
                exrule_next[i] = next(it, None)
            if exrule_next[i] == instant:
                excluded = True
        if not excluded:
            yield instant


def iter_occurrences(
    series: Series, window_start: datetime, window_end: datetime
) -> Iterator[Occurrence]:
    """Occurrences of one series overlapping [window_start, window_end), lazily, by start.

    Timed occurrences keep the exact duration of the first one (RFC 5545 §3.8.5.3), so one in a
    DST gap or overlap does not end before it starts or run an hour long; all-day ones keep
    their number of days.
    """
    check_window(window_start, window_end)
    zone = series.zone
    wall_start = to_wall(series.start, zone)
    wall_duration = max(to_wall(series.end, zone) - wall_start, timedelta(0))
    exact_duration = max(series.end - series.start, timedelta(0))
    # Search a little wider in wall time (a zone's offset changes by less than _MARGIN at a
    # time), then filter exactly in UTC.
    lower = to_wall(window_start, zone) - wall_duration - _MARGIN
    upper = to_wall(window_end, zone) + _MARGIN
    # Wall time maps to UTC almost monotonically (not across a DST gap): hold occurrences back
    # until no later wall instant can start before them.
    # A gap time and the real time an hour later name the same instant: it occurs once.
    pending: list[tuple[datetime, int, Occurrence]] = []
    counter = itertools.count()
    last = None
    for instant in _wall_instants(series, lower, upper):
        start = from_wall(instant, zone)
        end = from_wall(instant + wall_duration, zone) if series.all_day else start + exact_duration
        while pending and pending[0][0] < start - _MARGIN:
            item = heapq.heappop(pending)[2]
            if item.start != last:
                last = item.start
                yield item
        if start < window_end and (end > window_start or start >= window_start):
            item = Occurrence(start, end, series.key, start, series.all_day)
            heapq.heappush(pending, (start, next(counter), item))
    while pending:
        item = heapq.heappop(pending)[2]
        if item.start != last:
            last = item.start
            yield item


def expand(
    series: Series,
    window_start: datetime,
    window_end: datetime,
    *,
    limit: int = MAX_OCCURRENCES,
) -> list[Occurrence]:
    """Occurrences of one series overlapping [window_start, window_end), sorted by start."""
    return list(itertools.islice(iter_occurrences(series, window_start, window_end), limit))


def expand_many(
    series: Iterable[Series],
    window_start: datetime,
    window_end: datetime,
    *,
    limit: int = MAX_OCCURRENCES,
) -> list[Occurrence]:
    """Occurrences of many series in one sorted list, at most ``limit`` of them.

    The series are merged lazily: the work is bounded by ``limit``, not by the total.
    """
    check_window(window_start, window_end)
    limit = min(limit, MAX_OCCURRENCES)
    streams = [iter_occurrences(s, window_start, window_end) for s in series]
    return list(itertools.islice(heapq.merge(*streams), limit))


def moved(occurrence: Occurrence, start: datetime, end: datetime) -> Occurrence:
    """The occurrence at a new time; it keeps its ``original_start`` (RECURRENCE-ID)."""
    return replace(occurrence, start=start.astimezone(UTC), end=end.astimezone(UTC))
