"""Occurrences read from the index with their times as text, for the API's long pages.

A page of a thousand dates of ``GET occurrences`` held three thousand date-times that SQLite's
driver parsed into ``datetime`` objects (and Django made aware) and the API wrote back as text:
a fifth of the time of paging a year at 1000 series. ``UtcText`` reads a date-time column as the
UTC text SQLite stores; ``TextTimedOccurrence`` carries it, writes the API's form by slicing it,
and parses it only where a ``datetime`` is asked for (the cursor of a page's last date).

Not on PostgreSQL: its text has to be made per row (``to_char``, a cast), and PostgreSQL makes
it for every row of the window before sorting them for a page, which cost more than it saved
(a year at 1000 series: 3.5 s as datetimes, 3.5 s cast, 4.2 s with ``to_char``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import NotSupportedError
from django.db.models import CharField, Func
from django.utils.dateparse import parse_datetime

from . import occurrences
from .series import LocalTimes


def reads_text(connection) -> bool:
    """Whether ``UtcText`` reads the text as stored: SQLite keeping UTC (``USE_TZ``, and no
    ``TIME_ZONE`` of its own in ``DATABASES``)."""
    return (
        connection.vendor == "sqlite"
        and settings.USE_TZ
        and connection.settings_dict.get("TIME_ZONE") is None
    )


class UtcText(Func):
    """A date-time column as the UTC text SQLite stores, ``YYYY-MM-DD HH:MM:SS`` with
    ``.ffffff`` where there are microseconds; only where ``reads_text``."""

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # the cast keeps the driver from parsing the text by the column's declared type
        return super().as_sql(
            compiler, connection, template="CAST(%(expressions)s AS text)", **extra_context
        )

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError("UtcText reads SQLite's stored text only (see reads_text)")


def _moment(text: str) -> datetime:
    """``UtcText`` as an aware datetime."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:  # a form fromisoformat of Python 3.10 does not read
        value = parse_datetime(text)
        if value is None:
            raise
    return value.replace(tzinfo=occurrences.UTC)


def api_form(text: str) -> str:
    """``UtcText`` in the API's form, ``YYYY-MM-DDTHH:MM:SSZ`` (whole seconds, cut as
    ``api_utils.iso_datetime`` cuts them)."""
    return f"{text[:10]}T{text[11:19]}Z"


class TextTimedOccurrence(LocalTimes):
    """A ``series.EventOccurrence`` whose times came from the index as ``UtcText``: what the API
    reads of an occurrence, with ``api_times`` written from the text as it is."""

    #: What follows the three times in an index row, in ``EventOccurrence``'s order.
    DETAILS = ("all_day", "cancelled", "moved", "note", "location_name", "location_address")

    __slots__ = ("event", "_times", *DETAILS)

    def __init__(self, event: Any, start: str, end: str, original_start: str, *details: Any):
        """``details``: the values of ``DETAILS``."""
        self.event = event
        self._times = (start, end, original_start)
        for name, value in zip(self.DETAILS, details, strict=True):
            setattr(self, name, value)

    @property
    def api_times(self) -> tuple[str, str, str]:
        """Start, end and original start in the API's form."""
        start, end, original_start = self._times
        return api_form(start), api_form(end), api_form(original_start)

    start = property(lambda self: _moment(self._times[0]), doc="Aware UTC, parsed when read.")
    end = property(lambda self: _moment(self._times[1]), doc="Aware UTC, parsed when read.")
    original_start = property(lambda self: _moment(self._times[2]), doc="Aware UTC.")

    def __repr__(self) -> str:
        return f"<TextTimedOccurrence {getattr(self.event, 'pk', None)} {self._times[0]}>"
