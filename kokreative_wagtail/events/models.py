"""Concrete models of events: the index page, the event page and its occurrence overrides."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .abstract import AbstractEventIndexPage, AbstractEventPage, AbstractOccurrenceOverride
from .forms import EventPageForm
from .index_models import IndexedEvent, IndexedOccurrence, OccurrenceHorizon

__all__ = [
    "EventIndexPage",
    "EventPage",
    "IndexedEvent",
    "IndexedOccurrence",
    "OccurrenceHorizon",
    "OccurrenceOverride",
]


class EventIndexPage(AbstractEventIndexPage):
    subpage_types = ["kokreative_events.EventPage"]

    class Meta:
        verbose_name = _("event index page")
        verbose_name_plural = _("event index pages")


class EventPage(AbstractEventPage):
    parent_page_types = ["kokreative_events.EventIndexPage"]
    subpage_types: list[str] = []
    base_form_class = EventPageForm

    class Meta:
        verbose_name = _("event page")
        verbose_name_plural = _("event pages")


class OccurrenceOverride(AbstractOccurrenceOverride):
    pass
