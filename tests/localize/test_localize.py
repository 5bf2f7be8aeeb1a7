"""Translations through wagtail-localize's own machinery: German sources, English translations.

Runs under ``tests.settings_localize`` (``make test-localize``); skipped otherwise (conftest).
Pages and snippets are translated as the admin's "Translate" action does (``translate_object``),
English strings are entered as a translator would, and the translation is published; the
source is then changed and the translation synced as "Sync translated pages" does.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import recurrence
from django.core.cache import cache
from django.test import TestCase
from wagtail.models import Locale, Page, Site

from kokreative_wagtail.consultations.models import ConsultationFormField, ConsultationFormPage
from kokreative_wagtail.events.models import EventIndexPage, EventPage, OccurrenceOverride
from kokreative_wagtail.models import Element
from kokreative_wagtail.offers.models import Audience, OfferIndexPage, OfferPage

from ..consultations.factories import create_consultation_page
from ..factories import ElementFactory, add_page
from ..offers.factories import create_offer

API = "/api/kokreative/v1"
BERLIN = ZoneInfo("Europe/Berlin")
UTC = ZoneInfo("UTC")
RULE = "RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH"


# --- wagtail-localize as a translator uses it ---------------------------------------------------


def enter_strings(obj, locale, strings: dict[str, str]) -> None:
    """Translate the source strings of ``obj`` found in ``strings`` (German → English)."""
    from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

    source = TranslationSource.objects.get_for_instance(obj)
    for segment in StringSegment.objects.filter(source=source).select_related("string"):
        if segment.string.data in strings:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={"data": strings[segment.string.data]},
            )


def save_translation(obj, locale) -> None:
    """Save and publish the translation (wagtail-localize publishes on commit)."""
    from wagtail_localize.models import Translation, TranslationSource

    source = TranslationSource.objects.get_for_instance(obj)
    translation = Translation.objects.get(source=source, target_locale=locale)
    with TestCase.captureOnCommitCallbacks(execute=True):
        translation.save_target(publish=True)


def translate(obj, locale, strings: dict[str, str]):
    """The admin's "Translate" action, the translator's strings, "Publish"; the translation."""
    from wagtail_localize.operations import translate_object

    with TestCase.captureOnCommitCallbacks(execute=True):
        translate_object(obj, [locale])
    enter_strings(obj, locale, strings)
    save_translation(obj, locale)
    cache.clear()  # Wagtail's cached site root paths now include the English root
    translated = obj.get_translation(locale)
    return translated.specific if isinstance(translated, Page) else translated


def sync(obj, locale, strings: dict[str, str] | None = None):
    """ "Sync translated pages" after the source changed: update the source, save the target."""
    from wagtail_localize.models import TranslationSource

    TranslationSource.update_or_create_from_instance(obj)
    enter_strings(obj, locale, strings or {})
    save_translation(obj, locale)
    return type(obj).objects.get(pk=obj.get_translation(locale).pk)


def string_paths(obj) -> set[str]:
    """The paths wagtail-localize extracted as strings to translate."""
    from wagtail_localize.models import StringSegment, TranslationSource

    source = TranslationSource.objects.get_for_instance(obj)
    return set(StringSegment.objects.filter(source=source).values_list("context__path", flat=True))


def local_starts(page, start: datetime, end: datetime) -> list[str]:
    return [
        f"{o.start.astimezone(BERLIN):%Y-%m-%d %H:%M} {'x' if o.cancelled else ''}"
        for o in page.get_occurrences(start, end)
    ]


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def en(db) -> Locale:
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def element(db, en) -> Element:
    """A German element with an English translation."""
    element = ElementFactory(name="Raumstrukturen", summary="Räume für Beteiligung.", sort_order=2)
    element.icon = "house"
    element.save()
    translate(
        element,
        en,
        {
            "Raumstrukturen": "Spatial structures",
            "raumstrukturen": "spatial-structures",
            "Räume für Beteiligung.": "Spaces for participation.",
        },
    )
    return element


@pytest.fixture
def offer_index(site_root) -> OfferIndexPage:
    return add_page(site_root, OfferIndexPage, title="Angebote", slug="angebote")


@pytest.fixture
def event_index(site_root) -> EventIndexPage:
    return add_page(site_root, EventIndexPage, title="Termine", slug="termine")


OFFER_STRINGS = {
    "Angebote": "Offers",
    "angebote": "offers",
    "Willkommen": "Welcome",
    "Werkstatt Beteiligung": "Participation workshop",
    "werkstatt-beteiligung": "participation-workshop",
    "Zwei Tage für Ihr Team.": "Two days for your team.",
    "zwei Tage": "two days",
}


@pytest.fixture
def offer(offer_index, element) -> OfferPage:
    audience = Audience.objects.get(slug="verwaltung", locale=Locale.get_default())
    return create_offer(
        offer_index,
        title="Werkstatt Beteiligung",
        kind="training",
        format="hybrid",
        teaser="Zwei Tage für Ihr Team.",
        duration="zwei Tage",
        cost="450 € pro Tag",
        contact_email="team@example.org",
        audiences=[audience],
        elements=[element],
    )


EVENT_STRINGS = {
    "Termine": "Events",
    "termine": "events",
    "Willkommen": "Welcome",
    "Community of Practice": "Community of practice",
    "community-of-practice": "community-of-practice",
    "Austausch unter Kommunen.": "Exchange between municipalities.",
    "Rathaus, Saal 3": "Town hall, room 3",
    "Fällt wegen Ferien aus.": "Cancelled for the holidays.",
    "Verschoben auf Freitag.": "Moved to Friday.",
}


@pytest.fixture
def event(event_index, element, offer) -> EventPage:
    start = datetime(2026, 1, 8, 16, 30, tzinfo=BERLIN)
    page = EventPage(
        title="Community of Practice",
        slug="community-of-practice",
        teaser="Austausch unter Kommunen.",
        start=start,
        end=start + timedelta(minutes=90),
        time_zone="Europe/Berlin",
        recurrence=recurrence.deserialize(RULE),
        location_name="Rathaus, Saal 3",
        location_address="Marktplatz 1, 12345 Musterstadt",
        related_offer=offer,
    )
    page.elements = [element]
    event_index.add_child(instance=page)
    page.overrides.add(
        OccurrenceOverride(
            original_start=start + timedelta(weeks=4),
            action="cancel",
            note="Fällt wegen Ferien aus.",
        )
    )
    page.overrides.add(
        OccurrenceOverride(
            original_start=start + timedelta(weeks=8),
            action="move",
            new_start=start + timedelta(weeks=8, days=1),
            new_end=start + timedelta(weeks=8, days=1, minutes=90),
            note="Verschoben auf Freitag.",
        )
    )
    page.save_revision().publish()
    return EventPage.objects.get(pk=page.pk)


# --- which fields are translated, which synchronized --------------------------------------------


def kinds(model) -> dict[str, str]:
    from wagtail_localize.fields import get_translatable_fields

    return {
        f.field_name: type(f).__name__ + ("" if f.is_overridable(model()) else "!")
        for f in get_translatable_fields(model)
    }


def test_the_schedule_relations_and_prices_are_synchronized_texts_translated(db):
    event = kinds(EventPage)
    for name in ("start", "end", "time_zone", "all_day", "recurrence", "elements"):
        assert event[name] == "SynchronizedField!", name
    for name in ("related_offer", "online_url", "registration_page"):
        assert event[name] == "SynchronizedField!", name
    assert event["location_address"] == "SynchronizedField"  # a translator may override it
    for name in ("title", "slug", "teaser", "body", "location_name", "overrides"):
        assert event[name] == "TranslatableField", name

    override = kinds(OccurrenceOverride)
    for name in ("original_start", "action", "new_start", "new_end"):
        assert override[name] == "SynchronizedField!", name
    assert override["note"] == override["location_name"] == "TranslatableField"

    offer = kinds(OfferPage)
    for name in ("kind", "format", "audiences", "elements", "consultation_page"):
        assert offer[name] == "SynchronizedField!", name
    assert offer["cost"] == "SynchronizedField"
    assert offer["duration"] == offer["teaser"] == offer["body"] == "TranslatableField"

    element = kinds(Element)
    assert {element[n] for n in ("colour", "icon", "sort_order")} == {"SynchronizedField"}
    assert {element[n] for n in ("name", "slug", "summary", "description")} == {"TranslatableField"}
    audience = kinds(Audience)
    assert audience["slug"] == "TranslatableField"
    assert audience["sort_order"] == "SynchronizedField"

    form = kinds(ConsultationFormPage)
    assert form["form_fields"] == "TranslatableField"
    assert form["to_address"] == form["from_address"] == "SynchronizedField"
    field = kinds(ConsultationFormField)
    assert {field[n] for n in ("label", "help_text", "choices", "default_value")} == {
        "TranslatableField"
    }
    assert {field[n] for n in ("field_type", "required", "clean_name")} == {"SynchronizedField!"}


# --- an event translated, then its schedule changed --------------------------------------------


def test_translated_event_keeps_the_schedule_and_follows_a_change(event, element, offer, en):
    en_offer = translate(offer, en, OFFER_STRINGS)
    en_event = translate(event, en, EVENT_STRINGS)
    # the rule, dates and zone are no strings to translate (django-recurrence's field is text)
    assert {"recurrence", "start", "end", "time_zone"}.isdisjoint(string_paths(event))
    assert "location_address" not in string_paths(event)

    assert en_event.live and en_event.locale == en
    assert en_event.title == "Community of practice"
    assert en_event.location_name == "Town hall, room 3"
    assert en_event.location_address == "Marktplatz 1, 12345 Musterstadt"
    assert en_event.recurrence_rule == event.recurrence_rule
    assert (en_event.start, en_event.end, en_event.time_zone) == (
        event.start,
        event.end,
        event.time_zone,
    )
    window = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC))
    assert local_starts(en_event, *window) == local_starts(event, *window)
    assert "2026-02-05 16:30 x" in local_starts(en_event, *window)  # the cancelled one
    notes = {o.original_start: o.note for o in en_event.overrides.all()}
    assert notes == {
        event.start + timedelta(weeks=4): "Cancelled for the holidays.",
        event.start + timedelta(weeks=8): "Moved to Friday.",
    }
    assert {o.locale_id for o in en_event.overrides.all()} == {en.pk}
    # relations in the translation's language
    assert list(en_event.elements.all()) == [element.get_translation(en)]
    assert en_event.related_offer_id == en_offer.pk

    # The source's schedule changes: another rule, a later start, a new change; then sync.
    event = EventPage.objects.get(pk=event.pk)
    event.start += timedelta(hours=1)
    event.end += timedelta(hours=1)
    event.recurrence = recurrence.deserialize("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TH")
    event.overrides.add(
        OccurrenceOverride(
            original_start=event.start + timedelta(weeks=2),
            action="cancel",
            note="Fällt aus.",
        )
    )
    event.save_revision().publish()
    event = EventPage.objects.get(pk=event.pk)

    en_event = sync(event, en, {"Fällt aus.": "Cancelled."})

    assert en_event.recurrence_rule == event.recurrence_rule
    assert "INTERVAL=2" in en_event.recurrence_rule
    assert en_event.start == event.start
    assert local_starts(en_event, *window) == local_starts(event, *window)
    assert local_starts(en_event, *window)[0] == "2026-01-08 17:30 "
    notes = {o.original_start: o.note for o in en_event.overrides.all()}
    assert notes[event.start + timedelta(weeks=2)] == "Cancelled."
    assert notes[datetime(2026, 2, 5, 16, 30, tzinfo=BERLIN)] == "Cancelled for the holidays."
    assert en_event.title == "Community of practice"  # the translation memory is kept
    # the sync published the translation: its stored occurrences follow, notes translated
    assert indexed(en_event) == computed(en_event)
    assert ("Cancelled.", True) in [(row[3], row[2]) for row in indexed(en_event)]


def indexed(page) -> list[tuple]:
    from kokreative_wagtail.events.models import IndexedOccurrence

    rows = IndexedOccurrence.objects.filter(page_id=page.pk).order_by("start")
    return list(rows.values_list("start", "original_start", "cancelled", "note"))


def computed(page) -> list[tuple]:
    """The pure expansion over the index's window (in two halves: one expansion is shorter)."""
    from kokreative_wagtail.events.occurrence_index import current_horizon

    horizon = current_horizon()
    middle = horizon.start + (horizon.end - horizon.start) / 2
    items = page.get_occurrences(horizon.start, middle) + [
        i for i in page.get_occurrences(middle, horizon.end) if i.start >= middle
    ]
    return [(i.start, i.original_start, i.cancelled, i.note) for i in items]


