"""Recurrence values as text: what django-recurrence cannot read or write is kept as it is.

Shared by the model field (``fields.py``) and the repeat editor (``recurrence_values.py``).
"""

from __future__ import annotations

from datetime import datetime, timezone

import recurrence
from recurrence.base import Rule, to_weekday
from recurrence.exceptions import SerializationError


class UnreadableRecurrence(recurrence.Recurrence):
    """An empty recurrence standing for stored text django-recurrence cannot parse.

    It keeps the text, so the event is recognised as broken (skipped by listings, flagged in
    the admin, listed by ``kokreative_check_events``) instead of passing for a one-off date.
    """

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.text = text

    def __bool__(self) -> bool:
        return True  # "there is a rule", so nothing takes the event for a single date


def is_unreadable(value: object) -> bool:
    return isinstance(value, UnreadableRecurrence)


def _raw_datetime(value) -> str:
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.astimezone(timezone.utc)
    return f"{value.year:04d}{value.month:02d}{value.day:02d}T" + (
        f"{value.hour:02d}{value.minute:02d}{value.second:02d}Z"
        if isinstance(value, datetime)
        else "000000Z"
    )


def _raw_rule(rule) -> str:
    parts = [f"FREQ={Rule.frequencies[rule.freq]}"]
    if rule.interval not in (None, 1):
        parts.append(f"INTERVAL={int(rule.interval)}")
    if rule.wkst:
        parts.append(f"WKST={Rule.weekdays[getattr(rule.wkst, 'number', rule.wkst)]}")
    if rule.count is not None:
        parts.append(f"COUNT={rule.count}")
    elif rule.until is not None:
        parts.append(f"UNTIL={_raw_datetime(rule.until)}")
    if rule.byday:
        days = [to_weekday(d) for d in rule.byday]
        names = [f"{d.index or ''}{Rule.weekdays[d.number]}" for d in days]
        parts.append("BYDAY=" + ",".join(names))
    for param in Rule.byparams:
        values = getattr(rule, param, None)
        if param != "byday" and values:
            parts.append(f"{param.upper()}=" + ",".join(str(v) for v in values))
    return ";".join(parts)


def serialize(value) -> str:
    """The recurrence as RFC 5545 text, also when django-recurrence's own ``serialize`` refuses
    (BYHOUR=25, INTERVAL=0 stored past validation): such text is written as it is, so saving a
    page again or making a revision never fails and never loses what was stored."""
    if value is None:
        return ""
    if is_unreadable(value):
        return value.text
    try:
        return recurrence.serialize(value) or ""
    except SerializationError:
        lines = [f"RRULE:{_raw_rule(r)}" for r in value.rrules]
        lines += [f"EXRULE:{_raw_rule(r)}" for r in value.exrules]
        lines += [f"RDATE:{_raw_datetime(d)}" for d in value.rdates]
        lines += [f"EXDATE:{_raw_datetime(d)}" for d in value.exdates]
        return "\n".join(lines)
