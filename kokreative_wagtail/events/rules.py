"""What a series may say: RFC 5545's ranges and our limits, checked without a database.

Two levels, one vocabulary (``Problem``):

* ``problems(series)`` is static and costs microseconds. Every listing, API, feed and page runs
  it before expanding a series, so a rule stored past validation (from the shell, an import, a
  migration) is skipped with a warning instead of taking the calendar down.
* ``validate(series)`` adds what needs expansion: a rule that gives no date in its first
  ``FIRST_YEARS`` years, a series whose every date is excluded. The event page's ``clean()``
  calls it, so the admin, ``full_clean()`` and any import path share one set of rules.

The limits are documented in docs/events.md; messages name the problem in the words of the
editor's recurrence widget, not in RFC 5545's.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from dateutil import rrule
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext, override

from . import occurrences

#: Largest "every … days/weeks/months/years".
MAX_INTERVAL = 1000
#: Largest "after … occurrences".
MAX_COUNT = 1000
#: Most additional (RDATE) and most excluded (EXDATE) dates of one series, each.
MAX_DATES = 1000
#: Most start times one rule may give a day (BYHOUR × BYMINUTE × BYSECOND).
MAX_TIMES_PER_DAY = 24
#: A rule must give a date within this many years of the event's start.
FIRST_YEARS = 10
#: The coarsest to finest frequency events may repeat with.
FREQUENCIES = (rrule.YEARLY, rrule.MONTHLY, rrule.WEEKLY, rrule.DAILY)

_ORDINAL_LIMIT = {rrule.MONTHLY: 5, rrule.YEARLY: 53}

#: RFC 5545 ranges of the BYxxx parts: (lowest, highest, negatives allowed).
_RANGES = {
    "bysetpos": (1, 366, True),
    "bymonth": (1, 12, False),
    "bymonthday": (1, 31, True),
    "byyearday": (1, 366, True),
    "byweekno": (1, 53, True),
    "byhour": (0, 23, False),
    "byminute": (0, 59, False),
    "bysecond": (0, 59, False),
}


def _messages() -> dict[str, str]:
    """Message templates by problem code, translated into the active language."""
    return {
        "unreadable": gettext("The stored repetition rule cannot be read."),
        "cannot_expand": gettext("The dates of this repetition cannot be calculated."),
        "frequency": gettext("Events can repeat daily at most often."),
        "interval": gettext(
            "“Every …” must be a number from 1 to %(max)s (the rule says %(value)s)."
        ),
        "count": gettext(
            "“After … occurrences” must be a number from 1 to %(max)s (the rule says %(value)s)."
        ),
        "until_range": gettext(
            "The repetition must end between the years %(min)s and %(max)s (it ends on %(value)s)."
        ),
        "until_before_start": gettext("The repetition ends before the event starts."),
        "bysetpos": gettext(
            "The position in each period (“first”, “second”, “last” …) must be 1 to 366 or "
            "-1 to -366, not %(value)s."
        ),
        "bymonth": gettext("Months must be 1 to 12, not %(value)s."),
        "bymonthday": gettext(
            "Days of the month must be 1 to 31 or -1 (the last) to -31, not %(value)s."
        ),
        "byyearday": gettext(
            "Days of the year must be 1 to 366 or -1 (the last) to -366, not %(value)s."
        ),
        "byweekno": gettext("Week numbers must be 1 to 53 or -1 (the last) to -53, not %(value)s."),
        "byhour": gettext("Hours must be 0 to 23, not %(value)s."),
        "byminute": gettext("Minutes must be 0 to 59, not %(value)s."),
        "bysecond": gettext("Seconds must be 0 to 59, not %(value)s."),
        "byday_ordinal_frequency": gettext(
            "A weekday with a position (“%(value)s”) is only possible in monthly or yearly "
            "repetitions."
        ),
        "byday_ordinal_monthly": gettext(
            "A month has at most 5 of each weekday: the position must be 1 to 5 or -1 (the "
            "last) to -5, not %(value)s."
        ),
        "byday_ordinal_yearly": gettext(
            "A year has at most 53 of each weekday: the position must be 1 to 53 or -1 (the "
            "last) to -53, not %(value)s."
        ),
        "byday_ordinal_weekno": gettext(
            "A weekday with a position cannot be combined with week numbers."
        ),
        "byyearday_frequency": gettext("Days of the year are only possible in yearly repetitions."),
        "bymonthday_frequency": gettext(
            "Days of the month are not possible in weekly repetitions."
        ),
        "byweekno_frequency": gettext("Week numbers are only possible in yearly repetitions."),
        "times_per_day": gettext("A rule may give at most %(max)s start times a day."),
        "date_range": gettext("Give a date between the years %(min)s and %(max)s."),
        "rdate_range": gettext(
            "The additional date %(value)s is outside the years %(min)s to %(max)s."
        ),
        "exdate_range": gettext(
            "The excluded date %(value)s is outside the years %(min)s to %(max)s."
        ),
        "too_many_dates": gettext(
            "At most %(max)s additional and %(max)s excluded dates are possible."
        ),
        "no_occurrence": gettext(
            "This rule gives no date (in the first %(years)s years after the start)."
        ),
        "all_excluded": gettext("This repetition gives no date at all: every date is excluded."),
        "override": gettext("Change %(number)s: %(detail)s"),
    }


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a series: the form field it belongs to and what to tell."""

    field: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    #: 1-based number of the rule, and whether it is an exclusion rule, when there are several.
    rule: int | None = None
    exclusion: bool = False

    @property
    def message(self) -> str:
        """The message in the active language."""
        params = {"min": occurrences.MIN_YEAR, "max": occurrences.MAX_YEAR, **self.params}
        text = _messages()[self.code] % params
        if self.rule is None:
            return text
        if self.exclusion:
            return gettext("Exclusion rule %(number)s: %(problem)s") % {
                "number": self.rule,
                "problem": text,
            }
        return gettext("Rule %(number)s: %(problem)s") % {"number": self.rule, "problem": text}

    def __str__(self) -> str:
        """English, for logs and the management command's machine-readable output."""
        with override("en"):
            return self.message


