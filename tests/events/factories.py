"""Event index and event pages for the events tests."""

from __future__ import annotations

from datetime import timedelta

import recurrence
from django.apps import apps
from wagtail.test.utils.form_data import inline_formset

from kokreative_wagtail.events.models import EventIndexPage, EventPage, OccurrenceOverride

from ..factories import add_page


def create_event_index(parent, **fields):
    """An event index below ``parent`` ("Termine" unless told)."""

    fields.setdefault("title", "Termine")
    fields.setdefault("slug", "termine")
    return add_page(parent, EventIndexPage, **fields)


def create_event(index, start, *, rule: str = "", minutes: int = 90, **fields):
    """A live event page below ``index``: ``minutes`` long from ``start``, repeating by ``rule``
    (RFC 5545 text, empty for a single date); the Community of Practice unless told."""

    fields.setdefault("title", "Community of Practice")
    fields.setdefault("slug", "cop")
    return add_page(
        index,
        EventPage,
        start=start,
        end=start + timedelta(minutes=minutes),
        recurrence=recurrence.deserialize(rule) if rule else None,
        **fields,
    )


#: The community of practice: every four weeks on Thursdays.
COP_RULE = "RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH"


def add_event(index, title, start, end, rule="", zone="Europe/Berlin", overrides=(), **fields):
    """A published event page below ``index`` with ``overrides`` (dicts of override fields)."""
    page = EventPage(
        title=title,
        slug=fields.pop("slug", title.lower().replace(" ", "-")),
        start=start,
        end=end,
        time_zone=zone,
        recurrence=recurrence.deserialize(rule) if rule else None,
        **fields,
    )
    index.add_child(instance=page)
    for order, override in enumerate(overrides):
        page.overrides.add(OccurrenceOverride(**{"sort_order": order, **override}))
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def contributed_inlines() -> dict:
    """Empty formsets of the inline panels other apps add to the event page's editor (the
    registration settings and fields), for admin POSTs built by hand."""
    if not apps.is_installed("kokreative_wagtail.registrations"):
        return {}
    return {
        "registration_options": inline_formset([]),
        "registration_fields": inline_formset([]),
    }