def test_translated_offer_keeps_facts_and_relations_and_follows_a_change(offer, element, en):
    en_offer = translate(offer, en, OFFER_STRINGS)

    assert en_offer.live and en_offer.locale == en
    assert (en_offer.title, en_offer.teaser, en_offer.duration) == (
        "Participation workshop",
        "Two days for your team.",
        "two days",
    )
    assert (en_offer.kind, en_offer.format, en_offer.cost, en_offer.contact_email) == (
        "training",
        "hybrid",
        "450 € pro Tag",
        "team@example.org",
    )
    assert list(en_offer.elements.all()) == [element.get_translation(en)]
    # the audience has no English translation: the German one stays (the fallback)
    assert [a.slug for a in en_offer.audiences.all()] == ["verwaltung"]
    assert en_offer.get_parent().locale == en  # the translated page tree

    offer = OfferPage.objects.get(pk=offer.pk)
    offer.kind = "inhouse"
    offer.format = "online"
    offer.save_revision().publish()
    en_offer = sync(OfferPage.objects.get(pk=offer.pk), en)
    assert (en_offer.kind, en_offer.format) == ("inhouse", "online")
    assert en_offer.teaser == "Two days for your team."


def test_translated_element_keeps_presentation_translates_slug(element, en):
    en_element = element.get_translation(en)
    assert (en_element.name, en_element.slug) == ("Spatial structures", "spatial-structures")
    assert (en_element.colour, en_element.icon, en_element.sort_order) == ("#1d6f42", "house", 2)
    element.colour = "#123456"
    element.save()
    en_element = sync(element, en)
    assert en_element.colour == "#123456"
    assert en_element.name == "Spatial structures"


