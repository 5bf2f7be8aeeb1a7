"""Consent and the consultation form with the keyboard alone, at 1280 px and at 320 px (WCAG 2.1.1
Keyboard, 2.1.2 No Keyboard Trap, 2.4.3 Focus Order, 2.4.7 Focus Visible, 2.4.11 Focus Not
Obscured, 3.3.1 Error Identification).

Only Tab, Shift+Tab, Enter, Space, the arrow keys and Escape: a visitor reaches the consent banner
early, chooses a cookie group in the settings dialog, loads an embed from its placeholder, and
reopens and closes the settings from the footer; a visitor sends the consultation form empty,
follows each link of the error summary to its field, fills the form and sends it. Every focus
stop on the way is in view, not covered and outlined (as in test_keyboard_listing.py).
"""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from playwright.sync_api import expect

from .test_keyboard_listing import focused, press_and_wait

pytestmark = pytest.mark.django_db(transaction=True)

WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 640}
MAX_TABS = 150
#: The banner's first button is at most this many Tab presses from the top (a skip link first).
BANNER_WITHIN = 3
DIALOG = "#kk-consent-dialog"
#: An optional cookie group other than the embed's, to choose in the dialog.
OTHER_GROUP = f"{DIALOG} input[type=checkbox]:not([disabled]):not([value=external_media])"
#: Required fields the test adds to the demo's form, so that the form has every kind of field.
RADIO_LABEL = "Ich bin …"
CHECKBOXES_LABEL = "Welche Formate interessieren Euch?"
CHOICES = ("Verwaltungsmitarbeitende:r", "Politiker:in", "in der Zivilgesellschaft aktiv")
#: Kinds of field the error summary must link to (``type`` of the linked element).
FIELD_KINDS = {"text", "email", "textarea", "select-one", "radio", "checkbox"}
#: Whether the focus is past the error summary (the way back to it is Shift+Tab).
AFTER_SUMMARY = """() => !!(document.getElementById("kk-form-message")
    .compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING)"""

#: The focused element: a readable name, whether it is in view and uncovered, and whether it
#: draws a focus indicator (an outline or a box shadow). test_keyboard_listing.py's probe, with
#: "in view" as SC 2.4.11 (AA) means it: not entirely hidden. Chrome scrolls a tall text area only
#: until its first line shows, so its centre may lie below the window while its caret is in view.
FOCUS_STOP = """() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const r = [...el.getClientRects()].find(r => r.width > 0 && r.height > 0);
    const left = r ? Math.max(r.left, 0) : 0, right = r ? Math.min(r.right, innerWidth) : 0;
    const top = r ? Math.max(r.top, 0) : 0, bottom = r ? Math.min(r.bottom, innerHeight) : 0;
    const inView = left < right && top < bottom;
    const hit = inView ? document.elementFromPoint((left + right) / 2, (top + bottom) / 2) : null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    const seen = window.kkFocusStops || (window.kkFocusStops = []);
    if (!seen.includes(el)) seen.push(el);
    return {
        visit: seen.indexOf(el),
        name: [el.tagName.toLowerCase(), el.id, el.getAttribute("href") || "",
               (el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40)].join("|"),
        inView,
        covered: inView && !(hit === el || el.contains(hit)),
        indicator: outline || style.boxShadow !== "none",
        inDialog: !!el.closest("dialog[open]"),
    };
}"""


class Keyboard:
    """Key presses on one page; every focus stop on the way is checked and its faults kept."""

    def __init__(self, page, where: str) -> None:
        self.page = page
        self.where = where
        self.problems: list[str] = []

    def check(self) -> dict | None:
        stop = self.page.evaluate(FOCUS_STOP)
        if stop is None:
            return None
        for what, bad in (
            ("out of view", not stop["inView"]),
            ("covered", stop["covered"]),
            ("without indicator", not stop["indicator"]),
        ):
            if bad:
                self.problems.append(f"{self.where}: focus {what} at {stop['name']}")
        return stop

    def press(self, key: str) -> dict | None:
        self.page.keyboard.press(key)
        return self.check()

    def enter(self, key: str = "Enter") -> None:
        """Press ``key`` on a link or submit button and wait for the page it leads to."""
        press_and_wait(self.page, key)

    def tab_to(self, selector: str, *, back: bool = False, within: int = MAX_TABS) -> None:
        """Tab (or Shift+Tab) until the element matching ``selector`` has the focus."""
        key = "Shift+Tab" if back else "Tab"
        for _ in range(within):
            self.press(key)
            if focused(self.page, selector):
                return
        raise AssertionError(f"{self.where}: {selector} is not reached with {key} in {within}")

    def every_stop(self) -> int:
        """Tab once round the whole page (from wherever the focus is, through the browser's
        controls and back), checking each stop; how many there are."""
        self.page.evaluate("window.kkFocusStops = []")
        count = 0
        for _ in range(MAX_TABS):
            stop = self.press("Tab")
            if stop is None:
                continue
            if stop["visit"] < count:
                return count
            count += 1
        raise AssertionError(f"{self.where}: Tab does not come round the page")


