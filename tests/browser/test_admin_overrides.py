"""A change to one occurrence must name a real date of the series, in the German page editor.

A "Termin" typed as 16:00 for a 16:30 series was published with a success message and changed
nothing. Now it is a visible form error naming the real dates, and the field offers the real
dates to pick from.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from kokreative_wagtail.events.models import EventPage

from ..events.factories import create_event, create_event_index

pytestmark = pytest.mark.django_db(transaction=True)

BERLIN = ZoneInfo("Europe/Berlin")
FIELD = "#id_overrides-0-original_start"


def next_thursday() -> datetime:
    """Thursday 16:30 in Berlin, at least a day ahead."""
    day = datetime.now(BERLIN).date() + timedelta(days=1)
    day += timedelta(days=(3 - day.weekday()) % 7)
    return datetime(day.year, day.month, day.day, 16, 30, tzinfo=BERLIN)


@pytest.fixture
def event(site_root):
    first = next_thursday() - timedelta(weeks=10)
    return create_event(create_event_index(site_root), first, rule="RRULE:FREQ=WEEKLY;BYDAY=TH")


def german(value: datetime) -> str:
    return value.strftime("%d.%m.%Y %H:%M")


def publish(page) -> None:
    with page.expect_navigation():
        page.evaluate("document.querySelector('button[name=\"action-publish\"]').click()")


def suggestions(page) -> list[str]:
    return page.evaluate(
        "s => [...document.querySelector(s).list.options].map(o => o.value)", FIELD
    )


def test_a_wrong_date_is_refused_and_a_suggested_one_saved(admin_page, live_server, event):
    page = admin_page
    page.goto(f"{live_server.url}/admin/pages/{event.pk}/edit/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    page.click("#id_overrides-ADD")
    field = page.locator(FIELD)
    expect(field).to_be_visible()

    # the added change offers the real dates: five past, thirty to come, as the field writes them
    thursday = next_thursday()
    offered = suggestions(page)
    assert len(offered) == 35
    assert german(thursday) in offered and german(thursday - timedelta(weeks=1)) in offered

    # a wrong time: published, it is a visible error naming the real dates around it
    field.click()
    field.press_sequentially(german(thursday.replace(hour=16, minute=0)))
    field.press("Tab")
    page.locator("#id_overrides-0-note").fill("Ferien")
    publish(page)
    error = page.locator(f"[data-field]:has({FIELD}) .error-message")
    expect(error).to_be_visible()
    expect(error).to_contain_text(german(thursday - timedelta(weeks=1)))
    expect(error).to_contain_text(german(thursday))
    assert EventPage.objects.get(pk=event.pk).overrides.count() == 0

    # picked from the list, the date is saved. Headless chromium draws no datalist popup to
    # click; picking an option puts its value into the field, which is what happens here.
    option = page.locator(f"{FIELD}-dates option[value='{german(thursday)}']")
    expect(option).to_have_count(1)
    field = page.locator(FIELD)
    field.fill(option.get_attribute("value"))
    field.press("Tab")
    assert field.input_value() == german(thursday)  # the picker keeps it as it is
    publish(page)
    assert "/edit/" not in page.url  # published: back to the list of pages
    [override] = EventPage.objects.get(pk=event.pk).overrides.all()
    assert override.original_start == thursday
    assert override.note == "Ferien"
