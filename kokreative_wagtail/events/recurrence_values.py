"""A django-recurrence value as the plain choices of the repeat editor, and back.

The editor (``recurrence_editor.py``) shows a rule as native controls: how often, every how
many, on which weekdays or which day of the month, until when, plus extra and excluded dates.
``editor_values`` splits a stored value into those choices; ``recurrence_from`` builds the value
from submitted choices and raises ``ValidationError`` naming the control at fault.

What the controls cannot show (several rules, exclusion rules, hours, week numbers …) is kept
as RFC 5545 text in the "custom rule" mode, so opening and saving a page never loses a rule.
Dates are local to the event's zone: extra dates carry their start time; an excluded date is
stored as local midnight, which ``occurrences.py`` reads as "the whole day".
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from datetime import timezone as dt_timezone
from zoneinfo import ZoneInfo

import recurrence
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from recurrence.base import Rule, Weekday
from recurrence.exceptions import DeserializationError

from .occurrences import from_wall
from .recurrence_text import is_unreadable, serialize
from .rules import MAX_COUNT, MAX_DATES, MAX_INTERVAL

#: ``datetime.UTC`` is Python 3.11+; the package supports 3.10.
UTC = dt_timezone.utc

#: The frequencies the editor offers, in the order of its select ("" = no repetition).
FREQUENCIES = {
    "DAILY": recurrence.DAILY,
    "WEEKLY": recurrence.WEEKLY,
    "MONTHLY": recurrence.MONTHLY,
    "YEARLY": recurrence.YEARLY,
}
CUSTOM = "CUSTOM"
FREQUENCY_CHOICES = [
    ("", _("Does not repeat")),
    ("DAILY", _("Daily")),
    ("WEEKLY", _("Weekly")),
    ("MONTHLY", _("Monthly")),
    ("YEARLY", _("Yearly")),
    (CUSTOM, _("Custom rule (iCalendar text)")),
]
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_CHOICES = [
    ("MO", _("Monday")),
    ("TU", _("Tuesday")),
    ("WE", _("Wednesday")),
    ("TH", _("Thursday")),
    ("FR", _("Friday")),
    ("SA", _("Saturday")),
    ("SU", _("Sunday")),
]
ORDINAL_CHOICES = [
    ("1", _("first")),
    ("2", _("second")),
    ("3", _("third")),
    ("4", _("fourth")),
    ("-1", _("last")),
]
MONTH_CHOICES = [
    (str(number), name)
    for number, name in enumerate(
        [
            _("January"),
            _("February"),
            _("March"),
            _("April"),
            _("May"),
            _("June"),
            _("July"),
            _("August"),
            _("September"),
            _("October"),
            _("November"),
            _("December"),
        ],
        start=1,
    )
]
#: How a monthly or yearly rule picks its day: the start's day, a day number, a weekday.
DAY_MODES = ("start", "monthday", "weekday")
END_MODES = ("never", "count", "until")

_UNSHOWN_PARAMS = ("byyearday", "byweekno", "byhour", "byminute", "bysecond", "byeaster")


def empty_values() -> dict:
    """The choices of an event that does not repeat (also the editor's defaults)."""
    return {
        "freq": "",
        "interval": "1",
        "weekdays": [],
        "day_mode": "start",
        "monthday": "1",
        "ordinal": "1",
        "ordinal_weekday": "MO",
        "months": [],
        "end": "never",
        "count": "",
        "until": "",
        "rdates": [],
        "exdates": [],
        "text": "",
        "kept": "",
    }


def _local(value: datetime | date, zone: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(zone)
        return value.replace(tzinfo=None)
    return datetime.combine(value, time.min)


def _day_choice(rule: Rule) -> dict | None:
    """How a monthly or yearly rule picks its day, or ``None`` if the editor cannot show it."""
    days = [d if isinstance(d, Weekday) else Weekday(d) for d in rule.byday or []]
    positions = list(rule.bysetpos or [])
    monthdays = list(rule.bymonthday or [])
    if not days and not monthdays and not positions:
        return {"day_mode": "start"}
    if monthdays and not days and not positions and len(monthdays) == 1:
        number = monthdays[0]
        if 1 <= number <= 31 or number == -1:
            return {"day_mode": "monthday", "monthday": str(number)}
        return None
    if len(days) != 1 or monthdays:
        return None
    day = days[0]
    index = day.index or None
    if positions:
        if index is not None or len(positions) != 1:
            return None
        index = positions[0]
    if str(index) not in dict(ORDINAL_CHOICES):
        return None
    return {
        "day_mode": "weekday",
        "ordinal": str(index),
        "ordinal_weekday": WEEKDAY_CODES[day.number],
    }


def _rule_values(rule: Rule, zone: ZoneInfo) -> dict | None:
    """The editor's choices for one rule, or ``None`` if it says more than the editor shows."""
    if any(getattr(rule, name, None) for name in _UNSHOWN_PARAMS):
        return None
    wkst = getattr(rule.wkst, "number", rule.wkst)
    if wkst not in (None, 0):
        return None
    names = {value: name for name, value in FREQUENCIES.items()}
    if rule.freq not in names:
        return None
    values: dict = {"freq": names[rule.freq], "interval": str(rule.interval or 1)}
    days = [d if isinstance(d, Weekday) else Weekday(d) for d in rule.byday or []]
    if rule.freq == recurrence.DAILY:
        if days or rule.bymonthday or rule.bymonth or rule.bysetpos:
            return None
    elif rule.freq == recurrence.WEEKLY:
        if any(d.index for d in days) or rule.bymonthday or rule.bymonth or rule.bysetpos:
            return None
        values["weekdays"] = [WEEKDAY_CODES[d.number] for d in sorted(days, key=_number)]
    else:
        if rule.bymonth and rule.freq == recurrence.MONTHLY:
            return None
        choice = _day_choice(rule)
        if choice is None:
            return None
        values.update(choice)
        values["months"] = [str(m) for m in sorted(rule.bymonth or [])]
    if rule.count is not None:
        values.update(end="count", count=str(rule.count))
    elif rule.until is not None:
        values.update(end="until", until=_local(rule.until, zone).date().isoformat())
    return values


def _kept(kind: str, shown: str, value, zone: ZoneInfo, usual: time) -> list[str]:
    """``value`` to be written back exactly while the editor leaves its day as shown.

    The editor writes an UNTIL as the last second and an EXDATE as the start of a local day.
    One stored at another local time (by an import, by django-recurrence's widget) means
    something slightly different; rewriting it on every save would change the series' dates
    although the editor changed nothing.
    """
    if not isinstance(value, datetime) or value.tzinfo is None:
        return []
    if value.astimezone(zone).time() == usual:
        return []
    return [f"{kind}:{shown}:{value.astimezone(UTC).strftime('%Y%m%dT%H%M%SZ')}"]


def _parse_kept(text: str) -> dict[tuple[str, str], datetime]:
    """The exact values ``_kept`` carried through the form; anything malformed is ignored."""
    found = {}
    for entry in (text or "").split():
        kind, _sep, rest = entry.partition(":")
        shown, _sep, raw = rest.partition(":")
        try:
            instant = datetime.strptime(raw, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        except ValueError:
            continue
        found[(kind, shown)] = instant
    return found


def _number(day: Weekday) -> int:
    return day.number


def _date_list(values, zone: ZoneInfo, with_time: bool) -> list[str] | None:
    found = []
    for value in values:
        local = _local(value, zone)
        if with_time:
            if local.second or local.microsecond:
                return None  # the minute inputs would drop the seconds
            found.append(local.strftime("%Y-%m-%dT%H:%M"))
        else:
            found.append(local.date().isoformat())
    return found


def editor_values(value, zone: ZoneInfo) -> dict:
    """The editor's choices for a stored recurrence (``None``, empty, unreadable or a value)."""
    values = empty_values()
    if value is None or value == "":
        return values
    if isinstance(value, str):
        try:
            value = recurrence.deserialize(value)
        except (DeserializationError, ValueError, ArithmeticError):
            return {**values, "freq": CUSTOM, "text": value}
    text = serialize(value)
    values["text"] = text
    if is_unreadable(value) or value.exrules or len(value.rrules) > 1:
        return {**values, "freq": CUSTOM}
    kept: list[str] = []
    if value.rrules:
        rule = value.rrules[0]
        rule_values = _rule_values(rule, zone)
        if rule_values is None:
            return {**values, "freq": CUSTOM}
        values.update(rule_values)
        if values["end"] == "until":
            kept += _kept("until", values["until"], rule.until, zone, time(23, 59, 59))
    rdates = _date_list(value.rdates, zone, with_time=True)
    exdates = _date_list(value.exdates, zone, with_time=False)
    if rdates is None or exdates is None:
        return {**values, "freq": CUSTOM}
    for shown, exdate in zip(exdates, value.exdates, strict=True):
        kept += _kept("exdate", shown, exdate, zone, time.min)
    values.update(rdates=rdates, exdates=exdates, kept=" ".join(kept))
    return values


# --- from the submitted choices -------------------------------------------------------------

_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def _parse_date(text: str) -> date:
    """An ISO date (what ``<input type=date>`` sends) or a German one typed without a picker."""
    text = text.strip()
    match = _GERMAN_DATE.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        return date(year, month, day)
    return date.fromisoformat(text)


def _parse_local_datetime(text: str) -> datetime:
    """``2027-01-14T16:30`` (``datetime-local``), also with a space or German date."""
    text = text.strip().replace(" ", "T", 1)
    day, _sep, clock = text.partition("T")
    if not clock:
        raise ValueError("no time")
    hours, minutes = (int(part) for part in clock.split(":")[:2])
    return datetime.combine(_parse_date(day), time(hours, minutes))


def _number_in(text: str, lowest: int, highest: int) -> int | None:
    try:
        number = int(str(text).strip())
    except (TypeError, ValueError):
        return None
    return number if lowest <= number <= highest else None


def _to_utc(local: datetime, zone: ZoneInfo) -> datetime:

    return from_wall(local, zone)


def _custom_value(text: str):
    text = (text or "").strip()
    if not text:
        return None
    try:
        return recurrence.deserialize(text)
    except (DeserializationError, ValueError, ArithmeticError) as error:
        raise ValidationError(
            gettext(
                "The rule text cannot be read (%(error)s). Write it as iCalendar lines, "
                "for example “RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH”."
            ),
            code="custom_text",
            params={"error": str(error)[:200]},
        ) from None


def _dates(texts: list[str], parse, to_instant, label: str, errors: list) -> list:
    """The instants of the typed dates (``parse``, then ``to_instant``), sorted and unique; a
    date that cannot be read, or lies so near year 1 or 9999 that UTC leaves the calendar, is
    an error naming the control."""
    found = []
    for text in texts:
        if not (text or "").strip():
            continue  # an empty input removes nothing but itself
        try:
            found.append(to_instant(parse(text)))
        except (ValueError, OverflowError):
            errors.append(
                ValidationError(
                    gettext("%(label)s: “%(value)s” is not a date.")
                    if parse is _parse_date
                    else gettext("%(label)s: “%(value)s” is not a date with a start time."),
                    code="date",
                    params={"label": label, "value": text[:40]},
                )
            )
    if len(found) > MAX_DATES:
        errors.append(
            ValidationError(
                gettext("%(label)s: at most %(max)s dates."),
                code="too_many_dates",
                params={"label": label, "max": MAX_DATES},
            )
        )
    return sorted(set(found))


def _day_kwargs(values: dict, errors: list) -> dict:
    mode = values.get("day_mode") or "start"
    if mode == "monthday":
        number = _number_in(values.get("monthday"), -1, 31)
        if number in (None, 0):
            errors.append(ValidationError(gettext("Choose a day of the month."), code="monthday"))
            return {}
        return {"bymonthday": [number]}
    if mode == "weekday":
        index = values.get("ordinal")
        weekday = values.get("ordinal_weekday")
        if index not in dict(ORDINAL_CHOICES) or weekday not in WEEKDAY_CODES:
            errors.append(
                ValidationError(gettext("Choose which weekday of the month."), code="weekday")
            )
            return {}
        return {"byday": [Weekday(WEEKDAY_CODES.index(weekday), int(index))]}
    return {}


def _rule(values: dict, zone: ZoneInfo, kept: dict, errors: list) -> Rule:
    freq = values["freq"]
    interval = _number_in(values.get("interval") or "1", 1, MAX_INTERVAL)
    if interval is None:
        errors.append(
            ValidationError(
                gettext("“Every …” must be a number from 1 to %(max)s."),
                code="interval",
                params={"max": MAX_INTERVAL},
            )
        )
        interval = 1
    kwargs: dict = {}
    if freq == "WEEKLY":
        days = [d for d in values.get("weekdays") or [] if d in WEEKDAY_CODES]
        ordered = sorted(set(days), key=WEEKDAY_CODES.index)
        kwargs["byday"] = [Weekday(WEEKDAY_CODES.index(d)) for d in ordered]
    elif freq in ("MONTHLY", "YEARLY"):
        kwargs.update(_day_kwargs(values, errors))
        if freq == "YEARLY":
            months = {_number_in(m, 1, 12) for m in values.get("months") or []}
            kwargs["bymonth"] = sorted(m for m in months if m is not None)
    end = values.get("end") or "never"
    if end == "count":
        count = _number_in(values.get("count"), 1, MAX_COUNT)
        if count is None:
            errors.append(
                ValidationError(
                    gettext("“After … occurrences” must be a number from 1 to %(max)s."),
                    code="count",
                    params={"max": MAX_COUNT},
                )
            )
        kwargs["count"] = count
    elif end == "until":
        try:
            day = _parse_date(values.get("until") or "")
            kwargs["until"] = kept.get(("until", day.isoformat())) or _to_utc(
                datetime.combine(day, time(23, 59, 59)), zone
            )
        except (ValueError, OverflowError):  # unreadable, or past year 9999 in UTC
            errors.append(ValidationError(gettext("“Ends on” needs a date."), code="until"))
    return Rule(FREQUENCIES[freq], interval=interval, **kwargs)


def recurrence_from(values: dict, zone: ZoneInfo):
    """The recurrence the submitted choices describe, or ``None`` for a single date.

    Raises ``ValidationError`` with one message per control at fault.
    """
    freq = values.get("freq") or ""
    if freq == CUSTOM:
        return _custom_value(values.get("text"))
    if freq and freq not in FREQUENCIES:
        raise ValidationError(gettext("Choose how often the event repeats."), code="freq")
    errors: list[ValidationError] = []
    kept = _parse_kept(values.get("kept") or "")
    rules = [_rule(values, zone, kept, errors)] if freq else []
    rdates = _dates(
        values.get("rdates") or [],
        _parse_local_datetime,
        lambda local: _to_utc(local, zone),
        gettext("Additional dates"),
        errors,
    )
    exdates = _dates(
        values.get("exdates") or [],
        _parse_date,
        lambda day: (
            kept.get(("exdate", day.isoformat())) or _to_utc(datetime.combine(day, time.min), zone)
        ),
        gettext("Excluded dates"),
        errors,
    )
    if errors:
        raise ValidationError(errors)
    if not rules and not rdates and not exdates:
        return None
    return recurrence.Recurrence(
        rrules=rules, rdates=rdates, exdates=exdates, include_dtstart=False
    )
