"""A recurrence field that never breaks loading a page."""

from __future__ import annotations

import logging

import recurrence
from recurrence.exceptions import DeserializationError
from recurrence.fields import RecurrenceField

logger = logging.getLogger(__name__)


class SafeRecurrenceField(RecurrenceField):
    """``RecurrenceField`` that reads unreadable stored text as "no repetition".

    django-recurrence raises on text it cannot parse (an import gone wrong, a hand edit), and
    every query loading the page would fail with it; the event then shows its first date only.
    """

    def from_db_value(self, value, *args, **kwargs):
        try:
            return super().from_db_value(value, *args, **kwargs)
        except DeserializationError:
            logger.warning("Unreadable recurrence rule ignored: %.80r", value)
            return recurrence.Recurrence()

    def formfield(self, **kwargs):
        from .widgets import KokreativeRecurrenceWidget

        kwargs.setdefault("widget", KokreativeRecurrenceWidget)
        return super().formfield(**kwargs)
