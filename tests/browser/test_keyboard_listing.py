"""The event index with the keyboard alone, at 1280 px and at 320 px (WCAG 2.1.1 Keyboard, 2.4.3
Focus Order, 2.4.7 Focus Visible, 2.4.11 Focus Not Obscured, 2.4.6 Headings).

A keyboard user decides the consent banner, filters the list by an element, opens the month view
and moves a month on and back, with Tab, Enter, Space and the arrow keys only. Every focus stop on
the way is in view, not covered and outlined, the filters come before the results, and the
filter stays applied in the month view. The list names each day once as a heading, not each
date's series title (a weekly series would be ten headings of one name).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.utils import formats, translation
from playwright.sync_api import expect

from .helpers import tab_through

pytestmark = pytest.mark.django_db(transaction=True)

BERLIN = ZoneInfo("Europe/Berlin")
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 640}
MAX_TABS = 150
SERIES = "Community of Practice"
WALK = "Stadtspaziergang Raumstrukturen"

#: The focused element: a readable name, where it is, whether it is in view and uncovered, and
#: whether it draws a focus indicator (an outline or a box shadow).
FOCUS_STOP = """() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const rects = [...el.getClientRects()].filter(r => r.width > 0 && r.height > 0);
    const r = rects[0] || el.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    const inView = rects.length > 0 && x >= 0 && y >= 0 && x <= innerWidth && y <= innerHeight;
    const hit = inView ? document.elementFromPoint(x, y) : null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    const region = el.closest(".kk-filters") ? "filters"
        : el.closest(".kk-event-views") ? "views"
        : el.closest(".kk-month-nav") ? "months"
        : el.closest(".kk-occurrences, .kk-calendar") ? "results"
        : el.closest("#kk-consent-banner") ? "banner" : "";
    const whole = el.getBoundingClientRect();
    const seen = window.kkFocusStops || (window.kkFocusStops = []);
    if (!seen.includes(el)) seen.push(el);
    return {
        visit: seen.indexOf(el),
        inMain: !!el.closest("main"),
        name: [el.tagName.toLowerCase(), el.id, el.getAttribute("href") || "",
               (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40)].join("|"),
        region,
        inView,
        covered: inView && !(hit === el || el.contains(hit)),
        indicator: outline || style.boxShadow !== "none",
        top: whole.top + scrollY, bottom: whole.bottom + scrollY,
        left: whole.left + scrollX, right: whole.right + scrollX,
    };
}"""

#: The headings of the main content, as the heading list of a screen reader shows them.
HEADINGS = """() => [...document.querySelectorAll('main :is(h1, h2, h3, h4, h5, h6)')]
    .map(h => h.tagName + ' ' + h.textContent.trim().replace(/\\s+/g, ' '))"""


@pytest.fixture
def listing(site_root, elements):
    """An event index with a weekly series of one element from the first Thursday of this month
    on (dates in this month's and the next month's view) and a walk of the other element in the
    middle of the next month."""
    from ..events.factories import create_event, create_event_index

    culture, space = elements
    index = create_event_index(site_root, title="Veranstaltungen")
    month = datetime.now(BERLIN).replace(day=1, hour=16, minute=30, second=0, microsecond=0)
    first = month + timedelta(days=(3 - month.weekday()) % 7)
    create_event(index, first, rule="RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=12", elements=[culture])
    walk = (month + timedelta(days=32)).replace(day=15, hour=10)
    create_event(index, walk, title=WALK, slug="rundgang", elements=[space])
    return {"url": index.url, "culture": culture}


def focused(page, selector: str) -> bool:
    return page.evaluate("s => !!document.activeElement?.matches(s)", selector)


def tab_to(page, selector: str) -> None:
    """Tab until the element matching ``selector`` has the focus."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if focused(page, selector):
            return
    raise AssertionError(f"{selector} is not reached with Tab")


