"""An axe-core audit (WCAG 2.0/2.1, A and AA) of every default template on the demo content.

One test per page and state, so a failure names the page; the violations are printed with
rule, impact, help text and the failing elements.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .helpers import assert_no_violations, require_axe, submit

pytestmark = pytest.mark.django_db(transaction=True)


def page_url(model_path: str, **filters) -> str:
    from django.apps import apps

    model = apps.get_model(*model_path.split("."))
    return model.objects.live().filter(**filters).first().url


def open_url(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")


def fill_required_fields(form) -> None:
    """Valid values for every required field of a consultation form."""
    for field in form.locator("input[required], textarea[required], select[required]").all():
        kind = field.get_attribute("type") or field.evaluate("e => e.tagName.toLowerCase()")
        if kind == "checkbox":
            field.check()
        elif kind == "email":
            field.fill("kommune@example.org")
        elif kind == "select":
            field.select_option(index=1)
        else:
            field.fill("Beispiel")


def submit_empty(page) -> None:
    """Submit the form empty; the browser's own validation is switched off to reach the server's."""
    form = page.locator("main form").first
    form.evaluate("f => { f.noValidate = true; }")
    submit(page, form.locator("[type=submit]").last)
    expect(page.locator("main [aria-invalid=true]").first).to_be_attached()


def consultation_errors(page, base: str) -> None:
    open_url(page, base + page_url("kokreative_consultations.ConsultationFormPage"))
    submit_empty(page)


def consultation_errors_choices(page, base: str) -> None:
    url = page_url(
        "kokreative_consultations.ConsultationFormPage",
        slug="community-of-practice-anmeldung",
    )
    open_url(page, base + url)
    submit_empty(page)


def consultation_thank_you(page, base: str) -> None:
    open_url(page, base + page_url("kokreative_consultations.ConsultationFormPage"))
    form = page.locator("main form").first
    fill_required_fields(form)
    submit(page, form.locator("[type=submit]").last)
    expect(page.locator("[aria-invalid=true]")).to_have_count(0)
    expect(page.locator("main form")).to_have_count(0)


def registration_url() -> str:
    """The demo's community of practice: it takes registrations for the whole series."""
    return page_url("kokreative_events.EventPage", registration_options__isnull=False)


def registration_section(page, base: str) -> None:
    open_url(page, base + registration_url())
    expect(page.locator("main form input[name=email]")).to_be_attached()


def registration_errors(page, base: str) -> None:
    open_url(page, base + registration_url())
    submit_empty(page)


def registration_sent(page, base: str) -> None:
    open_url(page, base + registration_url())
    form = page.locator("main form").first
    fill_required_fields(form)
    submit(page, form.locator("[type=submit]").last)
    expect(page.locator("main [role=status]").first).to_be_attached()
    expect(page.locator("main [aria-invalid=true]")).to_have_count(0)


def simple(model_path: str, query: str = ""):
    def visit(page, base: str) -> None:
        open_url(page, base + page_url(model_path) + query)

    return visit


PAGES = {
    "home page": simple("home.HomePage"),
    "programme page": simple("kokreative_wagtail.ProgrammePage"),
    "element page": simple("kokreative_wagtail.ElementPage"),
    "offer index": simple("kokreative_offers.OfferIndexPage"),
    "offer index filtered by kind": simple("kokreative_offers.OfferIndexPage", "?kind=training"),
    "offer index without results": simple(
        "kokreative_offers.OfferIndexPage", "?q=xyzzy-nichts-gefunden"
    ),
    "offer index with an invalid filter": simple(
        "kokreative_offers.OfferIndexPage", "?kind=unknown"
    ),
    "offer page": simple("kokreative_offers.OfferPage"),
    "event index (list)": simple("kokreative_events.EventIndexPage"),
    "event index (month)": simple("kokreative_events.EventIndexPage", "?view=month"),
    "event index (past events)": simple("kokreative_events.EventIndexPage", "?past=1"),
    "event page": simple("kokreative_events.EventPage"),
    "event page taking registrations": registration_section,
    "event registration with errors": registration_errors,
    "event registration sent": registration_sent,
    "consultation form with errors": consultation_errors,
    "consultation form with choices, with errors": consultation_errors_choices,
    "consultation thank-you page": consultation_thank_you,
    "accessibility statement page": simple("kokreative_accessibility.AccessibilityStatementPage"),
    "leichte sprache page": simple("kokreative_accessibility.EasyLanguagePage"),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_axe_audit(name, page, live_server, demo, requests, settings):
    require_axe()
    settings.KOKREATIVE = {"FORM_MIN_FILL_SECONDS": 0}
    PAGES[name](page, live_server.url)
    assert_no_violations(page, f"on the {name}")
