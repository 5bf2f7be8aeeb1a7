"""The repeat editor in Wagtail's German page editor, used with the keyboard alone: every
control reached by Tab and operated by arrow keys, Space and Enter, no console warnings,
no axe violations, and the rule saved as chosen."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from kokreative_wagtail.events.fields import serialize
from kokreative_wagtail.events.models import EventPage

from ..events.factories import create_event, create_event_index
from .helpers import AXE, AXE_TAGS, format_violations, require_axe

pytestmark = pytest.mark.django_db(transaction=True)

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def event(site_root):
    start = datetime(2027, 1, 14, 16, 30, tzinfo=BERLIN)
    return create_event(
        create_event_index(site_root), start, rule="RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH"
    )


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the focused element matches ``selector`` (fails if it never does)."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"{selector} is not reached by Tab")


def focused(page, expression: str):
    return page.evaluate(f"() => document.activeElement.{expression}")


def test_the_repeat_editor_by_keyboard(admin_page, live_server, event):
    require_axe()
    page = admin_page
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if message.type in ("warning", "error") else None
        ),
    )
    page.goto(f"{live_server.url}/admin/pages/{event.pk}/edit/")
    editor = page.locator(".kk-recurrence")
    expect(editor.get_by_text("An diesen Wochentagen")).to_be_visible()
    assert editor.locator("a[href^='javascript:'], td").count() == 0
    assert [text for text in console if "ecurrence" in text] == []

    page.focus("#id_title")  # the start of the walk; from here on only keys
    tab_to(page, "#id_recurrence")
    assert page.locator("label[for=id_recurrence]").inner_text().startswith("Wiederholung")
    page.keyboard.press("ArrowDown")  # Wöchentlich -> Monatlich
    assert focused(page, "value") == "MONTHLY"
    expect(editor.get_by_text("An diesen Wochentagen")).to_be_hidden()
    expect(editor.get_by_text("An welchem Tag")).to_be_visible()

    tab_to(page, "#id_recurrence-interval")
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    tab_to(page, "input[name='recurrence-day_mode']")
    page.keyboard.press("ArrowDown")  # "Am Tag des Monats, an dem …" -> "Am … des Monats"
    assert focused(page, "value") == "monthday" and focused(page, "checked")
    tab_to(page, "#id_recurrence-monthday")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert focused(page, "value") == "3"
    tab_to(page, "input[name='recurrence-end']")
    page.keyboard.press("ArrowDown")  # Nie -> Nach … Terminen
    assert focused(page, "value") == "count"
    tab_to(page, "#id_recurrence-count")
    page.keyboard.type("6")

    tab_to(page, "[data-kk-recurrence-add]")
    assert focused(page, "textContent").strip() == "Ausgelassenen Termin hinzufügen"
    page.keyboard.press("Enter")  # adds a date input and moves focus into it
    assert focused(page, "id") == "id_recurrence-exdates-2"
    assert page.locator("label[for=id_recurrence-exdates-2]").inner_text() == (
        "Ausgelassener Termin 2"
    )

    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run('.kk-recurrence', {runOnly: tags})", AXE_TAGS)
    assert result["violations"] == [], format_violations(result["violations"])

    with page.expect_navigation():
        page.keyboard.press("Control+s")  # Wagtail's shortcut: save a draft
    draft = EventPage.objects.get(pk=event.pk).get_latest_revision_as_object()
    assert serialize(draft.recurrence) == "RRULE:FREQ=MONTHLY;INTERVAL=2;COUNT=6;BYMONTHDAY=3"
    expect(page.locator("#id_recurrence")).to_have_value("MONTHLY")
    expect(page.locator("#id_recurrence-count")).to_have_value("6")
    assert [text for text in console if "ecurrence" in text] == []