# --- static checks -------------------------------------------------------------------------


def in_years(value: datetime | date) -> bool:
    """Whether ``value`` falls in the years event dates may have (``MIN_YEAR``..``MAX_YEAR``)."""
    return occurrences.MIN_YEAR <= value.year <= occurrences.MAX_YEAR


def _format(value: datetime | date) -> str:
    """A date as editors write it; by hand, as ``strftime`` pads no year below 1000."""
    text = f"{value.day:02d}.{value.month:02d}.{value.year:04d}"
    if isinstance(value, datetime):
        text += f" {value.hour:02d}:{value.minute:02d}"
    return text


def _weekday_label(day: rrule.weekday) -> str:

    return f"{day.n}. {WEEKDAYS[day.weekday]}"


def _rule_problems(rule: occurrences.Rule, start: datetime | None) -> Iterable[tuple[str, dict]]:
    """(code, params) for everything wrong with one rule, ignoring its position."""
    if rule.freq not in FREQUENCIES:
        yield "frequency", {}
        return  # the other checks assume a frequency we know
    if not 1 <= rule.interval <= MAX_INTERVAL:
        yield "interval", {"max": MAX_INTERVAL, "value": rule.interval}
    if rule.count is not None and not 1 <= rule.count <= MAX_COUNT:
        yield "count", {"max": MAX_COUNT, "value": rule.count}
    if rule.until is not None:
        if not in_years(rule.until):
            yield "until_range", {"value": _format(rule.until)}
        elif start is not None and _comparable(rule.until, start) < start:
            yield "until_before_start", {}
    params = dict(rule.byparams)
    for name, (lowest, highest, negatives) in _RANGES.items():
        for value in params.get(name, ()):
            ok = lowest <= value <= highest or (negatives and -highest <= value <= -lowest)
            if not ok:
                yield name, {"value": value}
    for day in params.get("byweekday", ()):
        position = getattr(day, "n", None)
        if not position:
            continue
        if rule.freq not in _ORDINAL_LIMIT:
            yield "byday_ordinal_frequency", {"value": _weekday_label(day)}
        elif rule.freq == rrule.YEARLY and params.get("byweekno"):
            yield "byday_ordinal_weekno", {}
        else:
            # RFC 5545: in a yearly rule with BYMONTH the position counts within the month
            in_month = rule.freq == rrule.MONTHLY or bool(params.get("bymonth"))
            if (
                not 1
                <= abs(position)
                <= _ORDINAL_LIMIT[rrule.MONTHLY if in_month else rrule.YEARLY]
            ):
                code = "byday_ordinal_monthly" if in_month else "byday_ordinal_yearly"
                yield code, {"value": position}
    if params.get("byyearday") and rule.freq != rrule.YEARLY:
        yield "byyearday_frequency", {}
    if params.get("bymonthday") and rule.freq == rrule.WEEKLY:
        yield "bymonthday_frequency", {}
    if params.get("byweekno") and rule.freq != rrule.YEARLY:
        yield "byweekno_frequency", {}
    times = 1
    for name in ("byhour", "byminute", "bysecond"):
        times *= max(len(set(params.get(name, ()))), 1)
    if times > MAX_TIMES_PER_DAY:
        yield "times_per_day", {"max": MAX_TIMES_PER_DAY}


