"""The reference front end (frontend/) on a second origin against the example site's demo.

The front end is served as static files by a second HTTP server on another port of 127.0.0.1;
the live Wagtail server runs on ``localhost``, so every API call is cross-origin and cross-site
(no third-party cookie helps). It may only talk to ``/api/v2/`` and ``/api/kokreative/v1/``:
every request the browser makes is recorded, and requests to a third origin are blocked.

The main suite has German content only (no wagtail-localize): there the English switch shows the
front end's own labels and our API's messages in English. Under ``tests.settings_localize`` the
demo has English pages too, and the test follows the switcher to them.
"""

from __future__ import annotations

import functools
import json
import threading
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from playwright.sync_api import expect

from .helpers import assert_no_violations, require_axe

pytestmark = pytest.mark.django_db(transaction=True)

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
API_PREFIXES = ("/api/v2/", "/api/kokreative/v1/")
ELEMENT_OFFERS = {
    "Kultureller Wandel": {
        "Trainings und Workshops",
        "Inhouse und Keynotes",
        "Community of Practice",
    },
    "Raumstrukturen": {"Community of Practice"},
    "Prozessstrukturen": {"Trainings und Workshops", "Community of Practice"},
    "Governancestrukturen": {"Community of Practice"},
}
ALL_OFFERS = {"Trainings und Workshops", "Inhouse und Keynotes", "Community of Practice"}
# The request counts of the tour that docs/frontend.md quotes: change both together.
GERMAN_TOUR_REQUESTS = 23
BILINGUAL_TOUR_REQUESTS = 30


def english_content() -> bool:
    """The demo has English pages only with wagtail-localize and Wagtail's i18n."""
    return apps.is_installed("wagtail_localize") and django_settings.WAGTAIL_I18N_ENABLED


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:  # noqa: A002
        pass


@pytest.fixture
def frontend_origin():
    """frontend/ as static files on a second origin (another port of 127.0.0.1)."""
    handler = functools.partial(QuietHandler, directory=str(FRONTEND))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def cross_origin_site(settings, frontend_origin, demo):
    """The site allows the front end's origin; forms accept a submission at once."""
    settings.KOKREATIVE = {
        **getattr(settings, "KOKREATIVE", {}),
        "CORS_ALLOWED_ORIGINS": [frontend_origin],
        "FORM_MIN_FILL_SECONDS": 0,
    }
    settings.CSRF_TRUSTED_ORIGINS = [frontend_origin]
    return demo


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class Traffic:
    """Every request of the browser context; other origins than the two are blocked."""

    def __init__(self, context, site_url: str, frontend_url: str) -> None:
        self.site = origin(site_url)
        self.frontend = origin(frontend_url)
        self.site_requests: list[tuple[str, str]] = []
        self.blocked: list[str] = []
        context.route("**/*", self.handle)

    def handle(self, route) -> None:
        request = route.request
        where = origin(request.url)
        if where == self.site:
            self.site_requests.append((request.method, urlsplit(request.url).path))
            route.continue_()
        elif where == self.frontend or request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.blocked.append(request.url)
            route.abort()

    def api_requests(self) -> list[tuple[str, str]]:
        return [(m, p) for m, p in self.site_requests if p.startswith(API_PREFIXES)]

    def other_site_requests(self) -> list[tuple[str, str]]:
        """Requests to the site that are neither API calls nor media files (images)."""
        return [
            (m, p) for m, p in self.site_requests if not p.startswith((*API_PREFIXES, "/media/"))
        ]


@pytest.fixture
def traffic(context, live_server, frontend_origin) -> Traffic:
    return Traffic(context, live_server.url, frontend_origin)


def open_frontend(page, frontend_origin: str, live_server, route: str = "#/de/") -> None:
    page.goto(f"{frontend_origin}/index.html?api={live_server.url}{route}")
    wait_ready(page)


def wait_ready(page) -> None:
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("#main")).not_to_have_attribute("aria-busy", "true")


