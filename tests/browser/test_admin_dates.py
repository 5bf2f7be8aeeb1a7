"""German dates typed into the event editor stay as typed on leaving the field and are saved as
that local time; unreadable text is a visible form error. Never replaced by "now".

Wagtail's datetime picker validated on blur against ``Y-m-d H:i`` and put the current date and
time in place of ``14.01.2027 10:00``.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kokreative_wagtail.events.models import EventPage

from ..events.factories import create_event, create_event_index

pytestmark = pytest.mark.django_db(transaction=True)

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 1, 8, 16, 30, tzinfo=BERLIN)


@pytest.fixture
def event(site_root):
    index = create_event_index(site_root)
    return create_event(index, START, rule="RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH")


def type_and_leave(page, selector: str, text: str) -> str:
    """Type ``text`` as an editor would, leave the field with Tab, return what it holds then."""
    field = page.locator(selector)
    field.click()
    field.fill("")
    field.press_sequentially(text)
    field.press("Tab")
    page.wait_for_timeout(300)
    return field.input_value()


def publish(page) -> None:
    with page.expect_navigation():
        page.evaluate("document.querySelector('button[name=\"action-publish\"]').click()")


def today_texts() -> set[str]:
    today = date.today()
    return {today.strftime("%d.%m.%Y"), today.isoformat()}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("14.01.2027 10:00", datetime(2027, 1, 14, 10, 0, tzinfo=BERLIN)),
        ("15.1.2027 11:30", datetime(2027, 1, 15, 11, 30, tzinfo=BERLIN)),
        ("16.01.2027", datetime(2027, 1, 16, 0, 0, tzinfo=BERLIN)),
    ],
)
def test_german_start_is_kept_and_saved(admin_page, live_server, event, typed, expected):
    page = admin_page
    page.goto(f"{live_server.url}/admin/pages/{event.pk}/edit/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert page.input_value("#id_start") == "08.01.2026 16:30"  # shown the German way

    held = type_and_leave(page, "#id_start", typed)
    assert held == typed
    assert not any(text in held for text in today_texts())
    assert type_and_leave(page, "#id_end", "31.01.2027 18:00") == "31.01.2027 18:00"

    publish(page)
    event.refresh_from_db()
    assert event.start == expected
    assert event.end == datetime(2027, 1, 31, 18, 0, tzinfo=BERLIN)


def test_german_date_in_an_added_occurrence_change_is_kept(admin_page, live_server, event):
    """The inline panel builds an added change from a template form: it gets the widget too."""
    page = admin_page
    page.goto(f"{live_server.url}/admin/pages/{event.pk}/edit/")
    page.click("#id_overrides-ADD")
    selector = "#id_overrides-0-original_start"
    expect(page.locator(selector)).to_be_visible()
    # a real date of the series: every fourth Thursday from 8 January 2026
    assert type_and_leave(page, selector, "5.2.2026 16:30") == "5.2.2026 16:30"
    assert type_and_leave(page, "#id_overrides-0-note", "Pause") == "Pause"

    publish(page)
    [override] = EventPage.objects.get(pk=event.pk).overrides.all()
    assert override.original_start == datetime(2026, 2, 5, 16, 30, tzinfo=BERLIN)


def test_unreadable_start_is_a_visible_error(admin_page, live_server, event):
    page = admin_page
    page.goto(f"{live_server.url}/admin/pages/{event.pk}/edit/")
    assert type_and_leave(page, "#id_start", "32.13.2027 10:00") == "32.13.2027 10:00"

    publish(page)
    error = page.locator("[data-field]:has(#id_start) .error-message")
    expect(error).to_be_visible()
    # the message gives an example in the shown format
    expect(error).to_contain_text(f"31.12.{timezone.localdate().year} 18:30")
    assert page.input_value("#id_start") == "32.13.2027 10:00"
    event.refresh_from_db()
    assert event.start == START
