"""A recurrence field that never breaks loading or saving a page."""

from __future__ import annotations

import logging

from recurrence.exceptions import DeserializationError
from recurrence.fields import RecurrenceField

from .recurrence_editor import RecurrenceEditor, RecurrenceEditorField
from .recurrence_text import UnreadableRecurrence, is_unreadable, serialize

__all__ = ["SafeRecurrenceField", "UnreadableRecurrence", "is_unreadable", "serialize"]

logger = logging.getLogger(__name__)


class SafeRecurrenceField(RecurrenceField):
    """``RecurrenceField`` that loads unreadable stored text as ``UnreadableRecurrence``.

    django-recurrence raises on text it cannot parse (an import gone wrong, a hand edit), and
    every query loading the page would fail with it.
    """

    def to_python(self, value):
        # also reached from a revision's JSON, not only from the database
        try:
            return super().to_python(value)
        except (DeserializationError, ValueError, ArithmeticError):
            # parsed, then refused by ``datetime``: RDATE:20260230T153000Z, UNTIL in month 13
            logger.warning("Unreadable recurrence rule: %.80r", value)
            return UnreadableRecurrence(value or "")

    def from_db_value(self, value, *args, **kwargs):
        return self.to_python(value)

    def get_prep_value(self, value):
        if value is None or isinstance(value, str):
            return value
        return serialize(value)

    def formfield(self, **kwargs):
        # the keyboard-usable editor instead of django-recurrence's widget (recurrence_editor.py)
        kwargs.setdefault("form_class", RecurrenceEditorField)
        kwargs.setdefault("widget", RecurrenceEditor)
        return super().formfield(**kwargs)