# --- the APIs in two languages ------------------------------------------------------------------


def test_offers_api_answers_in_the_requested_locale(client, offer, element, en):
    translate(offer, en, OFFER_STRINGS)

    english = client.get(f"{API}/offers", {"locale": "en"}).json()
    assert [(o["title"], o["locale"]) for o in english["items"]] == [
        ("Participation workshop", "en")
    ]
    assert [e["name"] for e in english["items"][0]["elements"]] == ["Spatial structures"]
    assert english["items"][0]["url"] != offer.get_url()

    german = client.get(f"{API}/offers", {"locale": "de"}).json()
    assert [(o["title"], o["locale"]) for o in german["items"]] == [("Werkstatt Beteiligung", "de")]
    assert [e["name"] for e in german["items"][0]["elements"]] == ["Raumstrukturen"]

    # filters by the English slug find the English offer
    found = client.get(f"{API}/offers", {"locale": "en", "element": "spatial-structures"}).json()
    assert found["count"] == 1

    unknown = client.get(f"{API}/offers", {"locale": "xx"})
    assert unknown.status_code == 400
    assert "locale" in unknown.json()["errors"]


def test_occurrences_api_gives_the_english_title_at_the_same_times(
    client, event, offer, element, en
):
    en_offer = translate(offer, en, OFFER_STRINGS)
    translate(event, en, EVENT_STRINGS)
    window = {"from": "2026-01-01", "to": "2026-04-01"}

    german = client.get(f"{API}/occurrences", {**window, "locale": "de"}).json()
    english = client.get(f"{API}/occurrences", {**window, "locale": "en"}).json()

    assert german["count"] == english["count"] == 3
    assert {i["event"]["title"] for i in english["items"]} == {"Community of practice"}
    assert {i["event"]["title"] for i in german["items"]} == {"Community of Practice"}
    times = [(i["start"], i["cancelled"], i["moved"]) for i in german["items"]]
    assert [(i["start"], i["cancelled"], i["moved"]) for i in english["items"]] == times
    assert [i["note"] for i in english["items"]] == [
        "",
        "Cancelled for the holidays.",
        "Moved to Friday.",
    ]
    assert english["items"][0]["offer_id"] == en_offer.pk
    assert german["items"][0]["offer_id"] == offer.pk
    assert [e["name"] for e in english["items"][0]["elements"]] == ["Spatial structures"]

    by_offer = client.get(f"{API}/occurrences", {**window, "locale": "en", "offer": offer.pk})
    assert by_offer.json()["count"] == 3  # any translation of the offer matches
    by_element = client.get(
        f"{API}/occurrences", {**window, "locale": "en", "element": "spatial-structures"}
    )
    assert by_element.json()["count"] == 3
    assert client.get(f"{API}/occurrences", {**window, "locale": "xx"}).status_code == 400


