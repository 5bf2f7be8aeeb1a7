"""Does a change to one occurrence name a date the series really has?

An override is matched to its occurrence by the exact start (RECURRENCE-ID). One typed as 16:00
for a 16:30 series matched nothing: it was saved with a success message and changed nothing.
This module finds whether a start is a real date of a series and, if not, the real dates next
to it, so that the editor can be told which ones exist. Pure apart from translation and date
formatting; no database.

Series may be endless, so every search is bounded: it looks at most ``SEARCH_HORIZON`` to each
side, in windows that start small and grow, and stops after ``MAX_SCANNED`` occurrences.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.formats import date_format, time_format
from django.utils.translation import gettext, ngettext

from . import occurrences
from .series import schedule_problems, series_for

#: How far before and after a typed date the nearest real dates are looked for.
SEARCH_HORIZON = timedelta(days=5 * 366)
#: The first search window; each further one is twice as long, up to ``_LONGEST_WINDOW``.
_FIRST_WINDOW = timedelta(days=8)
_LONGEST_WINDOW = timedelta(days=366)
#: Most occurrences one search looks at (a daily rule with BYHOUR/BYMINUTE can be dense).
MAX_SCANNED = 20_000

#: Searches stay in these years (events outside them are rejected or skipped elsewhere), so
#: a typed year 9999 cannot overflow ``datetime``.
_EARLIEST = datetime(1900, 1, 1, tzinfo=occurrences.UTC)
_LATEST = datetime(2200, 1, 1, tzinfo=occurrences.UTC)


@dataclass(frozen=True)
class StartCheck:
    """Whether a start is a real date of a series; if not, the real dates around it."""

    matches: bool
    before: datetime | None = None  # aware UTC, the last real start before the typed one
    after: datetime | None = None  # aware UTC, the first real start after it

    @property
    def nearest(self) -> list[datetime]:
        return [value for value in (self.before, self.after) if value is not None]


def _windows_forward(start: datetime, limit: datetime) -> Iterator[tuple[datetime, datetime]]:
    length = _FIRST_WINDOW
    while start < limit:
        end = min(start + length, limit)
        yield start, end
        start, length = end, min(length * 2, _LONGEST_WINDOW)


def _windows_backward(end: datetime, limit: datetime) -> Iterator[tuple[datetime, datetime]]:
    length = _FIRST_WINDOW
    while end > limit:
        start = max(end - length, limit)
        yield start, end
        end, length = start, min(length * 2, _LONGEST_WINDOW)


def _clamp(value: datetime) -> datetime:
    return min(max(value, _EARLIEST), _LATEST)


def _shifted(value: datetime, delta: timedelta) -> datetime:
    """``value + delta`` kept inside the searchable years."""
    return _clamp(_clamp(value) + delta)


def starts_after(
    series: occurrences.Series, moment: datetime, count: int, *, inclusive: bool = False
) -> list[datetime]:
    """The first ``count`` starts after ``moment`` (or at it, if ``inclusive``), ascending."""
    found: list[datetime] = []
    scanned = 0
    lower = _clamp(moment)
    for window_start, window_end in _windows_forward(lower, _shifted(moment, SEARCH_HORIZON)):
        for item in occurrences.iter_occurrences(series, window_start, window_end):
            scanned += 1
            if scanned > MAX_SCANNED:
                return found
            # an occurrence overlapping the window from before was seen in an earlier one
            if item.start < window_start or item.start < moment:
                continue
            if item.start == moment and not inclusive:
                continue
            found.append(item.start)
            if len(found) >= count:
                return found
    return found


def starts_before(series: occurrences.Series, moment: datetime, count: int) -> list[datetime]:
    """The last ``count`` starts before ``moment``, ascending."""
    found: list[datetime] = []
    scanned = 0
    upper = _clamp(moment)
    for window_start, window_end in _windows_backward(upper, _shifted(moment, -SEARCH_HORIZON)):
        tail: deque[datetime] = deque(maxlen=count - len(found))
        for item in occurrences.iter_occurrences(series, window_start, window_end):
            scanned += 1
            if scanned > MAX_SCANNED:
                return found
            if window_start <= item.start < min(window_end, moment):
                tail.append(item.start)
        found = [*tail, *found]
        if len(found) >= count:
            break
    return found


def has_start(series: occurrences.Series, start: datetime) -> bool:
    """Whether the series (rules, dates and exclusions applied) has an occurrence at ``start``."""
    if not _EARLIEST <= start < _LATEST:
        return False
    items = occurrences.iter_occurrences(series, start, start + timedelta(minutes=1))
    return any(item.start == start for item in items)


def check_start(series: occurrences.Series, original_start: datetime) -> StartCheck:
    """Whether ``original_start`` (aware) is a real date of ``series``; if not, its neighbours."""
    if has_start(series, original_start):
        return StartCheck(matches=True)
    if not _EARLIEST <= original_start < _LATEST:
        return StartCheck(matches=False)  # no neighbours worth naming for the year 9999
    before = starts_before(series, original_start, 1)
    after = starts_after(series, original_start, 1)
    return StartCheck(
        matches=False, before=before[0] if before else None, after=after[0] if after else None
    )


def _local(series: occurrences.Series, value: datetime) -> datetime:
    return value.astimezone(series.zone)


def format_start(series: occurrences.Series, value: datetime) -> str:
    """A start as the editor reads it: local time of the event, "14.01.2027 16:30" in German."""
    return date_format(_local(series, value), "SHORT_DATETIME_FORMAT")


def mismatch_message(
    series: occurrences.Series, original_start: datetime, check: StartCheck
) -> str:
    """The form error for an override whose date the series does not have.

    It names the typed date and the real dates nearest to it, in the event's own time zone, so
    the editor sees at once whether the day or the time was wrong.
    """
    typed = _local(series, original_start)
    values = {
        "date": date_format(typed, "SHORT_DATE_FORMAT"),
        "time": time_format(typed, "TIME_FORMAT"),
    }
    if series.rules or series.rdates:
        sentences = [gettext("The series has no date on %(date)s at %(time)s.") % values]
    else:
        sentences = [gettext("The event has no date on %(date)s at %(time)s.") % values]
    nearest = check.nearest
    if nearest:
        dates = ", ".join(format_start(series, value) for value in nearest)
        sentences.append(
            ngettext("The nearest date: %(dates)s.", "The nearest dates: %(dates)s.", len(nearest))
            % {"dates": dates}
        )
    return " ".join(_one_full_stop(sentence) for sentence in sentences)


def _one_full_stop(sentence: str) -> str:
    """No second full stop after "4 p.m.": English times end in an abbreviation's period."""
    return sentence[:-1] if sentence.endswith("..") else sentence


