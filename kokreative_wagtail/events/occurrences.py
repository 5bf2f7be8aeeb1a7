"""Occurrences of event series in a bounded window — pure, no database, no request.

Rules are expanded in the local wall time of the event's zone and converted to aware UTC at the
edge, so "Thursday 16:30 Europe/Berlin" stays 16:30 local across both daylight-saving switches.

Local times that do not exist or exist twice follow RFC 5545 §3.3.5 (what ``zoneinfo`` does with
``fold=0``): a time in the spring gap is read with the offset before the gap (02:30 on the switch
day becomes 03:30 CEST), a time in the autumn overlap means its first instance (02:30 CEST).

Cost is proportional to the occurrences near the window, not to the age of a series: rules
without COUNT start iterating one period before the window (``_anchor``), COUNT rules iterate
from DTSTART; no rule searches past the window's end (UNTIL is clamped to it, so a rule that
never matches stops there), and one series takes at most ``MAX_ITERATIONS`` rule steps before
``ExpansionError`` gives it up. The window length and the number of occurrences returned are
capped too. What a rule may say at all (ranges, frequencies, years) is ``rules.py``'s business;
this module raises ``ExpansionError`` for anything it cannot expand.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from dateutil import rrule

UTC = timezone.utc
#: Sorts after every real instant (a stream that yields nothing).
UTC_MAX = datetime.max.replace(tzinfo=UTC)

#: Longest window one call may ask for.
MAX_WINDOW = timedelta(days=732)
#: Most occurrences one call returns (over all series).
MAX_OCCURRENCES = 2000
#: Most rule instants one series may step through in one expansion (its budget); more raises
#: ``ExpansionError``. Valid rules stay far below it: a two-year window of a rule with 24 start
#: times a day is 17,544 steps, COUNT is at most ``rules.MAX_COUNT``.
MAX_ITERATIONS = 20_000

#: Years an event's dates, a rule's UNTIL and its RDATE/EXDATE values may fall in (validation
#: rejects others; expansion skips a series stored with them). Windows of listings and the API
#: stay inside them too.
MIN_YEAR = 1900
MAX_YEAR = 2199

#: Wall-time slack around the window; larger than any single UTC offset change of a zone.
_MARGIN = timedelta(hours=3)

_FIXED_PERIOD = {
    rrule.WEEKLY: timedelta(weeks=1),
    rrule.DAILY: timedelta(days=1),
    rrule.HOURLY: timedelta(hours=1),
    rrule.MINUTELY: timedelta(minutes=1),
    rrule.SECONDLY: timedelta(seconds=1),
}


class WindowError(ValueError):
    """The window is reversed, naive or longer than ``MAX_WINDOW``."""


class ExpansionError(ValueError):
    """A series cannot be expanded: a rule dateutil refuses, a date outside what ``datetime``
    holds, or more than ``MAX_ITERATIONS`` rule steps. Callers skip the series."""


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


def overlaps(start: datetime, end: datetime, window_start: datetime, window_end: datetime) -> bool:
    """Whether an occurrence from ``start`` to ``end`` belongs to [window_start, window_end):
    running during the window, or starting in it (a zero-length one at the window's start)."""
    return start < window_end and (end > window_start or start >= window_start)


def is_usable_rule(rule: Any) -> bool:
    """Whether a rule can give dates at all: not with an INTERVAL or a COUNT below 1.

    Takes our ``Rule`` and django-recurrence's (whose unset INTERVAL means 1). Validation
    rejects such rules; expansion and the feeds leave one stored past it out.
    """
    interval = 1 if rule.interval is None else rule.interval
    return interval >= 1 and (rule.count is None or rule.count >= 1)


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


def _clamped_until(rule: Rule, zone: ZoneInfo, upper: datetime) -> datetime:
    """The rule's UNTIL in wall time, never later than ``upper``: nothing past the window is
    needed, and a rule that never matches then stops searching at the window's end instead of
    in the year 9999."""
    if rule.until is None:
        return upper
    return min(to_wall(rule.until, zone), upper)


class _PastUntil(Exception):
    """Raised inside dateutil's iteration once its search has passed UNTIL."""


class _BoundedRule(rrule.rrule):
    """dateutil's ``rrule``, whose search stops once it has passed UNTIL.

    dateutil compares UNTIL only with the dates it finds: a rule that finds none (the 30th of
    February) searches on, period by period, to the year 9999, seconds per call. Its iteration
    re-reads ``_bynweekday`` at every change of month or period (``_iterinfo.rebuild``), so
    counting those reads tells when the search has gone past UNTIL's month. Should a later
    dateutil read it less often, the count merely never trips: correct, only slower.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._rebuilds = 0
        self._max_rebuilds: int | None = None
        super().__init__(*args, **kwargs)
        # dateutil reads it while setting itself up, once more per positioned weekday ("the 2nd
        # Monday, the last Tuesday"): only the iteration's reads count
        self._rebuilds = 0
        if self._until is not None:
            months = (self._until.year - self._dtstart.year) * 12
            months += self._until.month - self._dtstart.month
            # a rebuild reads it twice for positioned weekdays, however many there are
            reads = 2 if self.__dict__.get("_bynweekday_value") else 1
            self._max_rebuilds = reads * max(months + 1, 0) + 4  # + reads outside rebuild

    @property
    def _bynweekday(self) -> Any:
        self._rebuilds += 1
        if self._max_rebuilds is not None and self._rebuilds > self._max_rebuilds:
            raise _PastUntil
        return self.__dict__["_bynweekday_value"]

    @_bynweekday.setter
    def _bynweekday(self, value: Any) -> None:
        self.__dict__["_bynweekday_value"] = value


def _until_passed(rule: rrule.rrule) -> Iterator[datetime]:
    try:
        yield from rule
    except _PastUntil:
        return


def _dateutil_rule(
    rule: Rule, dtstart: datetime, zone: ZoneInfo, upper: datetime, extra: dict | None = None
) -> Iterator[datetime]:
    """The rule's instants from ``dtstart`` up to ``upper`` (wall time), at most ``COUNT``.

    COUNT is applied by taking the first instants, so UNTIL can bound the search as well
    (dateutil takes one or the other); the search itself stops past UNTIL (``_BoundedRule``).
    """
    instants = _until_passed(
        _BoundedRule(
            rule.freq,
            dtstart=dtstart,
            interval=rule.interval,
            wkst=rule.wkst,
            until=_clamped_until(rule, zone, upper),
            **{**rule.kwargs(), **(extra or {})},
        )
    )
    if rule.count is not None:
        return itertools.islice(instants, rule.count)
    return instants


def _defaults(rule: Rule, dtstart: datetime) -> dict[str, Any]:
    """The BYxxx values dateutil derives from DTSTART, made explicit so the start can move."""
    given = {name for name, values in rule.byparams if values}
    extra: dict[str, Any] = {}
    if not given & {"byweekno", "byyearday", "bymonthday", "byweekday"}:
        if rule.freq == rrule.YEARLY:
            if "bymonth" not in given:
                extra["bymonth"] = [dtstart.month]
            extra["bymonthday"] = [dtstart.day]
        elif rule.freq == rrule.MONTHLY:
            extra["bymonthday"] = [dtstart.day]
        elif rule.freq == rrule.WEEKLY:
            extra["byweekday"] = [dtstart.weekday()]
    for name, value, finest in (
        ("byhour", dtstart.hour, rrule.HOURLY),
        ("byminute", dtstart.minute, rrule.MINUTELY),
        ("bysecond", dtstart.second, rrule.SECONDLY),
    ):
        if name not in given and rule.freq < finest:
            extra[name] = [value]
    return extra


def _anchor(rule: Rule, dtstart: datetime, lower: datetime) -> tuple[datetime, dict[str, Any]]:
    """A DTSTART moved forward by whole periods to just before ``lower``, where that is exact,
    and the BYxxx values the move must keep.

    Shifting by a multiple of FREQ×INTERVAL keeps every BYxxx alignment: for fixed-length
    periods (days, weeks) the time moves by a multiple of the period; monthly and yearly rules
    move to the first day of a month (year) of the same phase, at midnight, with the values
    dateutil would have taken from the real start given explicitly. COUNT rules must count from
    the real start, so those stay put. One period of margin covers BYxxx expansions that reach
    over a period's edge (week numbers, BYSETPOS).
    """
    if rule.count is not None or lower <= dtstart:
        return dtstart, {}
    period = _FIXED_PERIOD.get(rule.freq)
    if period is not None:
        step = period * rule.interval
        periods = (lower - dtstart) // step - 1
        if periods <= 0:
            return dtstart, {}
        return dtstart + step * periods, {}
    if rule.freq == rrule.MONTHLY:
        first = dtstart.year * 12 + dtstart.month - 1
        periods = (lower.year * 12 + lower.month - 1 - first) // rule.interval - 1
        if periods <= 0:
            return dtstart, {}
        index = first + periods * rule.interval
        return datetime(index // 12, index % 12 + 1, 1), _defaults(rule, dtstart)
    if rule.freq == rrule.YEARLY:
        periods = (lower.year - dtstart.year) // rule.interval - 1
        if periods <= 0:
            return dtstart, {}
        return datetime(dtstart.year + periods * rule.interval, 1, 1), _defaults(rule, dtstart)
    return dtstart, {}


def _budgeted(instants: Iterable[datetime], budget: list[int]) -> Iterator[datetime]:
    """``instants``, counting each against the series' shared ``budget`` of rule steps."""
    for instant in instants:
        budget[0] -= 1
        if budget[0] < 0:
            raise ExpansionError(f"more than {MAX_ITERATIONS} rule steps")
        yield instant


def _rule_stream(
    rule: Rule, dtstart: datetime, zone: ZoneInfo, lower: datetime, upper: datetime, budget
) -> Iterator[datetime]:
    anchor, extra = _anchor(rule, dtstart, lower)
    return _budgeted(_dateutil_rule(rule, anchor, zone, upper, extra), budget)


def _wall_instants(series: Series, lower: datetime, upper: datetime) -> Iterator[datetime]:
    """Rule and RDATE instants of ``series`` in [lower, upper) in wall time, sorted, unique."""
    zone = series.zone
    dtstart = to_wall(series.start, zone)
    budget = [MAX_ITERATIONS]
    streams: list[Iterable[datetime]] = []
    for rule in filter(is_usable_rule, series.rules):
        streams.append(_rule_stream(rule, dtstart, zone, lower, upper, budget))
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
        _rule_stream(rule, dtstart, zone, lower, upper, budget)
        for rule in filter(is_usable_rule, series.exrules)
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
    try:
        yield from _iter_occurrences(_whole_seconds(series), window_start, window_end)
    except ExpansionError:
        raise
    except (ArithmeticError, ValueError, IndexError, TypeError) as error:
        # dateutil's own refusals (BYSETPOS=0, BYHOUR=25, "9th Monday") and dates past
        # what datetime holds: one exception type for callers to catch
        raise ExpansionError(f"{type(error).__name__}: {error}") from error


def _whole_seconds(series: Series) -> Series:
    """``series`` with its start and end in whole seconds, as iCalendar has them: dateutil drops
    a rule start's fraction of a second, so the start itself and the rule's first date would
    be two occurrences a fraction apart, and the rule's dates would match no override."""
    if getattr(series.start, "microsecond", 0) or getattr(series.end, "microsecond", 0):
        return replace(
            series,
            start=series.start.replace(microsecond=0),
            end=series.end.replace(microsecond=0),
        )
    return series


def _iter_occurrences(
    series: Series, window_start: datetime, window_end: datetime
) -> Iterator[Occurrence]:
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
        if overlaps(start, end, window_start, window_end):
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