def test_elements_api_in_both_locales(client, element, en):
    english = client.get(f"{API}/elements", {"locale": "en"}).json()
    german = client.get(f"{API}/elements", {"locale": "de"}).json()
    assert [(e["name"], e["slug"], e["locale"]) for e in english["items"]] == [
        ("Spatial structures", "spatial-structures", "en")
    ]
    assert [(e["name"], e["locale"]) for e in german["items"]] == [("Raumstrukturen", "de")]
    assert english["items"][0]["translation_key"] == german["items"][0]["translation_key"]
    assert client.get(f"{API}/elements", {"locale": "xx"}).status_code == 400


def test_pages_api_v2_gives_the_locale_and_related_objects_in_it(client, offer, event, en):
    en_offer = translate(offer, en, OFFER_STRINGS)
    en_event = translate(event, en, EVENT_STRINGS)

    data = client.get(f"/api/v2/pages/{en_offer.pk}/").json()
    assert data["meta"]["locale"] == "en"
    assert [e["name"] for e in data["elements"]] == ["Spatial structures"]
    event_data = client.get(f"/api/v2/pages/{en_event.pk}/").json()
    assert event_data["meta"]["locale"] == "en"
    assert event_data["offer_id"] == en_offer.pk  # was related_offer_id
    german = client.get(f"/api/v2/pages/{offer.pk}/").json()
    assert german["meta"]["locale"] == "de"
    assert [e["name"] for e in german["elements"]] == ["Raumstrukturen"]


