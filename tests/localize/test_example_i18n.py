"""The example site in two languages: German at ``/…``, English at ``/en/…``.

Runs under ``tests.settings_localize`` (``make test-localize``); skipped otherwise (conftest).
The demo loader translates its German content into English through wagtail-localize; the
default templates link each page to its translations (switcher and hreflang).
"""

from __future__ import annotations

from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.models import Locale, Page, Revision

from kokreative_wagtail.events.models import EventIndexPage, EventPage
from kokreative_wagtail.models import Element, ProgrammePage
from kokreative_wagtail.offers.models import OfferPage

from ..conftest import module_data

pytestmark = pytest.mark.django_db

EN_PROGRAMME = "/en/co-creative-municipality/"
DE_PROGRAMME = "/die-kokreative-kommune/"


def load_demo() -> tuple[Locale, Locale]:
    call_command("load_demo", stdout=StringIO())
    return Locale.objects.get(language_code="de"), Locale.objects.get(language_code="en")


#: The demo, loaded once for this module (each test's changes are rolled back).
_demo = module_data(load_demo)


@pytest.fixture
def demo(_demo, db) -> tuple[Locale, Locale]:
    return _demo


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


#: Demo pages that are German only: Leichte Sprache is a German variant by design; the
#: accessibility statement and the barrier form are translated by a bilingual site like any page.
GERMAN_ONLY_SLUGS = {"leichte-sprache", "barrierefreiheit", "barriere-melden"}


def demo_pages(locale: Locale) -> list[Page]:
    pages = Page.objects.filter(locale=locale, depth__gte=2).live().order_by("path")
    return list(pages.exclude(slug__in=GERMAN_ONLY_SLUGS))


def test_english_at_the_prefix_german_without(client, demo):
    german = soup(client.get("/"))
    english = soup(client.get("/en/"))
    assert german.html["lang"] == "de"
    assert english.html["lang"] == "en"
    assert german.find("h1").get_text(strip=True) == "Startseite"
    assert english.find("h1").get_text(strip=True) == "Home"

    programme_de = soup(client.get(DE_PROGRAMME))
    programme_en = soup(client.get(EN_PROGRAMME))
    assert programme_de.find("h1").get_text(strip=True) == "Die Kokreative Kommune"
    assert programme_en.find("h1").get_text(strip=True) == "The Co-creative Municipality"
    assert "Working in administration or in politics?" in programme_en.get_text()
    # the header links to the home page of the page's language
    assert programme_en.select_one(".site-name a")["href"] == "/en/"
    assert programme_de.select_one(".site-name a")["href"] == "/"
    assert client.get("/en/die-kokreative-kommune/").status_code == 404


def test_switcher_links_every_demo_page_to_its_translation(client, demo):
    german_locale, english_locale = demo
    pages = demo_pages(german_locale)
    assert len(pages) >= 15
    for german in pages:
        english = german.get_translation(english_locale)
        for shown, other in ((german, english), (english, german)):
            nav = soup(client.get(shown.url)).select_one("nav.kk-language-switcher")
            assert nav is not None, shown.url
            assert nav["aria-label"]
            links = {a["hreflang"]: a for a in nav.find_all("a")}
            assert set(links) == {"de", "en"}
            assert links["de"].get_text(strip=True) == "Deutsch"
            assert links["en"].get_text(strip=True) == "English"
            for code, link in links.items():
                assert link["lang"] == code
            current = shown.locale.language_code
            assert links[current]["href"] == shown.url
            assert links[current]["aria-current"] == "true"
            other_code = other.locale.language_code
            assert links[other_code]["href"] == other.url
            assert not links[other_code].has_attr("aria-current")


def test_hreflang_links_are_absolute_with_x_default(client, demo):
    german_locale, english_locale = demo
    programme = ProgrammePage.objects.get(locale=german_locale)
    english = programme.get_translation(english_locale)
    for page in (programme, english):
        head = soup(client.get(page.url)).head
        alternates = {
            link["hreflang"]: link["href"] for link in head.find_all("link", rel="alternate")
        }
        assert alternates == {
            "de": programme.full_url,
            "en": english.full_url,
            "x-default": programme.full_url,
        }
        assert all(href.startswith("http://") for href in alternates.values())
        assert alternates["en"].endswith(EN_PROGRAMME)


def test_a_page_without_translation_shows_no_switcher(client, demo):
    german_locale, _english = demo
    programme = ProgrammePage.objects.get(locale=german_locale)
    lonely = Page(title="Nur auf Deutsch", slug="nur-deutsch")
    programme.add_child(instance=lonely)
    lonely.save_revision().publish()
    html = soup(client.get(lonely.url))
    assert html.select_one("nav.kk-language-switcher") is None
    assert html.head.find("link", rel="alternate") is None


