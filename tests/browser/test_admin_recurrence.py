"""django-recurrence's widget in Wagtail's page editor: German labels, usable checkboxes, and
Enter in its fields neither submitting nor reloading the editor."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import recurrence
from playwright.sync_api import expect

from ..factories import create_event, create_event_index

pytestmark = pytest.mark.django_db(transaction=True)

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def event(site_root):
    return create_event(create_event_index(site_root), datetime(2026, 1, 8, 16, 30, tzinfo=BERLIN))


def press_enter_keeps_editor(page, field) -> None:
    """Enter in ``field`` must neither navigate nor reload: a reload would drop the marker."""
    page.evaluate("window.kokreativeMarker = 'unsaved'")
    field.press("Enter")
    page.wait_for_timeout(500)
    assert page.evaluate("window.kokreativeMarker") == "unsaved"


def test_recurrence_widget_in_the_page_editor(admin_page, live_server, event):
    page = admin_page
    edit_url = f"{live_server.url}/admin/pages/{event.pk}/edit/"
    page.goto(edit_url)
    widget = page.locator("div.recurrence-widget")
    page.fill("#id_title", "Community of Practice (geändert)")

    # (0) Wagtail's own admin texts stay German: the widget's scripts keep window.django.
    expect(page.get_by_text("Alle einklappen").first).to_be_visible()
    expect(page.locator("body")).to_contain_text("Suche")
    expect(page.locator("body")).not_to_contain_text("Collapse all")
    assert page.evaluate("typeof django.gettext") == "function"

    # (1) German labels: the JavaScript catalogue loads before recurrence.js.
    page.get_by_text("Regel hinzufügen").click()
    assert widget.get_by_text("Add rule").count() == 0
    assert widget.locator("select[name=freq] option:checked").inner_text() == "Wöchentlich"

    # (2) Wagtail's checkboxes and radio buttons keep their size inside the widget.
    for control in widget.locator("input[type=checkbox], input[type=radio]").all():
        if control.is_visible():
            box = control.bounding_box()
            assert box["width"] >= 16 and box["height"] >= 16, box

    # (3) Enter in a nested form's field commits the value instead of reloading the editor.
    interval = widget.locator("input[name=interval]")
    interval.fill("4")
    press_enter_keeps_editor(page, interval)
    assert page.url == edit_url
    assert page.input_value("#id_title") == "Community of Practice (geändert)"
    widget.locator(".weekly td", has_text="Do").click()
    assert "RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH" in page.input_value("textarea#id_recurrence")

    page.get_by_text("Datum hinzufügen").click()
    date_field = widget.locator(".panel .date input.date-field").last
    press_enter_keeps_editor(page, date_field)
    widget.locator(".panel .header a.remove").last.click()  # drop the added date again

    with page.expect_navigation():
        page.evaluate("document.querySelector('button[name=\"action-publish\"]').click()")

    event.refresh_from_db()
    assert event.title == "Community of Practice (geändert)"
    assert recurrence.serialize(event.recurrence) == "RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH"

    page.goto(edit_url)
    assert (
        widget.locator("a.recurrence-label").first.inner_text() == "Alle 4 Wochen, jeden Donnerstag"
    )