def dialog_keeps_focus(keys: Keyboard) -> list[str]:
    """Tab round the open dialog and back: focus never lands on the page behind it.

    The page behind a modal dialog is inert. After the dialog's last control focus may leave
    the document for the browser's own controls (so a keyboard user is never trapped), but
    the next Tab brings it back into the dialog, not onto the page.
    """
    where = keys.where
    stop = keys.check()
    if stop is None or not stop["inDialog"]:
        return [f"{where}: focus is not in the dialog when it opens: {stop}"]
    names: list[str] = []
    for _ in range(40):
        stop = keys.press("Tab")
        if stop is None:
            continue  # out of the document, to the browser's controls
        if not stop["inDialog"]:
            return [f"{where}: Tab leaves the open dialog for {stop['name']}"]
        if stop["name"] in names:
            break
        names.append(stop["name"])
    else:
        return [f"{where}: Tab does not come round in the dialog: {names}"]
    stop = keys.press("Shift+Tab")
    if stop is not None and not stop["inDialog"]:
        return [f"{where}: Shift+Tab leaves the open dialog for {stop['name']}"]
    if len(names) < 5:
        return [f"{where}: only {names} are focus stops in the dialog"]
    return []


def consent_cookie(page) -> dict[str, str]:
    """The stored decisions: group name to "-1" (declined) or the time of consent."""
    from cookie_consent.conf import settings as consent_settings

    for cookie in page.context.cookies():
        if cookie["name"] == consent_settings.COOKIE_CONSENT_NAME:
            value = unquote(cookie["value"]).strip('"')
            return dict(part.split("=", 1) for part in value.split("|") if "=" in part)
    return {}


def consent_by_keyboard(page, url: str, viewport: dict) -> list[str]:
    """Decide, load the embed and reopen the settings with the keyboard; the problems found."""
    where = f"consent at {viewport['width']} px"
    page.set_viewport_size(viewport)
    page.context.clear_cookies()
    page.goto(url)
    keys = Keyboard(page, where)
    expect(page.locator("#kk-consent-banner")).to_be_visible()
    expect(page.locator(".kk-consent-placeholder")).to_be_visible()

    # the banner comes early; its "Settings" button opens the dialog with the focus in it
    keys.tab_to("#kk-consent-banner button", within=BANNER_WITHIN)
    keys.every_stop()
    keys.tab_to("#kk-consent-banner button[data-kk-consent-open]")
    keys.press("Enter")
    dialog = page.locator(DIALOG)
    expect(dialog).to_be_visible()
    problems = dialog_keeps_focus(keys)

    # a group chosen with Space and saved with Enter: the banner goes, the choice is stored
    choice = page.locator(OTHER_GROUP).first
    group = choice.get_attribute("value")
    keys.tab_to(OTHER_GROUP)
    expect(choice).not_to_be_checked()
    keys.press("Space")
    expect(choice).to_be_checked()
    keys.tab_to(f"{DIALOG} button[value=save]")
    keys.enter()
    expect(page.locator("#kk-consent-banner")).to_have_count(0)
    decisions = consent_cookie(page)
    assert decisions.get(group, "-1") != "-1", f"{where}: {group} not accepted: {decisions}"
    assert decisions.get("external_media") == "-1", f"{where}: {decisions}"

    # the placeholder loads the embed; the next Tab goes on from the embed, not from the top
    keys.tab_to(".kk-consent-placeholder button[type=submit]")
    keys.enter()
    figure = page.locator("figure.kk-consent-embed")
    expect(figure.locator("iframe")).to_have_count(1)
    expect(page.locator(".kk-consent-placeholder")).to_have_count(0)
    assert consent_cookie(page).get("external_media", "-1") != "-1", where
    # the browser scrolls to the page's #fragment (and starts Tab there) once layout settles,
    # which may come a moment after "load" on a narrow screen
    page.wait_for_function(
        """() => {
            const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
            if (!target) return false;
            const box = target.getBoundingClientRect();
            return box.bottom > 0 && box.top < innerHeight;
        }"""
    )
    keys.press("Tab")
    if not figure.evaluate("f => !!(f.compareDocumentPosition(document.activeElement) & 4)"):
        problems.append(f"{where}: after loading the embed Tab does not go on from it")

    # the footer link reopens the settings; focus stays in the dialog; Escape gives it back
    keys.tab_to(".kk-consent-settings-link")
    keys.press("Enter")
    expect(dialog).to_be_visible()
    expect(dialog.locator("input[value=external_media]")).to_be_checked()
    problems += dialog_keeps_focus(keys)
    keys.press("Escape")
    expect(dialog).to_be_hidden()
    if not focused(page, ".kk-consent-settings-link"):
        problems.append(f"{where}: focus is not back on the footer link after Escape")
    expect(figure.locator("iframe")).to_have_count(1)  # closing changed nothing
    return problems + keys.problems