def go(page, link) -> None:
    """Follow a link of the single page app and wait until its view is rendered.

    The app marks the body ready after each view; the mark is cleared here first, so that the
    wait cannot pass on the previous view (a link to the current address changes nothing)."""
    href = link.get_attribute("href") or ""
    if href.startswith("#") and page.evaluate("location.hash") != href:
        page.evaluate("document.body.dataset.ready = 'false'")
    link.click()
    wait_ready(page)


def request_count(page) -> int:
    return int(page.locator("html").get_attribute("data-request-count"))


def frontend_requests(page) -> list[str]:
    return page.evaluate("() => [...window.kokreativeRequests]")


def no_error_notices(page) -> None:
    alerts = page.locator("#main .notice.error")
    assert alerts.count() == 0, alerts.all_inner_texts()


def visit_programme(page) -> None:
    main = page.locator("#main")
    expect(main.locator("h1")).to_have_text("Die Kokreative Kommune")
    expect(main.locator(".intro")).to_contain_text("Kokreative Kommune bedeute für uns")
    teasers = main.locator(".element-teaser")
    expect(teasers).to_have_count(4)
    expect(teasers.locator("h3")).to_have_text(list(ELEMENT_OFFERS))
    expect(main.locator(".block-offers .offer")).to_have_count(3)
    no_error_notices(page)
    assert_no_violations(page, "on the programme page")


def visit_elements(page) -> None:
    for name, offers in ELEMENT_OFFERS.items():
        go(page, page.locator("#site-nav a[data-nav=programme]"))
        go(page, page.locator(".element-teaser h3 a", has_text=name))
        main = page.locator("#main")
        expect(main.locator("h1")).to_have_text(name)
        # the element's description, its offers, the three other elements: all from API v2
        description = main.locator(".element-description")
        expect(description).to_have_count(1)
        assert description.inner_text().strip()
        titles = set(main.locator(".element-offers .offer h3").all_inner_texts())
        assert titles == offers, (name, titles)
        siblings = main.locator(".sibling-elements li")
        expect(siblings).to_have_count(3)
        assert name not in siblings.all_inner_texts()
        no_error_notices(page)


def visit_offer_page(page) -> None:
    """An offer from the programme's offer list; its call to consultation is a link to a page
    of the site, which the front end resolves by path through the page API."""
    go(page, page.locator("#site-nav a[data-nav=programme]"))
    go(page, page.locator(".block-offers .offer h3 a", has_text="Community of Practice"))
    main = page.locator("#main")
    expect(main.locator("h1")).to_have_text("Community of Practice")
    expect(main.locator(".offer-kind")).to_have_text("Community of Practice")
    expect(main.locator(".facts")).to_contain_text("alle vier Wochen donnerstags")
    link = main.locator("a.consultation-link")
    assert link.get_attribute("href").startswith("#/de/path/")
    go(page, link)
    expect(main.locator("h1")).to_have_text("Beratungsgespräch vereinbaren")
    expect(main.locator("form.consultation-form")).to_be_visible()
    no_error_notices(page)


def offer_titles(page) -> set[str]:
    return set(page.locator("#offer-results .offer h3").all_inner_texts())


def visit_offers(page) -> None:
    go(page, page.locator("#site-nav a[data-nav=offers]"))
    expect(page.locator("#main h1")).to_have_text("Angebote")
    results = page.locator("#offer-results")
    expect(results.locator(".offer")).to_have_count(3)
    assert offer_titles(page) == ALL_OFFERS

    page.select_option("#filter-kind", "community")
    expect(results.locator(".result-count")).to_have_attribute("data-count", "1")
    assert offer_titles(page) == {"Community of Practice"}
    assert "kind=community" in page.url

    page.select_option("#filter-kind", "")
    expect(results.locator(".offer")).to_have_count(3)
    page.select_option("#filter-element", "raumstrukturen")
    expect(results.locator(".result-count")).to_have_attribute("data-count", "1")
    assert offer_titles(page) == {"Community of Practice"}

    page.select_option("#filter-element", "")
    page.select_option("#filter-format", "on_site")
    expect(results.locator(".result-count")).to_have_attribute("data-count", "1")
    assert offer_titles(page) == {"Inhouse und Keynotes"}

    page.select_option("#filter-format", "")
    page.select_option("#filter-audience", "zivilgesellschaft")
    expect(results.locator(".result-count")).to_have_attribute("data-count", "1")
    assert offer_titles(page) == {"Community of Practice"}

    page.select_option("#filter-audience", "")
    page.fill("#filter-q", "Keynotes")
    page.locator(".filters button[type=submit]").click()
    expect(results.locator(".result-count")).to_have_attribute("data-count", "1")
    assert offer_titles(page) == {"Inhouse und Keynotes"}
    # the kind labels come from the API, in the requested language
    expect(results.locator(".offer-kind")).to_have_text(["Inhouse und Keynotes"])
    no_error_notices(page)
    assert_no_violations(page, "in the offer catalogue")