def test_demo_has_english_programme_event_and_offer(client, demo):
    german_locale, english_locale = demo
    programme = ProgrammePage.objects.get(locale=english_locale)
    assert programme.live and programme.title == "The Co-creative Municipality"
    assert programme.url == EN_PROGRAMME

    event_de = EventPage.objects.get(locale=german_locale, slug="community-of-practice")
    event_en = event_de.get_translation(english_locale)
    assert event_en.live
    assert event_en.teaser.startswith("Every four weeks on Thursdays")
    assert (event_en.start, event_en.end, event_en.time_zone) == (
        event_de.start,
        event_de.end,
        event_de.time_zone,
    )
    assert str(event_en.recurrence.rrules[0].to_text()) == str(
        event_de.recurrence.rrules[0].to_text()
    )

    offer_de = OfferPage.objects.get(locale=german_locale, slug="trainings-und-workshops")
    offer_en = offer_de.get_translation(english_locale)
    assert offer_en.live and offer_en.title == "Trainings and workshops"
    assert offer_en.teaser.startswith("Are you introducing participation processes")
    assert "Trainings and workshops" in soup(client.get(offer_en.url)).find("h1").get_text()

    element = Element.objects.get(locale=german_locale, slug="kultureller-wandel")
    assert element.get_translation(english_locale).name == "Cultural change"


def test_calendar_files_of_english_pages(client, demo):
    german_locale, english_locale = demo
    infosalon = EventPage.objects.get(locale=german_locale, slug="infosalon-september-2022")
    english = infosalon.get_translation(english_locale)
    assert english.url.startswith("/en/")

    response = client.get(f"{english.url}event.ics")
    assert response.status_code == 200
    body = response.content.decode()
    assert "SUMMARY:Info salon September 2022" in body
    assert "DTSTART;TZID=Europe/Berlin:20220915T163000" in body

    german = client.get(f"{infosalon.url}event.ics").content.decode()
    assert "SUMMARY:Infosalon September 2022" in german

    index = EventIndexPage.objects.get(locale=english_locale)
    feed = client.get(f"{index.url}feed.ics")
    assert feed.status_code == 200
    assert "SUMMARY:Info salon September 2022" in feed.content.decode()


def snapshot() -> dict:
    from wagtail_localize.models import StringTranslation, Translation, TranslationSource

    return {
        "pages": sorted(
            Page.objects.values_list("pk", "locale_id", "path", "numchild", "live", "url_path")
        ),
        "revisions": Revision.objects.count(),
        "elements": Element.objects.count(),
        "sources": sorted(TranslationSource.objects.values_list("pk", "content_json")),
        "translations": Translation.objects.count(),
        "strings": sorted(StringTranslation.objects.values_list("pk", "data")),
    }


@pytest.mark.parametrize("args", [(), ("--reset",)], ids=["again", "reset"])
def test_a_second_load_changes_nothing(demo, args):
    before = snapshot()
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    assert snapshot() == before
    english = [line for line in out.getvalue().splitlines() if "Englisch: " in line]
    assert len(english) == 23  # 4 elements, 3 audiences, 16 pages (with the privacy page)
    status = "unverändert" if args else "vorhanden"
    assert all(line.endswith(f": {status}") for line in english), english


def test_reset_restores_an_edited_english_text(demo):
    from wagtail_localize.models import StringTranslation

    german_locale, english_locale = demo
    programme = ProgrammePage.objects.get(locale=german_locale)
    edited = StringTranslation.objects.get(
        locale=english_locale, data="The Co-creative Municipality", context__path="title"
    )
    edited.data = "Changed by an editor"
    edited.save()

    call_command("load_demo", stdout=StringIO())  # without --reset: the editor's text stays
    edited.refresh_from_db()
    assert edited.data == "Changed by an editor"
    call_command("load_demo", "--reset", stdout=StringIO())
    edited.refresh_from_db()
    assert edited.data == "The Co-creative Municipality"
    assert programme.get_translation(english_locale).title == "The Co-creative Municipality"


def test_the_english_demo_form_offers_english_choices_with_the_german_values(client, demo):
    """Choices are one multi-line text: each line is translated, the values stay the same."""
    from kokreative_wagtail.consultations.models import ConsultationFormPage

    german_locale, english_locale = demo
    pairs = [
        (page, page.get_translation_or_none(english_locale))
        for page in ConsultationFormPage.objects.filter(locale=german_locale)
    ]
    pairs = [(german, english) for german, english in pairs if english is not None]
    assert pairs
    labels = []
    for german, english in pairs:
        fields = {}
        for page in (german, english):
            data = client.get(f"/api/kokreative/v1/forms/{page.pk}").json()
            fields[page.locale.language_code] = {
                f["name"]: f["choices"] for f in data["fields"] if f["choices"]
            }
        assert set(fields["de"]) == set(fields["en"])
        for name, german_choices in fields["de"].items():
            english_choices = fields["en"][name]
            assert [c["value"] for c in english_choices] == [c["value"] for c in german_choices]
            assert [c["label"] for c in english_choices] != [c["label"] for c in german_choices]
            labels += [(c["value"], c["label"]) for c in english_choices]
    assert ("Kultureller Wandel", "Cultural change") in labels
    assert ("Etwas anderes", "Something else") in labels