@pytest.fixture
def form_url(demo, settings):
    """The demo's consultation form, with a required select, radio group and checkbox group
    besides its text fields and consent checkbox. No minimum fill time (as in
    test_accessibility.py); the honeypot and the one-time token still apply."""
    from wagtail.contrib.forms.utils import get_field_clean_name

    from kokreative_wagtail.consultations.models import ConsultationFormField, ConsultationFormPage

    settings.KOKREATIVE = {"FORM_MIN_FILL_SECONDS": 0}
    form = ConsultationFormPage.objects.live().get(slug="beratungsgespraech")
    form.form_fields.filter(field_type="dropdown").update(required=True)
    last = form.form_fields.order_by("-sort_order").first().sort_order
    for offset, (label, kind) in enumerate(
        ((RADIO_LABEL, "radio"), (CHECKBOXES_LABEL, "checkboxes")), start=1
    ):
        ConsultationFormField.objects.create(
            page=form,
            label=label,
            clean_name=get_field_clean_name(label),
            field_type=kind,
            required=True,
            choices="\r\n".join(CHOICES),
            sort_order=last + offset,
        )
    return form.url


def summary_link(target: str) -> str:
    return f"#kk-form-message a[href='#{target}']"


def fill_by_keyboard(keys: Keyboard, targets: list[str]) -> None:
    """Fill the fields the error summary named (every required one), in Tab order, with the
    keys a visitor uses: typing, Space on a checkbox, an arrow key in a select or a radio group
    (which chooses the next option)."""
    page = keys.page
    for target in targets:
        keys.tab_to(f"#{target}")
        kind = page.evaluate("id => document.getElementById(id).type", target)
        if kind in {"radio", "select-one"}:
            keys.press("ArrowDown")
        elif kind == "checkbox":
            keys.press("Space")
        else:
            page.keyboard.type("kommune@example.org" if kind == "email" else "Beispiel")


def form_by_keyboard(page, url: str, viewport: dict) -> list[str]:
    """Send the form empty, follow the error summary, fill and send it; the problems found."""
    where = f"form at {viewport['width']} px"
    page.set_viewport_size(viewport)
    page.goto(url)
    keys = Keyboard(page, where)
    if page.locator("#kk-consent-banner").count():
        keys.tab_to("#kk-consent-banner button[value=decline_all]")
        keys.enter()
    problems: list[str] = []
    form = page.locator("main form")

    # Sent empty: Enter in the first field at one width, Space on the submit button at the other.
    # The browser's own check of required fields is off: the server's check and its error
    # summary are what a form with "novalidate" or a browser without the check gives.
    form.evaluate("f => { f.noValidate = true; }")
    if viewport is WIDE:
        keys.tab_to("main form input:not([type=hidden]):not([tabindex='-1'])")
        keys.enter("Enter")
    else:
        keys.tab_to("main form [type=submit]")
        keys.enter("Space")
    summary = page.locator("#kk-form-message")
    expect(summary).to_be_visible()
    if not focused(page, "#kk-form-message"):
        problems.append(f"{where}: after the failed submit the focus is not on the summary")
    keys.check()
    if keys.every_stop() < 20:
        problems.append(f"{where}: too few focus stops on the form with errors")

    # each link of the summary leads to its field, a group's link to its first option
    targets = [
        href.removeprefix("#")
        for href in summary.locator("a").evaluate_all("a => a.map(e => e.getAttribute('href'))")
    ]
    kinds = {
        target: page.evaluate("id => document.getElementById(id)?.type || ''", target)
        for target in targets
    }
    if not targets or not all(kinds.values()):
        problems.append(f"{where}: summary links without a field: {kinds}")
    if missing := FIELD_KINDS - set(kinds.values()):
        problems.append(f"{where}: the summary links to no field of kind {missing}: {kinds}")
    targets = [target for target in targets if kinds[target]]
    if not targets:
        return problems + keys.problems
    for target in targets:
        keys.tab_to(summary_link(target), back=page.evaluate(AFTER_SUMMARY))
        keys.press("Enter")
        if not focused(page, f"#{target}"):
            problems.append(f"{where}: the summary's link to #{target} does not focus it")

    # every named field filled from the top of the form with the keyboard, then sent
    keys.tab_to(summary_link(targets[-1]), back=True)
    fill_by_keyboard(keys, targets)
    invalid = form.evaluate("f => [...f.elements].filter(e => !e.checkValidity()).map(e => e.id)")
    if invalid:
        return [*problems, f"{where}: not filled with the keyboard: {invalid}", *keys.problems]
    keys.tab_to("main form [type=submit]")
    keys.enter("Space")
    if page.locator(".kk-thank-you").count() == 0 or page.locator("main form").count():
        problems.append(f"{where}: the filled form is not accepted")
    return problems + keys.problems


def test_consent_and_form_with_the_keyboard(page, live_server, demo, form_url, requests):
    """Both flows at both widths in one test (one demo load); the focus checks collect and fail
    together."""
    problems: list[str] = []
    for viewport in (WIDE, NARROW):
        problems += consent_by_keyboard(page, live_server.url + demo.url, viewport)
    page.context.clear_cookies()
    for viewport in (WIDE, NARROW):
        problems += form_by_keyboard(page, live_server.url + form_url, viewport)
    assert problems == [], "\n".join(problems)
