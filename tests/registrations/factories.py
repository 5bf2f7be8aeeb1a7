"""Event pages that take registrations, and registrations, for the registrations tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from wagtail.models import Site

from kokreative_wagtail.registrations.models import RegistrationField, RegistrationOptions

from ..events.factories import COP_RULE, add_event, create_event_index

BERLIN = ZoneInfo("Europe/Berlin")


def next_thursday(now: datetime | None = None, days_ahead: int = 14) -> datetime:
    """A Thursday 16:30 Berlin at least ``days_ahead`` days from now (aware)."""
    now = now or datetime.now(BERLIN)
    day = (now + timedelta(days=days_ahead)).astimezone(BERLIN)
    day += timedelta(days=(3 - day.weekday()) % 7)
    return day.replace(hour=16, minute=30, second=0, microsecond=0)


def create_registration_event(
    *,
    title: str = "Infosalon",
    rule: str = "",
    start: datetime | None = None,
    index=None,
    fields: tuple[dict, ...] = (),
    overrides: tuple[dict, ...] = (),
    **options,
):
    """A published event page (a single date unless ``rule``) with registration ``options``."""
    if index is None:
        root = Site.objects.get(is_default_site=True).root_page.specific
        index = create_event_index(root)
    start = start or next_thursday()
    page = add_event(
        index, title, start, start + timedelta(minutes=90), rule=rule, overrides=overrides
    )
    options.setdefault("seats", 20)
    page.registration_options.add(RegistrationOptions(**options))
    for order, field in enumerate(fields):
        page.registration_fields.add(RegistrationField(sort_order=order, **field))
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def create_series_event(**options):
    """The community of practice: every four weeks on Thursdays 16:30–18:00."""
    options.setdefault("title", "Community of Practice")
    return create_registration_event(rule=COP_RULE, **options)


def person(number: int = 1, **extra) -> dict:
    return {
        "name": f"Person {number}",
        "email": f"person{number}@example.org",
        "organisation": "Stadt Musterstadt",
        **extra,
    }