def _comparable(value: datetime | date, like: datetime) -> datetime:
    """``value`` as a datetime comparable with the aware ``like`` (naive: in UTC)."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, datetime.min.time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=occurrences.UTC)
    return value


def problems(series: occurrences.Series) -> list[Problem]:
    """What is wrong with ``series`` that can be seen without expanding it (microseconds)."""
    found: list[Problem] = []
    for name in ("start", "end"):
        value = getattr(series, name)
        if value is not None and not in_years(value):
            found.append(Problem(name, "date_range"))
    start = series.start if series.start is not None and in_years(series.start) else None
    numbered = len(series.rules) + len(series.exrules) > 1
    for exclusion, rules in ((False, series.rules), (True, series.exrules)):
        for number, rule in enumerate(rules, start=1):
            for code, params in _rule_problems(rule, start):
                found.append(
                    Problem(
                        "recurrence",
                        code,
                        params,
                        rule=number if numbered or exclusion else None,
                        exclusion=exclusion,
                    )
                )
    if len(series.rdates) > MAX_DATES or len(series.exdates) > MAX_DATES:
        found.append(Problem("recurrence", "too_many_dates", {"max": MAX_DATES}))
    for code, values in (("rdate_range", series.rdates), ("exdate_range", series.exdates)):
        for value in values:
            if not in_years(value):
                found.append(Problem("recurrence", code, {"value": _format(value)}))
    return found


# --- checks that expand --------------------------------------------------------------------


def _first_years_end(start: datetime) -> datetime:
    return min(
        start + timedelta(days=366 * FIRST_YEARS),
        datetime(occurrences.MAX_YEAR, 12, 31, 23, 59, tzinfo=occurrences.UTC),
    )


def _rule_gives_a_date(rule: occurrences.Rule, series: occurrences.Series) -> bool:
    """Whether the rule alone (without DTSTART, RDATEs or exclusions) gives a date in its
    first ``FIRST_YEARS`` years. The search is bounded: at most one step per day of them."""
    zone = series.zone
    dtstart = occurrences.to_wall(series.start, zone)
    upper = occurrences.to_wall(_first_years_end(series.start), zone)
    instants = occurrences._dateutil_rule(rule, dtstart, zone, upper)
    return next(itertools.islice(instants, 1), None) is not None


def _series_gives_a_date(series: occurrences.Series) -> bool:
    """Whether the whole series (start, rules, RDATEs, minus exclusions) gives any date in its
    first ``FIRST_YEARS`` years."""
    zone = series.zone
    lower = occurrences.to_wall(series.start, zone) - timedelta(days=1)
    upper = occurrences.to_wall(_first_years_end(series.start), zone)
    return next(occurrences._wall_instants(series, lower, upper), None) is not None


def validate(series: occurrences.Series) -> list[Problem]:
    """Everything wrong with ``series``: the static problems, else what expansion shows."""
    found = problems(series)
    if found:
        return found
    numbered = len(series.rules) + len(series.exrules) > 1
    try:
        for number, rule in enumerate(series.rules, start=1):
            if not _rule_gives_a_date(rule, series):
                found.append(
                    Problem(
                        "recurrence",
                        "no_occurrence",
                        {"years": FIRST_YEARS},
                        rule=number if numbered else None,
                    )
                )
        if not found and (series.exdates or series.exrules) and not _series_gives_a_date(series):
            found.append(Problem("recurrence", "all_excluded"))
    except (occurrences.ExpansionError, ArithmeticError, ValueError, IndexError) as error:
        found.append(Problem("recurrence", "cannot_expand", {"error": str(error)}))
    return found


def first_message_by_field(found: Iterable[Problem]) -> dict[str, list[str]]:
    """Problems as a ``ValidationError`` dict: field → messages (each once, in order)."""
    result: dict[str, list[str]] = {}
    for problem in found:
        messages = result.setdefault(problem.field, [])
        if problem.message not in messages:
            messages.append(problem.message)
    return result