def test_elements_translated_after_the_page_are_shown_in_its_locale(client, offer_index, en):
    """A translation made before its element was translated shows the element's translation."""
    late = ElementFactory(name="Prozesse")
    offer = create_offer(offer_index, title="Werkstatt Beteiligung", elements=[late])
    en_offer = translate(offer, en, OFFER_STRINGS)
    assert [e.locale for e in en_offer.elements.all()] == [Locale.get_default()]

    translate(late, en, {"Prozesse": "Processes", "prozesse": "processes"})

    data = client.get(f"/api/v2/pages/{en_offer.pk}/").json()
    assert [(e["name"], e["locale"]) for e in data["elements"]] == [("Processes", "en")]
    listing = client.get(f"{API}/offers", {"locale": "en"}).json()
    assert [e["name"] for e in listing["items"][0]["elements"]] == ["Processes"]
    found = client.get(f"{API}/offers", {"locale": "en", "element": "processes"}).json()
    assert found["count"] == 1


def test_offer_list_query_count_stays_constant_with_translations(client, offer_index, en):
    """Elements resolved into the list's locale cost one query for the whole list."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    elements = [ElementFactory(name=f"Element {n}") for n in range(3)]

    def add_offers(numbers):
        for number in numbers:
            offer = create_offer(offer_index, title=f"Angebot {number}", elements=elements)
            translate(offer, en, {f"Angebot {number}": f"Offer {number}"})

    def list_queries() -> tuple[int, dict]:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            data = client.get(f"{API}/offers", {"locale": "en"}).json()
        return len(queries), data

    add_offers(range(1))
    for element in elements:  # translated after the offers: resolved when listing
        translate(element, en, {element.name: element.name.replace("Element", "Item")})
    few, _data = list_queries()
    add_offers(range(1, 8))
    many, data = list_queries()

    assert data["count"] == 8
    assert {e["name"] for o in data["items"] for e in o["elements"]} == {
        "Item 0",
        "Item 1",
        "Item 2",
    }
    assert many == few <= 7


# --- the consultation form in English -----------------------------------------------------------


def test_translated_form_api_is_english_with_the_same_field_names(client, site_root, en):
    page = create_consultation_page(site_root)
    german = client.get(f"{API}/forms/{page.pk}").json()
    strings = {"Beratungsgespräch vereinbaren": "Book a consultation", "beratung": "consultation"}
    for field in german["fields"]:
        strings[field["label"]] = f"EN {field['label']}"
        if field["help_text"]:
            strings[field["help_text"]] = f"EN {field['help_text']}"
    en_page = translate(page, en, strings)

    response = client.get(f"{API}/forms/{en_page.pk}")
    assert response.status_code == 200, response.content
    english = response.json()
    assert (english["title"], english["locale"], german["locale"]) == (
        "Book a consultation",
        "en",
        "de",
    )
    assert [f["name"] for f in english["fields"]] == [f["name"] for f in german["fields"]]
    assert [f["type"] for f in english["fields"]] == [f["type"] for f in german["fields"]]
    assert [f["required"] for f in english["fields"]] == [f["required"] for f in german["fields"]]
    assert all(f["label"].startswith("EN ") for f in english["fields"])
    assert english["submit_label"] == "Send"
    assert german["submit_label"] == "Senden"
    assert {f.locale_id for f in en_page.form_fields.all()} == {en.pk}


def test_purge_uses_the_retention_of_the_site_a_translated_form_belongs_to(en):
    """An English form page sits below the English root, beside the site's root page."""
    from django.core.management import call_command
    from django.utils import timezone
    from wagtail.contrib.forms.models import FormSubmission

    from kokreative_wagtail.models import KokreativeSettings

    home = add_page(Page.objects.get(depth=1), Page, title="Zweite Site", slug="zweite-site")
    site = Site.objects.create(hostname="b.example", root_page=home)
    KokreativeSettings.objects.create(site=site, retention_days=10)
    with TestCase.captureOnCommitCallbacks(execute=True):
        home_en = home.copy_for_translation(en)
    cache.clear()
    form = create_consultation_page(home_en, slug="consultation")
    assert form.locale == en
    submission = FormSubmission.objects.create(page=form, form_data={})
    FormSubmission.objects.filter(pk=submission.pk).update(
        submit_time=timezone.now() - timedelta(days=30)
    )

    call_command("kokreative_purge_submissions", stdout=StringIO())

    assert not FormSubmission.objects.filter(pk=submission.pk).exists()


