"""Consent in a real browser, on the example site's demo content.

Every request the browser makes is recorded; requests to any host but the test server are
blocked (and recorded), so the tests need no internet and show exactly what would have left.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .helpers import Requests, assert_no_violations, require_axe, submit

pytestmark = pytest.mark.django_db(transaction=True)

VIDEO_SRC = "https://www.youtube-nocookie.com/embed/jNQXAC9IVRw"


def focused(page) -> str:
    """A short description of the focused element."""
    return page.evaluate(
        """() => { const e = document.activeElement;
            return [e.tagName.toLowerCase(), e.id, e.getAttribute('value') || '',
                    e.className, e.closest('dialog') ? 'in-dialog' : ''].join('|'); }"""
    )


def test_consent_flow_from_first_load_to_withdrawal(page, live_server, demo, requests):
    url = f"{live_server.url}{demo.url}"

    # First load: the banner shows, the embed is a placeholder, nothing left for another host.
    page.goto(url)
    banner = page.locator("#kk-consent-banner")
    expect(banner).to_be_visible()
    expect(page.locator(".kk-consent-placeholder")).to_be_visible()
    assert page.locator("iframe").count() == 0
    assert requests.foreign == []

    # "Reject all": the banner goes, the embed stays a placeholder, still nothing left.
    submit(page, banner.locator("button[value=decline_all]"))
    expect(page.locator("#kk-consent-banner")).to_have_count(0)
    expect(page.locator(".kk-consent-placeholder")).to_be_visible()
    assert page.locator("iframe").count() == 0
    page.reload()
    expect(page.locator("#kk-consent-banner")).to_have_count(0)  # it does not come back
    assert requests.foreign == []

    # "Load this content" (two-click): consent for external media, back at the embed.
    figure_id = page.locator("figure.kk-consent-embed").get_attribute("id")
    submit(page, page.locator(".kk-consent-placeholder button[type=submit]"))
    assert page.url.endswith(f"#{figure_id}")
    iframe = page.locator(f"#{figure_id} iframe")
    expect(iframe).to_have_attribute("src", VIDEO_SRC)
    expect(iframe).to_have_attribute("title", "Beispielvideo: ein eingebettetes YouTube-Video")
    assert requests.foreign_hosts() <= {"www.youtube-nocookie.com"}

    # The footer link re-opens the settings; Escape closes them and focus goes back.
    footer_link = page.locator("footer .kk-consent-settings-link")
    footer_link.click()
    dialog = page.locator("#kk-consent-dialog")
    expect(dialog).to_be_visible()
    assert "in-dialog" in focused(page)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert "kk-consent-settings-link" in focused(page)
    assert page.locator("iframe").count() == 1  # closing changed nothing

    # Withdraw external media: on the next load the embed is a placeholder again.
    footer_link.click()
    checkbox = dialog.locator("input[value=external_media]")
    expect(checkbox).to_be_checked()
    checkbox.uncheck()
    requests.foreign.clear()
    submit(page, dialog.locator("button[value=save]"))
    expect(page.locator(".kk-consent-placeholder")).to_be_visible()
    assert page.locator("iframe").count() == 0
    assert requests.foreign == []


def test_accepting_external_media_in_the_dialog_shows_the_embed(page, live_server, demo, requests):
    page.goto(f"{live_server.url}{demo.url}")
    page.locator("#kk-consent-banner button[data-kk-consent-open]").click()
    dialog = page.locator("#kk-consent-dialog")
    for box in dialog.locator("input[name=groups]:not([disabled])").all():
        expect(box).not_to_be_checked()  # nothing pre-ticked
    dialog.locator("input[value=external_media]").check()
    submit(page, dialog.locator("button[value=save]"))
    expect(page.locator("figure.kk-consent-embed iframe")).to_have_attribute("src", VIDEO_SRC)
    expect(page.locator("#kk-consent-banner")).to_have_count(0)


def test_keyboard_reaches_both_buttons_and_operates_the_dialog(page, live_server, demo, requests):
    page.goto(f"{live_server.url}{demo.url}")
    seen = []
    for _ in range(80):
        page.keyboard.press("Tab")
        seen.append(focused(page))
        if any("accept_all" in s for s in seen) and any("decline_all" in s for s in seen):
            break
    assert any(s.startswith("button||accept_all") for s in seen), seen
    assert any(s.startswith("button||decline_all") for s in seen), seen

    # The banner's "Settings" button: Enter opens the dialog with focus inside.
    settings_button = page.locator("#kk-consent-banner button[data-kk-consent-open]")
    expect(settings_button).to_be_visible()
    expect(page.locator("#kk-consent-banner a.kk-consent-nojs")).to_be_hidden()
    settings_button.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("#kk-consent-dialog")
    expect(dialog).to_be_visible()
    assert "in-dialog" in focused(page)
    # Modal: Tab stays inside the dialog.
    for _ in range(12):
        page.keyboard.press("Tab")
        assert "in-dialog" in focused(page) or focused(page).startswith("body"), focused(page)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.evaluate("document.activeElement.hasAttribute('data-kk-consent-open')")

    # Closing is no consent: after a reload the banner asks again.
    page.reload()
    expect(page.locator("#kk-consent-banner")).to_be_visible()
    assert requests.foreign == []


def test_accept_and_reject_look_equally_prominent(page, live_server, demo, requests):
    page.goto(f"{live_server.url}{demo.url}")
    banner = page.locator("#kk-consent-banner")
    accept = banner.locator("button[value=accept_all]")
    reject = banner.locator("button[value=decline_all]")
    style = "e => { const s = getComputedStyle(e); return [s.backgroundColor, s.color, s.fontSize, s.fontWeight, s.borderWidth]; }"  # noqa: E501
    assert accept.evaluate(style) == reject.evaluate(style)
    a, r = accept.bounding_box(), reject.bounding_box()
    assert abs(a["height"] - r["height"]) < 1
    assert abs(a["width"] - r["width"]) <= 0.25 * max(a["width"], r["width"])


def test_without_javascript_plain_forms_decide(browser, live_server, demo):
    context = browser.new_context(java_script_enabled=False)
    requests = Requests(context, live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}{demo.url}")
    banner = page.locator("#kk-consent-banner")
    expect(banner.locator("a.kk-consent-nojs")).to_be_visible()
    expect(banner.locator("button[data-kk-consent-open]")).to_be_hidden()
    submit(page, banner.locator("button[value=accept_all]"))
    expect(page.locator("#kk-consent-banner")).to_have_count(0)
    expect(page.locator("figure.kk-consent-embed iframe")).to_have_attribute("src", VIDEO_SRC)

    # The footer link leads to the settings page; withdrawing there works as a plain form.
    settings_link = page.locator("footer .kk-consent-settings-link")
    settings_link.scroll_into_view_if_needed()
    with page.expect_navigation():
        settings_link.click()
    page.locator("main input[value=external_media]").uncheck()
    page.locator("main input[value=statistics]").uncheck()
    submit(page, page.locator("main button[value=save]"))
    assert urlsplit(page.url).path == demo.url
    expect(page.locator(".kk-consent-placeholder")).to_be_visible()
    assert requests.foreign_hosts() <= {"www.youtube-nocookie.com"}
    context.close()


def test_first_load_of_every_page_type_contacts_no_other_host(page, live_server, demo, requests):
    from wagtail.models import Page

    pages = [(p.specific_class.__name__, p.url) for p in Page.objects.live().filter(depth__gt=1)]
    pages.append(("settings page", reverse("kokreative_consent_settings")))
    kinds = {name for name, _ in pages}
    assert {"HomePage", "ProgrammePage", "ElementPage", "OfferPage", "EventPage"} <= kinds
    assert demo.url in {path for _, path in pages}  # the page with the embed
    for name, path in pages:
        page.context.clear_cookies()
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        assert requests.foreign == [], (name, requests.foreign)


def test_axe_audit_of_banner_dialog_and_placeholder(page, live_server, demo, requests):
    require_axe()
    page.goto(f"{live_server.url}{demo.url}")
    expect(page.locator("#kk-consent-banner")).to_be_visible()
    assert_no_violations(page)

    page.locator("#kk-consent-banner button[data-kk-consent-open]").click()
    expect(page.locator("#kk-consent-dialog")).to_be_visible()
    assert_no_violations(page)

    page.goto(f"{live_server.url}{reverse('kokreative_consent_settings')}")
    assert_no_violations(page)