def press_and_wait(page, key: str) -> None:
    """Press ``key`` on the focused link or button and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)


def focus_stops(page) -> list[dict]:
    """Every focus stop of a freshly loaded page from its start, in Tab order, until focus
    leaves the document or comes round again."""
    page.evaluate("document.activeElement?.blur(); window.scrollTo(0, 0); window.kkFocusStops = []")
    return tab_through(page, FOCUS_STOP, MAX_TABS, lambda stop, stops: stop["visit"] < len(stops))


def focus_problems(page, where: str) -> list[str]:
    """What a keyboard user meets on this page: hidden or unmarked focus, a jumbled order."""
    stops = focus_stops(page)
    problems = [
        f"{where}: focus {what} at {s['name']}"
        for s in stops
        for what, bad in (
            ("out of view", not s["inView"]),
            ("covered", s["covered"]),
            ("without indicator", not s["indicator"]),
        )
        if bad
    ]
    regions = [s["region"] for s in stops if s["region"]]
    order = ["views", "filters", "months", "results"]
    ranks = [order.index(r) for r in regions if r in order]
    if ranks != sorted(ranks) or "filters" not in regions or "results" not in regions:
        problems.append(f"{where}: order of views, filters, months, results is {regions}")
    # reading order in the content: each stop below the one before or on its line, right of it
    content = [s for s in stops if s["inMain"]]
    for before, after in zip(content, content[1:], strict=False):
        below = after["top"] >= before["bottom"] - 2
        right = after["left"] >= before["right"] - 2 and after["top"] < before["bottom"]
        if not (below or right):
            problems.append(f"{where}: focus jumps back from {before['name']} to {after['name']}")
    return problems


def heading_problems(page, where: str) -> list[str]:
    """A heading named twice in the content (a screen reader's heading list repeats itself)."""
    headings = page.evaluate(HEADINGS)
    repeated = sorted({h for h in headings if headings.count(h) > 1})
    return [f"{where}: headings repeat: {repeated}"] if repeated else []


def decide_consent(page) -> None:
    """Reject all in the banner with the keyboard, if the banner asks."""
    if page.locator("#kk-consent-banner").count() == 0:
        return
    tab_to(page, "#kk-consent-banner button[value=decline_all]")
    press_and_wait(page, "Enter")
    expect(page.locator("#kk-consent-banner")).to_have_count(0)


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def month_heading(page) -> str:
    return page.locator("#kk-month-heading").inner_text()


def month_name(months_on: int) -> str:
    """This month or one after it as the month view's heading names it ("Dezember 2026")."""
    day = datetime.now(BERLIN).replace(day=1) + timedelta(days=32 * months_on)
    with translation.override("de"):
        return formats.date_format(day, "F Y")


def filter_kept(page, listing: dict) -> list[str]:
    """The month view's links keep the filter: moving a month shows the same selection."""
    if query(page).get("element") == [listing["culture"].slug]:
        return []
    return [f"filter lost on the way to {page.url}"]


def walk_listing(page, base: str, listing: dict, viewport: dict) -> list[str]:
    """Filter, open the month view and page through it with the keyboard; the problems found."""
    where = f"{viewport['width']} px"
    problems: list[str] = []
    page.set_viewport_size(viewport)
    page.goto(base + listing["url"])
    decide_consent(page)
    main = page.locator("main")
    expect(main.get_by_text(WALK)).to_have_count(1)
    problems += focus_problems(page, f"list at {where}")
    problems += heading_problems(page, f"list at {where}")

    # the element filter: a select changed with the arrow keys, applied with Space
    tab_to(page, "#kk-event-element")
    page.keyboard.press("ArrowDown")
    assert page.locator("#kk-event-element").input_value() == listing["culture"].slug
    tab_to(page, ".kk-filter-form button[type=submit]")
    press_and_wait(page, "Space")
    assert query(page).get("element") == [listing["culture"].slug], page.url
    expect(page.locator("#kk-event-element")).to_have_value(listing["culture"].slug)
    expect(main.get_by_text(WALK)).to_have_count(0)
    expect(main.get_by_role("link", name=SERIES).first).to_be_visible()

    # the month view, then a month on and back, with Enter on the links
    tab_to(page, ".kk-event-views a[href*='view=month']")
    press_and_wait(page, "Enter")
    assert month_heading(page) == month_name(0)
    problems += filter_kept(page, listing)
    problems += focus_problems(page, f"month at {where}")
    problems += heading_problems(page, f"month at {where}")

    tab_to(page, ".kk-month-nav a[rel=next]")
    press_and_wait(page, "Enter")
    assert month_heading(page) == month_name(1)
    problems += filter_kept(page, listing)
    if main.get_by_text(WALK).count():
        problems.append(f"the next month at {where} shows a date the filter leaves out")
    problems += focus_problems(page, f"next month at {where}")

    tab_to(page, ".kk-month-nav a[rel=prev]")
    press_and_wait(page, "Enter")
    assert month_heading(page) == month_name(0)
    problems += filter_kept(page, listing)
    return problems


def test_filters_and_months_with_the_keyboard(page, live_server, listing):
    """Both widths in one test (one browser page, the consent decided once); the focus checks
    collect and fail together."""
    problems = []
    for viewport in (WIDE, NARROW):
        problems += walk_listing(page, live_server.url, listing, viewport)
    assert problems == [], "\n".join(problems)
