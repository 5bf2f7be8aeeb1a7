"""The consent banner and keyboard users, on wide and narrow screens, before any decision.

WCAG 2.2 SC 2.4.11 (Focus Not Obscured): no focus stop of a page may be hidden by the banner.
The banner comes first in the tab order, the footer's "Cookie settings" link shows its focus,
and at 320 px (SC 1.4.10 Reflow) neither the banner nor the settings dialog scrolls sideways.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .helpers import tab_through
from .test_accessibility import page_url

pytestmark = pytest.mark.django_db(transaction=True)

WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 640}
PAGES = ["kokreative_events.EventIndexPage", "kokreative_consultations.ConsultationFormPage"]
MAX_TABS = 200

#: The focused element, whether the banner hides it, and the footer link's outline.
FOCUS_STOP = """() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const banner = document.getElementById("kk-consent-banner");
    const r = el.getBoundingClientRect();
    const name = [el.tagName.toLowerCase(), el.id, el.getAttribute("value") || "",
                  (el.textContent || "").trim().slice(0, 30)].join("|");
    let hidden = false;
    if (banner && !banner.contains(el) && r.width > 0 && r.height > 0) {
        const b = banner.getBoundingClientRect();
        const overlaps = r.left < b.right && r.right > b.left && r.top < b.bottom
            && r.bottom > b.top;
        if (overlaps) {
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            hidden = !hit || !(hit === el || el.contains(hit));
        }
    }
    const style = getComputedStyle(el);
    return {
        name, hidden,
        inBanner: !!banner && banner.contains(el),
        isBannerButton: !!banner && el.tagName === "BUTTON" && banner.contains(el),
        isSettingsLink: el.classList.contains("kk-consent-settings-link"),
        outlineStyle: style.outlineStyle,
        outlineWidth: parseFloat(style.outlineWidth) || 0,
    };
}"""


def focus_stops(page) -> list[dict]:
    """Every focus stop of the page, in Tab order, until focus leaves the document or repeats."""
    return tab_through(
        page, FOCUS_STOP, MAX_TABS, lambda stop, stops: stop["name"] == stops[0]["name"]
    )


def check_page(page, url: str, viewport: dict) -> list[str]:
    """What is wrong on one page at one viewport size, as readable lines (empty: nothing)."""
    page.set_viewport_size(viewport)
    page.context.clear_cookies()
    page.goto(url)
    expect(page.locator("#kk-consent-banner")).to_be_visible()
    where = f"{url.split('/', 3)[-1]} at {viewport['width']}x{viewport['height']}"
    stops = focus_stops(page)
    if len(stops) < 5:
        return [f"only {len(stops)} focus stops on {where}"]
    problems = []
    hidden = [s["name"] for s in stops if s["hidden"]]
    if hidden:
        problems.append(f"{len(hidden)} of {len(stops)} focus stops hidden on {where}: {hidden}")
    first = next((i for i, s in enumerate(stops) if s["isBannerButton"]), None)
    if first is None or first >= 3:
        problems.append(f"banner's first button is Tab stop {first and first + 1} on {where}")
    links = [s for s in stops if s["isSettingsLink"]]
    if not links or links[0]["outlineStyle"] == "none" or links[0]["outlineWidth"] <= 0:
        problems.append(f"footer link without a visible focus outline on {where}: {links[:1]}")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > viewport["width"]:
        problems.append(f"page scrolls sideways on {where}: {width} px")
    return problems


def check_reflow(page, url: str) -> list[str]:
    """At 320 px: banner and open dialog fit, the banner leaves most of the screen."""
    page.set_viewport_size(NARROW)
    page.context.clear_cookies()
    page.goto(url)
    banner = page.locator("#kk-consent-banner")
    expect(banner).to_be_visible()
    problems = []
    box = banner.bounding_box()
    if box["width"] > 320 or box["height"] > NARROW["height"] / 2:
        problems.append(f"banner at 320x640 is {box['width']}x{box['height']} px")
    banner.locator("button[data-kk-consent-open]").click()
    dialog = page.locator("#kk-consent-dialog")
    expect(dialog).to_be_visible()
    d = dialog.bounding_box()
    if d["x"] < 0 or d["x"] + d["width"] > 320:
        problems.append(f"open dialog at 320 px spans x={d['x']}..{d['x'] + d['width']}")
    # Nothing inside is wider than the dialog: no sideways scrolling within it either.
    if not dialog.evaluate("d => d.scrollWidth <= d.clientWidth"):
        problems.append("the dialog's content is wider than the dialog at 320 px")
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 320:
        problems.append(f"page with the open dialog scrolls sideways at 320 px: {width} px")
    return problems


def test_banner_never_hides_focus_and_reflows(page, live_server, demo, requests):
    """One demo load for every page and size: the checks collect, then fail together."""
    urls = [live_server.url + page_url(model) for model in PAGES]
    problems = []
    for viewport in (WIDE, NARROW):
        for url in urls:
            problems += check_page(page, url, viewport)
    problems += check_reflow(page, urls[0])
    assert problems == [], "\n".join(problems)
