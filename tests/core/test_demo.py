"""The demo loader of the example site (``load_demo``): seed content, idempotency, rendering."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from home.models import HomePage
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Revision, Site

from kokreative_wagtail.accessibility.models import AccessibilityStatementPage, EasyLanguagePage
from kokreative_wagtail.consultations.models import ConsultationFormPage
from kokreative_wagtail.events.models import EventIndexPage, EventPage, OccurrenceOverride
from kokreative_wagtail.models import Element, ElementPage, ProgrammePage
from kokreative_wagtail.offers.models import Audience, OfferIndexPage, OfferPage

from ..conftest import module_data

pytestmark = pytest.mark.django_db

# Written out here (not imported from the loader) so the tests check the seed, not themselves.
SEED_ELEMENTS = [
    (
        "Kultureller Wandel",
        "kultureller-wandel",
        "Die Menschen und eine Kultur des Miteinanders stehen beim Gestalten eines "
        "zukunftsfähigen Gemeinwesens im Zentrum.",
        "Gemeinsam mit euch etablieren wir eine transparente, inklusive, produktive und kreative "
        "Kultur des Miteinanders.",
    ),
    (
        "Raumstrukturen",
        "raumstrukturen",
        "Räume und Orte prägen wie wir arbeiten, uns begegnen und miteinander umgehen. Daher "
        "brauche wir gute Räume.",
        "Wir trainieren Kompetenzen, in Hosting, Kokreation und Facilitation von Design-, "
        "Planungs- und Projektarbeit.",
    ),
    (
        "Prozessstrukturen",
        "prozessstrukturen",
        "Für das beste Ergebnis haben wir immer den bestmöglichen Prozess vor Augen. Verfahren, "
        "Formate, Methoden: Ein abgestimmter Prozess bestimmt unser Ergebnis.",
        "Wir entwickeln passgenaue Verfahren und Formate.",
    ),
    (
        "Governancestrukturen",
        "governancestrukturen",
        "Schlechte Governance kann vieles verhindern, gute dagegen ermöglichen. Regeln, "
        "Entscheidungswege und Schnittstellen entscheiden über das Gelingen von Ideen.",
        "Wir vermitteln Kompetenzen in OE, Abstimmungs- und Entscheidungsmodelle",
    ),
]
SEED_NAMES = [name for name, *_ in SEED_ELEMENTS]
INTRO_FIRST = "Kokreative Kommune bedeute für uns eine veränderte Zusammenarbeit aller Akteur:innen"
INTRO_SECOND = "Gemeinsam entwickeln wir eine neue Haltung."
PARTICIPATION = "Partizipation: Neue Kernkompetenz der Kommunen"
PARTICIPATION_TEXT = "Vor diesem Hintergrund setzen wir auf einen Befähigungsansatz"
CTA_HEADING = "Seht Ihr diesen Kompetenzbedarf auch in eurer Kommune?"
CTA_LABEL = "Vereinbart ein Beratungsgespräch!"
ALL_ELEMENTS = tuple(slug for _name, slug, *_ in SEED_ELEMENTS)

OFFER_INDEX_TITLE = "Alle Angebote der Kokreativen Kommune"
OFFER_INDEX_INTRO = "Hier siehst Du alle Angebote, die Teil der Kokreativen Kommune sind."
# (title, slug, kind, format, audiences, elements, teaser, a sentence of the body further on)
SEED_OFFERS = [
    (
        "Trainings und Workshops",
        "trainings-und-workshops",
        "training",
        "hybrid",
        ("verwaltung", "politik"),
        ("kultureller-wandel", "prozessstrukturen"),
        "Ihr seid dabei Beteiligungs- und Partizipationsverfahren zunehmend in eurem "
        "Verwaltungsalltag zu implementieren? Wir helfen euch dabei die notwendigen Kompetenzen "
        "auf Seiten von Verwaltung und Politik aufzubauen.",
        "Wir bauen Eure Partizipationskompetenz auf.",
    ),
    (
        "Inhouse und Keynotes",
        "inhouse-und-keynotes",
        "inhouse",
        "on_site",
        ("verwaltung", "politik"),
        ("kultureller-wandel",),
        "Ihr benötigt ganz gezielte Fortbildungen und Trainings für Dich und Dein Team? Der "
        "Aufbau von Kompetenzen soll in Eurer Verwaltung weiter in den Mittelpunkt gestellt "
        "werden?",
        "Dann nehmt zu uns Kontakt auf und lasst Euch über deine Möglichkeiten informieren.",
    ),
    (
        "Community of Practice",
        "community-of-practice",
        "community",
        "online",
        ("verwaltung", "politik", "zivilgesellschaft"),
        ALL_ELEMENTS,
        "Ihr seid auf der Suche nach Austausch mit weiteren Verwaltungsmitarbeitenden und "
        "Politiker:innen, die sich für zukunftsfähige Kommunen, Städte und Regionen engagieren "
        "und diese kokreativ gestalten wollen? Dann werde Teil unsere Community of Practice!",
        "tauchen in die einzelnen Elemente der Kokreativen Kommune ein.",
    ),
]
OFFER_TITLES = [title for title, *_ in SEED_OFFERS]

BERLIN = ZoneInfo("Europe/Berlin")
# The seed's events: "Infosalon September – 2022 / 15. September 2022 16:30-17:30" and
# "Community of Practice / alle vier Wochen Donnerstags 16:30-18:00" (from a fixed Thursday).
INFOSALON_START = datetime(2022, 9, 15, 16, 30, tzinfo=BERLIN)
INFOSALON_END = datetime(2022, 9, 15, 17, 30, tzinfo=BERLIN)
COP_START = datetime(2026, 1, 8, 16, 30, tzinfo=BERLIN)
COP_END = datetime(2026, 1, 8, 18, 0, tzinfo=BERLIN)
COP_CANCELLED = datetime(2027, 1, 7, 16, 30, tzinfo=BERLIN)


def load_demo(*args: str) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


#: The demo, loaded once for this module (each test's changes are rolled back).
_demo = module_data(load_demo)


@pytest.fixture
def demo_output(_demo, db) -> str:
    return _demo


@pytest.fixture
def programme(demo_output) -> ProgrammePage:
    return ProgrammePage.objects.get(slug="die-kokreative-kommune")


@pytest.fixture
def offer_index(programme) -> OfferIndexPage:
    return OfferIndexPage.objects.child_of(programme).get(slug="angebote")


@pytest.fixture
def event_index(programme) -> EventIndexPage:
    return EventIndexPage.objects.child_of(programme).get(slug="termine")


def community_event() -> EventPage:
    # Fetched afresh: refresh_from_db() keeps modelcluster's in-memory relations.
    return EventPage.objects.get(slug="community-of-practice")


def slugs(manager) -> list[str]:
    return sorted(obj.slug for obj in manager.all())


def snapshot() -> dict[str, object]:
    """Counts and identities a second run must leave exactly as they are."""
    return {
        "elements": list(Element.objects.order_by("pk").values_list("pk", "name", "summary")),
        "pages": list(Page.objects.order_by("path").values_list("pk", "path", "title", "live")),
        "latest_revisions": list(Page.objects.order_by("pk").values_list("latest_revision_id")),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "sites": list(Site.objects.values_list("pk", "hostname", "port", "root_page_id")),
        "users": get_user_model().objects.count(),
        "audiences": list(Audience.objects.order_by("pk").values_list("pk", "slug", "name")),
        "offers": [
            (offer.pk, offer.kind, offer.format, slugs(offer.audiences), slugs(offer.elements))
            for offer in OfferPage.objects.order_by("pk")
        ],
        "events": [
            (
                event.pk,
                event.start,
                event.end,
                event.time_zone,
                str(event.recurrence or ""),
                event.related_offer_id,
                slugs(event.elements),
            )
            for event in EventPage.objects.order_by("pk")
        ],
        "overrides": list(
            OccurrenceOverride.objects.order_by("pk").values_list(
                "pk", "page_id", "original_start", "action", "note"
            )
        ),
    }


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


# Content


def test_four_elements_from_the_seed(demo_output):
    elements = list(Element.objects.order_by("sort_order"))
    assert [e.name for e in elements] == SEED_NAMES
    assert [e.sort_order for e in elements] == [1, 2, 3, 4]
    for element, (_name, slug, summary, paragraph) in zip(elements, SEED_ELEMENTS, strict=True):
        assert element.slug == slug
        assert element.summary == summary
        assert element.description.startswith("<p>")
        assert paragraph in element.description
        assert element.locale == Locale.get_default()
        element.full_clean()  # what an editor saving it in the admin would run
    colours = [e.colour for e in elements]
    assert len(set(colours)) == 4
    for colour in colours:
        assert re.fullmatch(r"#[0-9a-f]{6}", colour)
        # White text on the colour reaches WCAG AA (4.5:1).
        assert 1.05 / (relative_luminance(colour) + 0.05) >= 4.5


def test_home_page_replaces_wagtails_welcome_page(demo_output):
    site = Site.objects.get(is_default_site=True)
    assert Site.objects.count() == 1
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    assert home.title == "Startseite"
    assert home.live
    assert home.depth == 2
    assert site.site_name == "Kokreative Kommune – Beispielseite"
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)
    assert not Page.objects.filter(title="Welcome to your new Wagtail site!").exists()


def test_privacy_page_is_the_sites_privacy_setting(client, demo_output):
    from kokreative_wagtail.models import KokreativeSettings

    site = Site.objects.get(is_default_site=True)
    privacy = HomePage.objects.child_of(site.root_page).get(slug="datenschutz")
    assert privacy.live and privacy.title == "Datenschutzerklärung"
    assert KokreativeSettings.for_site(site).privacy_page_id == privacy.pk
    # the banner and every consultation form link to it
    form = ConsultationFormPage.objects.live().first()
    html = client.get(form.url).content.decode()
    assert html.count('href="/datenschutz/"') >= 2, html
    # an editor's own choice is kept
    other = HomePage.objects.get(pk=site.root_page_id)
    KokreativeSettings.objects.filter(site=site).update(privacy_page=other)
    load_demo()
    assert KokreativeSettings.for_site(site).privacy_page_id == other.pk


def test_programme_page_from_the_seed(programme):
    site = Site.objects.get(is_default_site=True)
    assert programme.get_parent().pk == site.root_page_id
    assert programme.title == "Die Kokreative Kommune"
    assert programme.live and programme.show_in_menus
    assert programme.live_revision_id is not None
    assert programme.audience_question == "Verwaltungsmitarbeitende oder Politiker:in?"
    assert programme.intro.count("<p>") == 2
    assert INTRO_FIRST in programme.intro
    assert INTRO_SECOND in programme.intro
    assert programme.elements_heading == "Die Elemente der Kokreativen Kommune"
    assert programme.elements_intro.startswith("Die Kokreative Kommune begegnet den komplexen")

    blocks = list(programme.body)
    types = [block.block_type for block in blocks]
    assert types == ["image", "heading", "rich_text", "call_to_action", "offer_list"]
    heading = blocks[types.index("heading")].value
    assert (heading["text"], heading["level"]) == (PARTICIPATION, "h2")
    text = blocks[types.index("rich_text")].value.source
    assert text.count("<p>") == 3
    assert PARTICIPATION_TEXT in text
    cta = blocks[types.index("call_to_action")]
    assert cta.value["heading"] == CTA_HEADING
    assert cta.value["link_label"] == CTA_LABEL
    # the call to action and the programme's consultation section lead to the demo's form
    consultation = ConsultationFormPage.objects.child_of(programme).get(slug="beratungsgespraech")
    assert cta.value["link_page"].pk == consultation.pk and not cta.value["link_url"]
    assert cta.value.url() == consultation.url
    assert programme.consultation_url == consultation.url
    assert all(
        offer.consultation_page_id == consultation.pk
        for offer in OfferPage.objects.descendant_of(programme)
    )
    # The body validates as it would when an editor saves the page.
    programme.body.stream_block.clean(programme.body)

    image_block = blocks[types.index("image")].value
    image = image_block["image"]
    assert image.title == "Schaubild: Die vier Elemente der Kokreativen Kommune"
    assert (image.width, image.height) == (1200, 600)
    assert image.file_hash
    assert all(name in image_block["alt_text"] for name in SEED_NAMES)  # it names what it shows
    assert image.default_alt_text == image_block["alt_text"]
    assert image_block["decorative"] is False

    offer_list = blocks[types.index("offer_list")].value
    assert offer_list["heading"] == "Unsere Angebote"
    assert (offer_list["mode"], offer_list["count"]) == ("latest", 3)
    # Newest first, and the loader publishes so that this is the seed's order.
    found = offer_list.block.get_offers(offer_list, programme)
    assert [offer.title for offer in found] == OFFER_TITLES


def test_four_live_element_pages_tagged_with_their_element(programme):
    pages = list(ElementPage.objects.child_of(programme).order_by("path"))
    assert [p.title for p in pages] == SEED_NAMES
    for page, (name, slug, _summary, paragraph) in zip(pages, SEED_ELEMENTS, strict=True):
        assert page.live and page.live_revision_id is not None
        assert page.slug == slug
        assert page.element.name == name
        assert page.element.slug == slug
        assert paragraph in page.intro
    assert list(programme.get_element_pages()) == pages


def test_offer_index_below_the_programme(programme, offer_index):
    assert offer_index.title == OFFER_INDEX_TITLE
    assert offer_index.live and offer_index.live_revision_id is not None
    assert offer_index.intro == f"<p>{OFFER_INDEX_INTRO}</p>"
    assert offer_index.per_page == 12
    assert offer_index.get_parent().pk == programme.pk


def test_three_offers_from_the_seed(offer_index):
    offers = list(OfferPage.objects.child_of(offer_index).order_by("path"))
    assert [offer.title for offer in offers] == OFFER_TITLES
    for offer, seed in zip(offers, SEED_OFFERS, strict=True):
        _title, slug, kind, format_, audiences, elements, teaser, body_text = seed
        assert offer.live and offer.live_revision_id is not None
        assert (offer.slug, offer.kind, offer.format) == (slug, kind, format_)
        assert slugs(offer.audiences) == sorted(audiences)
        assert slugs(offer.elements) == sorted(elements)
        assert offer.teaser == teaser
        assert offer.locale == Locale.get_default()
        [block] = list(offer.body)
        assert block.block_type == "rich_text"
        assert block.value.source.startswith(f"<p>{teaser} ")  # the full seed text
        assert body_text in block.value.source
        offer.full_clean()  # what an editor saving it in the admin would run
        offer.body.stream_block.clean(offer.body)
    community = offers[2]
    assert community.teaser_image.title == "Schaubild: Die vier Elemente der Kokreativen Kommune"
    assert community.duration == "alle vier Wochen donnerstags, 16:30–18:00 Uhr"
    assert offers[0].teaser_image is None and offers[1].teaser_image is None


def test_the_default_audiences_are_used(offer_index):
    # Migration 0002 created them; the loader adds none of its own.
    audiences = list(Audience.objects.order_by("sort_order"))
    assert [(a.slug, a.name) for a in audiences] == [
        ("verwaltung", "Verwaltung"),
        ("politik", "Politik"),
        ("zivilgesellschaft", "Zivilgesellschaft"),
    ]


def test_admin_login_and_urls_are_printed(demo_output):
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.is_staff
    assert user.check_password("admin")
    assert "http://127.0.0.1:8000/" in demo_output
    assert "http://127.0.0.1:8000/admin/" in demo_output
    assert "admin / admin" in demo_output


def test_event_index_below_the_programme(programme, event_index):
    assert event_index.title == "Termine"
    assert event_index.live and event_index.live_revision_id is not None
    assert event_index.get_parent().pk == programme.pk
    assert event_index.intro.startswith("<p>") and "Community of Practice" in event_index.intro
    events = list(EventPage.objects.child_of(event_index).order_by("path"))
    assert [e.title for e in events] == ["Infosalon September 2022", "Community of Practice"]
    for event in events:
        assert event.live and event.live_revision_id is not None
        assert event.locale == Locale.get_default()
        assert event.teaser
        assert "Online" in event.location_name
        assert slugs(event.elements) == sorted(ALL_ELEMENTS)
        event.full_clean()  # what an editor saving it in the admin would run
    assert list(event_index.get_events().order_by("path")) == events


def test_infosalon_is_a_one_off_event(event_index):
    event = EventPage.objects.get(slug="infosalon-september-2022")
    assert (event.start, event.end) == (INFOSALON_START, INFOSALON_END)
    assert event.time_zone == "Europe/Berlin"
    assert not event.all_day
    assert not (event.recurrence and event.recurrence.rrules)
    assert event.related_offer is None
    [item] = event.get_occurrences(
        datetime(2022, 1, 1, tzinfo=BERLIN), datetime(2023, 1, 1, tzinfo=BERLIN)
    )
    assert (item.local_start, item.local_end) == (INFOSALON_START, INFOSALON_END)
    assert item.start.utcoffset() == timedelta(0)  # stored and returned in UTC
    assert not item.cancelled


def test_community_of_practice_every_four_weeks_on_thursday(event_index):
    event = community_event()
    assert (event.start, event.end) == (COP_START, COP_END)
    assert event.time_zone == "Europe/Berlin"
    [rule] = event.recurrence.rrules
    assert (rule.freq, rule.interval, rule.count, rule.until) == (2, 4, None, None)  # WEEKLY
    assert [day.number for day in rule.byday] == [3]  # Thursday
    assert not event.recurrence.exdates and not event.recurrence.rdates
    assert event.related_offer.specific == OfferPage.objects.get(slug="community-of-practice")

    items = event.get_occurrences(COP_START, datetime(2027, 3, 1, tzinfo=BERLIN))
    starts = [item.local_start for item in items]
    assert starts[0] == COP_START
    assert [b - a for a, b in zip(starts, starts[1:], strict=False)] == [timedelta(weeks=4)] * (
        len(starts) - 1
    )
    # 16:30 and 18:00 local before and after both daylight-saving switches of 2026.
    assert {(s.hour, s.minute, s.weekday()) for s in starts} == {(16, 30, 3)}
    assert {(i.local_end.hour, i.local_end.minute) for i in items} == {(18, 0)}
    assert {s.utcoffset() for s in starts} == {timedelta(hours=1), timedelta(hours=2)}


def test_one_occurrence_of_the_community_is_cancelled(event_index):
    event = community_event()
    [override] = event.overrides.all()
    assert override.action == "cancel"
    assert override.original_start == COP_CANCELLED
    assert override.note  # the visitors are told why
    items = event.get_occurrences(
        datetime(2026, 12, 1, tzinfo=BERLIN), datetime(2027, 3, 1, tzinfo=BERLIN)
    )
    assert [(i.local_start, i.cancelled) for i in items] == [
        (datetime(2026, 12, 10, 16, 30, tzinfo=BERLIN), False),
        (COP_CANCELLED, True),
        (datetime(2027, 2, 4, 16, 30, tzinfo=BERLIN), False),
    ]
    assert items[1].note == override.note
    assert [i.note for i in items if not i.cancelled] == ["", ""]
    # The series stays open-ended: far in the future it still meets.
    far = event.get_occurrences(
        datetime(2035, 1, 1, tzinfo=BERLIN), datetime(2035, 3, 1, tzinfo=BERLIN)
    )
    assert len(far) == 2 and not any(i.cancelled for i in far)


def test_event_index_url_is_printed(demo_output, event_index):
    assert f"http://127.0.0.1:8000{event_index.url}" in demo_output
    assert f"http://127.0.0.1:8000{event_index.url}feed.ics" in demo_output


# Idempotency


def test_running_twice_changes_nothing(demo_output):
    before = snapshot()
    output = load_demo()
    assert snapshot() == before
    assert "angelegt" not in output
    assert Element.objects.count() == 4
    assert ElementPage.objects.count() == 4
    assert ProgrammePage.objects.count() == 1
    assert HomePage.objects.count() == 2  # the home page and the privacy page
    assert OfferIndexPage.objects.count() == 1
    assert OfferPage.objects.count() == 3
    assert Audience.objects.count() == 3
    assert EventIndexPage.objects.count() == 1
    assert EventPage.objects.count() == 2
    assert OccurrenceOverride.objects.count() == 1


def test_reset_without_changes_writes_nothing(demo_output):
    before = snapshot()
    output = load_demo("--reset")
    assert snapshot() == before
    assert "aktualisiert" not in output


def test_edits_are_kept_unless_reset(programme):
    element = Element.objects.get(slug="raumstrukturen")
    element.summary = "Von einer Redakteurin geändert."
    element.save()
    programme.title = "Unser Programm"
    programme.save_revision().publish()

    load_demo()
    element.refresh_from_db()
    programme.refresh_from_db()
    assert element.summary == "Von einer Redakteurin geändert."
    assert programme.title == "Unser Programm"

    revisions = Revision.objects.count()
    load_demo("--reset")
    element.refresh_from_db()
    programme.refresh_from_db()
    assert element.summary == SEED_ELEMENTS[1][2]
    assert programme.title == "Die Kokreative Kommune"
    assert Revision.objects.count() == revisions + 1  # only the programme page changed
    assert Element.objects.count() == 4


def test_edited_offer_is_kept_unless_reset(offer_index):
    def inhouse() -> OfferPage:
        # Fetched afresh: refresh_from_db() keeps modelcluster's in-memory relations.
        return OfferPage.objects.get(slug="inhouse-und-keynotes")

    offer = inhouse()
    offer.kind = "training"
    offer.teaser = "Von einer Redakteurin geändert."
    offer.audiences = [Audience.objects.get(slug="zivilgesellschaft")]
    offer.save_revision().publish()

    load_demo()
    offer = inhouse()
    assert (offer.kind, offer.teaser) == ("training", "Von einer Redakteurin geändert.")
    assert slugs(offer.audiences) == ["zivilgesellschaft"]

    revisions = Revision.objects.count()
    output = load_demo("--reset")
    offer = inhouse()
    assert offer.kind == "inhouse"
    assert offer.teaser == SEED_OFFERS[1][6]
    assert slugs(offer.audiences) == ["politik", "verwaltung"]
    assert Revision.objects.count() == revisions + 1  # only this offer changed
    assert "Angebot „Inhouse und Keynotes“: aktualisiert" in output


def test_edited_event_is_kept_unless_reset(event_index):
    event = community_event()
    event.overrides = []
    event.recurrence = "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"
    event.save_revision().publish()

    load_demo()
    event = community_event()
    assert event.overrides.count() == 0
    assert event.recurrence.rrules[0].interval == 2

    revisions = Revision.objects.count()
    output = load_demo("--reset")
    event = community_event()
    assert event.recurrence.rrules[0].interval == 4
    [override] = event.overrides.all()
    assert (override.original_start, override.action) == (COP_CANCELLED, "cancel")
    assert Revision.objects.count() == revisions + 1  # only this event changed
    assert "Termin „Community of Practice“: aktualisiert" in output
    assert OccurrenceOverride.objects.count() == 1


def test_deleted_audience_is_created_again(offer_index):
    Audience.objects.filter(slug="zivilgesellschaft").delete()
    output = load_demo()
    assert Audience.objects.filter(slug="zivilgesellschaft", name="Zivilgesellschaft").exists()
    assert "Zielgruppe „Zivilgesellschaft“: angelegt" in output
    # An existing offer is left as it is: the deleted audience is not put back on it.
    community = OfferPage.objects.get(slug="community-of-practice")
    assert slugs(community.audiences) == ["politik", "verwaltung"]


# Rendering and API


def test_pages_render_with_the_german_texts(client, programme):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Startseite" in html
    assert programme.url in html

    response = client.get(programme.url)
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Verwaltungsmitarbeitende oder Politiker:in?",
        INTRO_FIRST,
        INTRO_SECOND,
        "Die Elemente der Kokreativen Kommune",
        PARTICIPATION,
        PARTICIPATION_TEXT,
        CTA_HEADING,
        CTA_LABEL,
        *SEED_NAMES,
        "Unsere Angebote",
        *OFFER_TITLES,
    ]:
        assert text in html
    [alt] = re.findall(r'<img[^>]* alt="([^"]*)"', html.split('class="kk-block kk-image')[1])[:1]
    assert all(name in alt for name in SEED_NAMES)  # the diagram's alt text names the elements

    for page, (name, _slug, summary, paragraph) in zip(
        programme.get_element_pages(), SEED_ELEMENTS, strict=True
    ):
        response = client.get(page.url)
        assert response.status_code == 200
        html = response.content.decode()
        assert f"<h1>{name}</h1>" in html
        assert summary in html
        assert paragraph in html


def test_offer_pages_render_with_the_german_texts(client, offer_index):
    response = client.get(offer_index.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{OFFER_INDEX_TITLE}</h1>" in html
    assert OFFER_INDEX_INTRO in html
    for text in ["Verwaltung", "Politik", "Zivilgesellschaft", *SEED_NAMES]:
        assert text in html  # filter choices and teaser facts
    positions = [html.index(f">{title}</a>") for title in OFFER_TITLES]
    assert positions == sorted(positions)  # the editors' order: the seed's
    for *_, teaser, _body_text in SEED_OFFERS:
        assert teaser in html

    offers = list(OfferPage.objects.child_of(offer_index).order_by("path"))
    for offer, (title, _slug, _kind, _format, _aud, elements, teaser, body_text) in zip(
        offers, SEED_OFFERS, strict=True
    ):
        response = client.get(offer.url)
        assert response.status_code == 200
        html = response.content.decode()
        assert f"<h1>{title}</h1>" in html
        assert teaser in html
        assert body_text in html
        assert "Verwaltung" in html and "Politik" in html
        for name, slug, *_ in SEED_ELEMENTS:
            assert (name in html) == (slug in elements)


def test_filtered_offer_index(client, offer_index):
    response = client.get(
        offer_index.url, {"kind": "training", "element": "prozessstrukturen", "sort": "title"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert ">Trainings und Workshops</a>" in html
    assert ">Inhouse und Keynotes</a>" not in html
    assert ">Community of Practice</a>" not in html


def test_element_pages_show_their_offers(client, programme, offer_index):
    def offer_titles(slug: str) -> list[str]:
        html = client.get(f"{programme.url}{slug}/").content.decode()
        return [title for title in OFFER_TITLES if f">{title}</a>" in html]

    assert offer_titles("kultureller-wandel") == OFFER_TITLES
    assert offer_titles("prozessstrukturen") == ["Trainings und Workshops", "Community of Practice"]
    assert offer_titles("raumstrukturen") == ["Community of Practice"]
    assert offer_titles("governancestrukturen") == ["Community of Practice"]


def test_offers_api_lists_the_three(client, offer_index):
    response = client.get("/api/kokreative/v1/offers")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 3
    assert [item["title"] for item in data["items"]] == OFFER_TITLES
    for item, (_title, slug, kind, format_, audiences, elements, teaser, _body) in zip(
        data["items"], SEED_OFFERS, strict=True
    ):
        assert (item["slug"], item["kind"], item["format"], item["teaser"]) == (
            slug,
            kind,
            format_,
            teaser,
        )
        assert item["locale"] == "de"
        assert sorted(a["slug"] for a in item["audiences"]) == sorted(audiences)
        assert sorted(e["slug"] for e in item["elements"]) == sorted(elements)
        assert item["url"].startswith(offer_index.url)
    assert [item["teaser_image"] is not None for item in data["items"]] == [False, False, True]

    response = client.get(
        "/api/kokreative/v1/offers", {"audience": "zivilgesellschaft", "index": offer_index.pk}
    )
    assert [item["title"] for item in response.json()["items"]] == ["Community of Practice"]


def test_api_v2_detail_of_the_programme_returns_the_body(client, programme):
    response = client.get(f"/api/v2/pages/{programme.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["type"] == "kokreative_wagtail.ProgrammePage"
    assert INTRO_FIRST in data["intro"]
    body = {block["type"]: block["value"] for block in data["body"]}
    assert list(body) == ["image", "heading", "rich_text", "call_to_action", "offer_list"]
    assert body["heading"]["text"] == PARTICIPATION
    assert PARTICIPATION_TEXT in body["rich_text"]
    assert body["call_to_action"]["link_label"] == CTA_LABEL
    assert body["call_to_action"]["url"]
    assert all(name in body["image"]["image"]["alt"] for name in SEED_NAMES)
    assert body["image"]["image"]["url"]
    assert body["offer_list"]["heading"] == "Unsere Angebote"
    assert [offer["title"] for offer in body["offer_list"]["offers"]] == OFFER_TITLES
    assert [teaser["element"]["name"] for teaser in data["element_pages"]] == SEED_NAMES


def test_event_pages_render(client, event_index):
    response = client.get(event_index.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<h1>{event_index.title}</h1>" in html
    assert event_index.intro in html  # the editor's introduction, as written

    response = client.get(event_index.url, {"view": "month", "month": "2027-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Community of Practice" in html
    assert "kk-occurrence--cancelled" in html  # the cancelled 7 January

    response = client.get(event_index.url, {"past": "1"})
    assert response.status_code == 200

    for event in EventPage.objects.child_of(event_index):
        response = client.get(event.url)
        assert response.status_code == 200
        html = response.content.decode()
        assert f"<h1>{event.title}</h1>" in html
        assert event.teaser in html


def test_calendar_feeds(client, event_index):
    response = client.get(f"{event_index.url}feed.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR")
    assert "SUMMARY:Community of Practice" in text
    assert "SUMMARY:Infosalon September 2022" in text
    assert "FREQ=WEEKLY;INTERVAL=4;BYDAY=TH" in text
    assert "DTSTART;TZID=Europe/Berlin:20260108T163000" in text

    event = community_event()
    response = client.get(f"{event.url}event.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "SUMMARY:Community of Practice" in response.content.decode()


def test_occurrences_api_lists_the_cancelled_meeting(client, event_index):
    response = client.get(
        "/api/kokreative/v1/occurrences", {"from": "2027-01-01", "to": "2027-01-31"}
    )
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["event"]["title"] == "Community of Practice"
    assert item["cancelled"] is True
    assert item["note"] == OccurrenceOverride.objects.get(action="cancel").note


# Forms (kokreative_wagtail.consultations)


def test_consultation_and_community_forms_below_the_programme(programme):
    from kokreative_wagtail.consultations.models import ConsultationFormPage

    consultation = ConsultationFormPage.objects.child_of(programme).get(slug="beratungsgespraech")
    assert consultation.live
    assert consultation.title == "Beratungsgespräch vereinbaren"
    assert CTA_HEADING in consultation.intro
    fields = list(consultation.form_fields.all())
    assert [f.label for f in fields] == [
        "Name",
        "Kommune / Organisation",
        "Funktion",
        "E-Mail",
        "Telefon",
        "Thema",
        "Eure Nachricht",
        "Wunschtermin",
    ]
    topic = next(f for f in fields if f.label == "Thema")
    assert topic.field_type == "dropdown"
    assert topic.choices.splitlines() == [*SEED_NAMES, "Etwas anderes"]
    assert consultation.send_confirmation and consultation.to_address

    community = ConsultationFormPage.objects.child_of(programme).get(
        slug="community-of-practice-anmeldung"
    )
    assert "Community of Practice" in community.title
    interests = community.form_fields.get(field_type="checkboxes")
    assert interests.choices.splitlines() == SEED_NAMES
    role = community.form_fields.get(field_type="radio")
    assert "Politiker:in" in role.choices


def test_demo_consultation_form_takes_a_submission(client, programme):
    import time

    from wagtail.contrib.forms.models import FormSubmission

    from kokreative_wagtail import spam
    from kokreative_wagtail.consultations.models import ConsultationFormPage

    page = ConsultationFormPage.objects.get(slug="beratungsgespraech")
    html = client.get(page.url).content.decode()
    assert page.submit_label in html and page.consent_text in html
    names = {f.label: f.clean_name for f in page.form_fields.all()}
    data = {
        names["Name"]: "Kim Muster",
        names["Kommune / Organisation"]: "Stadt Beispielstadt",
        names["E-Mail"]: "kim@example.org",
        names["Thema"]: "Raumstrukturen",
        names["Eure Nachricht"]: "Wir möchten eine Stadtwerkstatt aufbauen.",
        "privacy_consent": "on",
        spam.TOKEN_FIELD: spam.make_token(page.pk, issued_at=time.time() - 60),
    }
    response = client.post(page.url, data)
    assert page.thank_you_text in response.content.decode()
    assert FormSubmission.objects.filter(page=page).count() == 1


def test_leichte_sprache_and_the_accessibility_statement(client, demo_output):
    """The BITV's explanatory start page, the offers' summaries, the statement (partially
    compliant, one example, self-evaluation) and its "Barriere melden" form."""
    start = EasyLanguagePage.objects.live().get(is_start_page=True)
    html = client.get(start.url).content.decode()
    assert "Erklärung zur Barriere-Freiheit" in html and "Barriere melden" in html
    assert all(offer.easy_language_summary for offer in OfferPage.objects.all())
    statement = AccessibilityStatementPage.objects.live().get()
    assert (statement.conformity_status, statement.evaluation_method) == (
        "partial",
        "self_evaluation",
    )
    assert statement.non_accessible_parts.count() == 1
    form = statement.feedback_page.specific
    assert (form.title, form.live, form.to_address) == (
        "Barriere melden",
        True,
        "barrierefreiheit@example.org",
    )