def test_the_editor_lists_elements_and_audiences_of_the_page_language(
    admin_client, offer, event, element, en
):
    """A German page's checkboxes show German elements and audiences; an English one English."""
    from django.urls import reverse

    english_element = element.get_translation(en)
    german_audience = Audience.objects.get(slug="verwaltung", locale=Locale.get_default())
    english_audience = german_audience.copy_for_translation(en)
    english_audience.name = "Administration"
    english_audience.save()

    def choices(page, name):
        response = admin_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
        assert response.status_code == 200
        field = response.context["form"].fields[name]
        return set(field.queryset)

    assert choices(offer, "elements") == {element}
    assert choices(offer, "audiences") == set(Audience.objects.filter(locale=offer.locale))
    assert english_audience not in choices(offer, "audiences")
    assert choices(event, "elements") == {element}

    # a translated page is edited in wagtail-localize's editor (relations synchronized); a new
    # page written in English below the English index gets the English lists
    english_index = translate(offer, en, OFFER_STRINGS).get_parent()
    url = reverse(
        "wagtailadmin_pages:add", args=("kokreative_offers", "offerpage", english_index.pk)
    )
    fields = admin_client.get(url).context["form"].fields
    assert set(fields["elements"].queryset) == {english_element}
    assert set(fields["audiences"].queryset) == {english_audience}

    # a new page below the German index starts with the German lists
    url = reverse(
        "wagtailadmin_pages:add",
        args=("kokreative_offers", "offerpage", offer.get_parent().pk),
    )
    response = admin_client.get(url)
    assert set(response.context["form"].fields["elements"].queryset) == {element}
