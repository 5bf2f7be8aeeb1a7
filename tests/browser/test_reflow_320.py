"""Reflow at 320 CSS pixels (WCAG 1.4.10, 400 % zoom of a 1280 px window): the event index (list
and month view), an event page and the consultation form scroll only vertically and clip no text,
and a failed submit puts the focus on the error summary."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from .helpers import submit

pytestmark = pytest.mark.django_db(transaction=True)

BERLIN = ZoneInfo("Europe/Berlin")
WIDTH = 320

#: Elements of the main content whose own box cuts off (or scrolls) content wider than it; the
#: visually hidden texts (1 px boxes) and the honeypot are meant to be out of sight.
CLIPPED = """() => [...document.querySelectorAll('main *')].filter(e => {
    if (e.closest('.kk-visually-hidden, .kk-form-trap') || e.matches('.kk-visually-hidden')) {
        return false;
    }
    const style = getComputedStyle(e);
    if (style.display === 'none' || style.overflowX === 'visible') return false;
    if (e.clientWidth <= 1 && e.clientHeight <= 1) return false;  // visually hidden on purpose
    return e.scrollWidth > e.clientWidth + 1;
}).map(e => e.outerHTML.slice(0, 160))"""

#: Text of the main content reaching past the right edge of the viewport (a long word overflows
#: its box without widening it, so the text's own boxes are measured).
OUTSIDE = """width => {
    const found = [];
    const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    while (walker.nextNode()) {
        const node = walker.currentNode;
        if (!node.data.trim() || node.parentElement.closest('.kk-visually-hidden, .kk-form-trap')) {
            continue;
        }
        range.selectNodeContents(node);
        const box = range.getBoundingClientRect();
        if (box.width > 0 && (box.right > width + 0.5 || box.left < -0.5)) {
            found.push(node.data.trim().slice(0, 80));
        }
    }
    return found;
}"""

#: Form controls wider than their form (width 100 % plus padding and border).
WIDER_THAN_FORM = """() => [...document.querySelectorAll('main form :is(input, select, textarea)')]
    .filter(e => !e.closest('.kk-form-trap') && e.type !== 'hidden')
    .filter(e => e.getBoundingClientRect().right > e.form.getBoundingClientRect().right + 0.5)
    .map(e => e.outerHTML.slice(0, 160))"""


@pytest.fixture
def pages(site_root):
    """An event index with a weekly series (one date moved), and a form with every field kind."""
    from kokreative_wagtail.consultations.models import ConsultationFormField
    from kokreative_wagtail.events.models import OccurrenceOverride

    from ..consultations.factories import create_consultation_page
    from ..events.factories import create_event, create_event_index

    index = create_event_index(site_root, title="Veranstaltungen")
    today = datetime.now(BERLIN).date() + timedelta(days=1)
    thursday = today + timedelta(days=(3 - today.weekday()) % 7)
    first = datetime(thursday.year, thursday.month, thursday.day, 16, 30, tzinfo=BERLIN)
    event = create_event(
        index,
        first,
        rule="RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=8",
        title="Community of Practice Beteiligungsverfahrensgestaltung",
        location_name="Bürgerbeteiligungsinformationszentrum",
    )
    event.overrides.add(
        OccurrenceOverride(
            original_start=first + timedelta(weeks=1),
            action="move",
            new_start=first + timedelta(weeks=1, days=1),
            new_end=first + timedelta(weeks=1, days=1, minutes=90),
        )
    )
    event.save_revision().publish()
    choices = "Verwaltungsmitarbeitende\nKommunalpolitikerinnen und Kommunalpolitiker"
    kinds = ["singleline", "multiline", "email", "number", "dropdown", "radio", "checkboxes"]
    kinds += ["checkbox", "date"]
    fields = [
        ConsultationFormField(
            label=f"Ansprechpartnerinnenvorstellung {kind}",
            field_type=kind,
            required=True,
            choices=choices if kind in {"dropdown", "radio", "checkboxes"} else "",
        )
        for kind in kinds
    ]
    form = create_consultation_page(site_root, fields=fields)
    return {
        "list": index.url,
        "month": f"{index.url}?view=month&month={first:%Y-%m}",
        "event": event.url,
        "form": form.url,
    }


def assert_reflows(page, where: str) -> None:
    assert page.evaluate(OUTSIDE, WIDTH) == [], f"{where}: content past the right edge"
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= WIDTH, f"{where}: horizontal scroll ({scroll_width} px)"
    assert page.evaluate(CLIPPED) == [], f"{where}: clipped content"
    assert page.evaluate(WIDER_THAN_FORM) == [], f"{where}: form controls wider than the form"


def test_reflow_at_320_px(page, live_server, pages):
    page.set_viewport_size({"width": WIDTH, "height": 640})
    for name in ("list", "month", "event", "form"):
        page.goto(live_server.url + pages[name])
        assert_reflows(page, name)
    # under 40rem the month view is an agenda: each day a line with its weekday and date
    page.goto(live_server.url + pages["month"])
    expect(page.locator(".kk-calendar td:not(.kk-other-month) .kk-day-label").first).to_be_visible()
    expect(page.locator(".kk-calendar-moved")).to_have_count(1)

    # at 640 px the inputs (100 % wide, 40rem at most) keep inside the column too
    page.set_viewport_size({"width": 640, "height": 640})
    page.goto(live_server.url + pages["form"])
    assert page.evaluate("document.documentElement.scrollWidth") <= 640
    assert page.evaluate(WIDER_THAN_FORM) == []
    page.set_viewport_size({"width": WIDTH, "height": 640})

    page.goto(live_server.url + pages["form"])
    form = page.locator("main form")
    form.evaluate("f => { f.noValidate = true; }")
    submit(page, form.locator("[type=submit]"))
    page.wait_for_function("document.activeElement && document.activeElement.id")
    assert page.evaluate("document.activeElement.id") == "kk-form-message"
    assert page.title().startswith(("Error:", "Fehler:"))
    assert_reflows(page, "form with errors")