def visit_dates(page, live_server) -> None:
    go(page, page.locator("#site-nav a[data-nav=dates]"))
    expect(page.locator("#main h1")).to_have_text("Nächste Termine")
    no_error_notices(page)
    # what the front end asked for, asked again here: every occurrence is shown, cancelled
    # ones marked as such
    url = next(r.split(" ", 1)[1] for r in frontend_requests(page) if "/occurrences" in r)
    with urllib.request.urlopen(url) as response:  # noqa: S310 (the live test server)
        data = json.load(response)
    items = page.locator("#main .occurrence")
    expect(items).to_have_count(len(data["items"]))
    assert data["items"], "the demo's Community of Practice meets every four weeks"
    for index, occurrence in enumerate(data["items"]):
        item = items.nth(index)
        expect(item).to_have_attribute("data-cancelled", str(occurrence["cancelled"]).lower())
        expect(item.locator(".occurrence-title")).to_have_text(occurrence["event"]["title"])
        if occurrence["cancelled"]:
            expect(item.locator(".occurrence-state")).to_contain_text("Fällt aus")
            expect(item.locator("del time")).to_have_count(1)


def visit_form(page) -> None:
    from kokreative_wagtail.consultations.models import ConsultationFormPage

    form_page = ConsultationFormPage.objects.get(slug="beratungsgespraech")
    stored = form_page.get_submission_class().objects.filter(page=form_page).count()

    go(page, page.locator("#site-nav a[data-nav=form]"))
    main = page.locator("#main")
    expect(main.locator("h1")).to_have_text("Beratungsgespräch vereinbaren")
    form = main.locator("form.consultation-form")
    expect(form).to_be_visible()
    expect(form.locator("label[for=field-name]")).to_contain_text("Name")
    topic = form.locator("#field-thema option")
    expect(topic).to_have_count(6)  # "please choose" and the five choices
    assert "Governancestrukturen" in topic.all_inner_texts()

    # Invalid: nothing filled in. The errors show at the fields, linked for assistive technology.
    form.locator("button[type=submit]").click()
    summary = form.locator(".error-summary")
    expect(summary).to_be_visible()
    for name in ("name", "e_mail", "eure_nachricht", "privacy_consent"):
        control = form.locator(f"#field-{name}")
        expect(control).to_have_attribute("aria-invalid", "true")
        error = form.locator(f"#field-{name}-error")
        expect(error).to_be_visible()
        assert error.inner_text().strip()
        assert f"field-{name}-error" in control.get_attribute("aria-describedby").split()
    expect(form.locator("#field-funktion")).not_to_have_attribute("aria-invalid", "true")
    assert form_page.get_submission_class().objects.filter(page=form_page).count() == stored
    assert_no_violations(page, "on the form with field errors")

    # Valid: the thank-you text replaces the form; the submission is stored.
    form.locator("#field-name").fill("Erika Mustermann")
    form.locator("#field-kommune_organisation").fill("Musterstadt")
    form.locator("#field-e_mail").fill("erika@example.org")
    form.locator("#field-thema").select_option(index=2)
    form.locator("#field-eure_nachricht").fill("Wir möchten ein Beratungsgespräch vereinbaren.")
    form.locator("#field-privacy_consent").check()
    form.locator("button[type=submit]").click()
    thanks = main.locator(".thank-you")
    expect(thanks).to_be_visible()
    expect(thanks).to_contain_text("Danke für Eure Anfrage!")
    expect(thanks).to_be_focused()
    assert form_page.get_submission_class().objects.filter(page=form_page).count() == stored + 1