def original_start_error(series: occurrences.Series, original_start: datetime | None) -> str | None:
    """The error message for an override's date, or ``None`` when the series has that date.

    A missing date is left to the field's own "required" check.
    """
    if original_start is None:
        return None
    check = check_start(series, original_start)
    return None if check.matches else mismatch_message(series, original_start, check)


def override_errors(event_like: object, overrides: Iterable[object]) -> dict[int, str]:
    """Errors of overrides naming no real date of the event, by position in ``overrides``.

    ``event_like`` is anything ``series_for`` reads (an event page, or an object with its
    ``pk``, ``start``, ``end``, ``time_zone``, ``all_day`` and ``recurrence``); each override
    needs ``original_start``. An event without a start, or with a rule that cannot be expanded
    (dateutil refuses it; the rule's own validation says why), has nothing to check against.
    """
    if getattr(event_like, "start", None) is None or schedule_problems(event_like):
        return {}  # a broken rule is reported on its own field; nothing to compare with
    errors: dict[int, str] = {}
    try:
        series = series_for(event_like)
        for index, override in enumerate(overrides):
            message = original_start_error(series, getattr(override, "original_start", None))
            if message is not None:
                errors[index] = message
    except (ValueError, ArithmeticError):  # occurrences.ExpansionError is a ValueError
        return {}
    return errors


def suggested_starts(
    series: occurrences.Series, now: datetime, *, before: int = 5, after: int = 30
) -> list[datetime]:
    """Real dates an editor most likely means: the last ``before`` and next ``after`` ones."""
    return [*starts_before(series, now, before), *starts_after(series, now, after, inclusive=True)]
