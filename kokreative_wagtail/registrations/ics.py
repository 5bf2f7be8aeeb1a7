"""The .ics attachment of a registration's e-mails (written in ``registration_calendar``)."""

from __future__ import annotations


def registration_calendar(registration, page, *, cancelled: bool = False) -> str | None:
    """The registered date (or series) as iCalendar text in the event's zone; ``None`` if none."""
    return None