def consent_box(page, group: str):
    return page.locator(f"#consent-{group}")


def visit_consent(page) -> None:
    banner = page.locator("#consent-banner")
    expect(banner).to_be_visible()  # nothing decided yet
    go(page, page.locator("#consent-settings-link"))
    main = page.locator("#main")
    expect(main.locator("h1")).to_have_text("Cookie-Einstellungen")
    no_error_notices(page)
    expect(consent_box(page, "necessary")).to_be_disabled()
    expect(consent_box(page, "statistics")).not_to_be_checked()

    main.locator("button[value=accept_all]").click()
    expect(main.locator(".consent-message")).to_have_text("Eure Auswahl ist gespeichert.")
    expect(consent_box(page, "statistics")).to_be_checked()
    expect(consent_box(page, "external_media")).to_be_checked()
    expect(banner).to_be_hidden()

    main.locator("button[value=decline_all]").click()
    expect(main.locator(".consent-message")).to_have_text("Eure Auswahl ist gespeichert.")
    expect(consent_box(page, "statistics")).not_to_be_checked()
    expect(page.locator("[data-group=statistics] .consent-state")).to_have_text("(abgelehnt)")
    assert_no_violations(page, "in the consent settings")


def test_full_tour_from_the_apis_alone(
    page, live_server, frontend_origin, cross_origin_site, traffic
):
    require_axe()
    open_frontend(page, frontend_origin, live_server)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    visit_programme(page)
    visit_elements(page)
    visit_offer_page(page)
    visit_offers(page)
    visit_dates(page, live_server)
    visit_form(page)
    visit_consent(page)

    # The language switcher on the programme page: built from the page's alternates, so
    # switching costs only the English content itself.
    go(page, page.locator("#site-nav a[data-nav=programme]"))
    before = request_count(page)
    assert before == GERMAN_TOUR_REQUESTS, frontend_requests(page)
    go(page, page.locator("#language-switcher a[data-lang=en]"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#site-nav a[data-nav=offers]")).to_have_text("Offers")
    expect(page.locator("#site-nav a[data-nav=dates]")).to_have_text("Dates")
    expect(page.locator("footer #consent-settings-link")).to_have_text("Cookie settings")
    if english_content():
        expect(page.locator("#main h1")).to_have_text("The Co-creative Municipality")
        assert request_count(page) - before == 1, frontend_requests(page)[before:]
        # the English tour: element pages, offers, dates in English
        english_elements = [
            "Cultural change",
            "Spatial structures",
            "Process structures",
            "Governance structures",
        ]
        expect(page.locator(".element-teaser h3")).to_have_text(english_elements)
        for name in english_elements:
            go(page, page.locator("#site-nav a[data-nav=programme]"))
            go(page, page.locator(".element-teaser h3 a", has_text=name))
            expect(page.locator("#main h1")).to_have_text(name)
            expect(page.locator("#main .sibling-elements li")).to_have_count(3)
            assert page.locator("#main .element-offers .offer").count() >= 1
        go(page, page.locator("#language-switcher a[data-lang=de]"))
        expect(page.locator("#main h1")).to_have_text("Governancestrukturen")
        go(page, page.locator("#language-switcher a[data-lang=en]"))
        go(page, page.locator("#site-nav a[data-nav=offers]"))
        expect(page.locator("#offer-results .offer")).to_have_count(3)
        kinds = set(page.locator("#offer-results .offer-kind").all_inner_texts())
        assert kinds == {
            "Trainings and workshops",
            "In-house trainings and keynotes",
            "Community of practice",
        }, kinds
        go(page, page.locator("#site-nav a[data-nav=dates]"))
        expect(page.locator("#main h1")).to_have_text("Next dates")
        assert page.locator("#main .occurrence").count() >= 1
        no_error_notices(page)
    else:
        expect(page.locator("#main .notice")).to_have_text(
            "This content is not available in this language."
        )

    # Only the two APIs (and image files) were asked; nothing went to a third origin.
    assert traffic.other_site_requests() == []
    assert traffic.blocked == []
    count = request_count(page)
    assert count == len(traffic.api_requests()), (frontend_requests(page), traffic.api_requests())
    if english_content():
        assert count == BILINGUAL_TOUR_REQUESTS, frontend_requests(page)
    print(f"\nreference front end, full tour: {count} API requests")
    for line in frontend_requests(page):
        print(f"  {line}")

    # The consent decision outlives the document: the stored token carries it across sites.
    # A new document (in English) starts from the token kept in the browser's storage.
    open_frontend(page, frontend_origin, live_server, "#/en/consent")
    expect(page.locator("#consent-banner")).to_be_hidden()
    expect(page.locator("#main h1")).to_have_text("Cookie settings")
    expect(consent_box(page, "statistics")).not_to_be_checked()
    expect(page.locator("[data-group=statistics] .consent-state")).to_have_text("(declined)")
    page.locator("#main button[value=accept_all]").click()
    expect(page.locator("#main .consent-message")).to_have_text("Your choice has been saved.")
    page.reload()
    wait_ready(page)
    expect(consent_box(page, "statistics")).to_be_checked()
    expect(page.locator("[data-group=statistics] .consent-state")).to_have_text("(accepted)")


def test_english_labels_and_field_errors(
    page, live_server, frontend_origin, cross_origin_site, traffic
):
    from kokreative_wagtail.consultations.models import ConsultationFormPage

    if english_content():
        german = ConsultationFormPage.objects.get(slug="beratungsgespraech")
        form_page = ConsultationFormPage.objects.get(
            translation_key=german.translation_key, locale__language_code="en"
        )
    else:
        form_page = ConsultationFormPage.objects.get(slug="beratungsgespraech")
    open_frontend(page, frontend_origin, live_server, f"#/en/page/{form_page.pk}")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    main = page.locator("#main")
    expect(main.locator("h1")).to_have_text(form_page.title)
    form = main.locator("form.consultation-form")
    expect(form).to_be_visible()
    form.locator("#field-e_mail").fill("not an address")
    form.locator("button[type=submit]").click()
    expect(form.locator("#field-name")).to_have_attribute("aria-invalid", "true")
    if english_content():
        # the English form answers in English
        expect(form).to_have_attribute("lang", "en")
        expect(form.locator("#field-name-error")).to_have_text("This field is required.")
        expect(form.locator("#field-e_mail-error")).to_have_text("Enter a valid email address.")
    else:
        # a form answers in its page's language whatever the request prefers (a German form
        # in an English front end): the front end marks it as German
        expect(form).to_have_attribute("lang", "de")
        expect(form.locator("#field-name-error")).to_have_text(
            "Dieses Feld muss ausgefüllt werden."
        )
    if english_content():
        expect(form.locator("label[for=field-name]")).to_contain_text("Name")
        choices = form.locator("#field-thema option").all_inner_texts()
        assert "Cultural change" in choices, choices

        go(page, page.locator("#site-nav a[data-nav=offers]"))
        expect(page.locator("#offer-results .offer")).to_have_count(3)
        kinds = page.locator("#offer-results .offer-kind").all_inner_texts()
        assert "Trainings and workshops" in kinds, kinds

    # consent: the front end's labels and the API's answers in English
    go(page, page.locator("#consent-settings-link"))
    expect(main.locator("h1")).to_have_text("Cookie settings")
    no_error_notices(page)
    # the consent texts of our API in English too
    expect(page.locator("label[for=consent-necessary]")).to_have_text("Necessary")
    main.locator("button[value=decline_all]").click()
    expect(main.locator(".consent-message")).to_have_text("Your choice has been saved.")
    assert traffic.other_site_requests() == []


def test_without_cors_the_browser_refuses_the_answers(page, live_server, frontend_origin, settings):
    """The two origins really are two: without the front end's origin in the setting, the
    browser withholds every answer and the front end says so."""
    settings.KOKREATIVE = {**getattr(settings, "KOKREATIVE", {}), "CORS_ALLOWED_ORIGINS": []}
    open_frontend(page, frontend_origin, live_server)
    expect(page.locator("#main .notice.error")).to_have_text(
        "Die API ist nicht erreichbar (Netzwerk oder CORS)."
    )
    expect(page.locator("#main .notice.error")).to_have_attribute("data-status", "0")
