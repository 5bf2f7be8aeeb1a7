"""Blocks that list pages follow the language of the page they are on, in HTML and in API v2.

The offer list (latest offers, or offers chosen by hand), the upcoming events and the element
teasers of a programme page: the English page lists English pages, the German page German ones,
whatever language the request asks for. Runs under ``tests.settings_localize``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

from kokreative_wagtail.models import ProgrammePage

from ..events.factories import create_event, create_event_index
from ..factories import create_element_page, create_programme
from ..offers.factories import create_offer
from . import test_localize
from .test_localize import OFFER_STRINGS, translate

# fixtures shared with test_localize
element = test_localize.element
en = test_localize.en
offer = test_localize.offer
offer_index = test_localize.offer_index

PROGRAMME_STRINGS = {
    "Die Kokreative Kommune": "The Co-creative Municipality",
    "kokreative-kommune": "co-creative-municipality",
    "Willkommen": "Welcome",
    "Unsere Angebote": "Our offers",
    "Nächste Termine": "Next dates",
}


def stream_item(name: str, raw: dict):
    """A body item from stored (JSON) values: ids for chosen pages and snippets."""
    block = ProgrammePage._meta.get_field("body").stream_block.child_blocks[name]
    return (name, block.to_python(raw))


def offer_list(**value):
    defaults = {"heading": "Unsere Angebote", "mode": "latest", "offers": [], "kind": ""}
    return stream_item("offer_list", {**defaults, "element": None, "count": 5, **value})


def upcoming(**value):
    defaults = {"heading": "Nächste Termine", "index": None, "element": None, "count": 5}
    return stream_item("upcoming_events", {**defaults, **value})


def block_value(client, page, block_type: str, **headers) -> dict:
    response = client.get(f"/api/v2/pages/{page.pk}/", **headers)
    assert response.status_code == 200, response.content
    [value] = [b["value"] for b in response.json()["body"] if b["type"] == block_type]
    return value


def html(client, page) -> BeautifulSoup:
    response = client.get(page.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def titles_in(markup: BeautifulSoup, css: str) -> list[str]:
    return [node.get_text(" ", strip=True) for node in markup.select(css)]


@pytest.fixture
def en_offer(offer, en):
    return translate(offer, en, OFFER_STRINGS)


def test_latest_offers_follow_the_page_language_in_api_and_html(
    client, site_root, offer, en_offer, en
):
    programme = create_programme(site_root, body=[offer_list()])
    en_programme = translate(programme, en, PROGRAMME_STRINGS)

    german = block_value(client, programme, "offer_list")
    english = block_value(client, en_programme, "offer_list")
    assert [o["title"] for o in german["offers"]] == ["Werkstatt Beteiligung"]
    assert [o["title"] for o in english["offers"]] == ["Participation workshop"]
    assert english["heading"] == "Our offers"
    # labels in the page's language, whatever the request asks for
    assert english["offers"][0]["kind_label"] == "Trainings and workshops"
    assert german["offers"][0]["kind_label"] == "Trainings und Workshops"
    assert [e["name"] for e in english["offers"][0]["elements"]] == ["Spatial structures"]
    for language in ("de", "en"):
        again = block_value(client, en_programme, "offer_list", HTTP_ACCEPT_LANGUAGE=language)
        assert again == english

    assert "Participation workshop" in html(client, en_programme).get_text()
    assert "Participation workshop" not in html(client, programme).get_text()
    assert "Werkstatt Beteiligung" not in html(client, en_programme).get_text()


def test_offers_chosen_by_hand_show_their_translation_on_the_english_page(
    client, site_root, offer_index, offer, en_offer, en
):
    untranslated = create_offer(offer_index, title="Nur auf Deutsch", slug="nur-deutsch")
    programme = create_programme(
        site_root, body=[offer_list(mode="manual", offers=[untranslated.pk, offer.pk])]
    )
    en_programme = translate(programme, en, PROGRAMME_STRINGS)
    # as it stands after a translation made before the offers were translated: German choices
    en_programme.body = [offer_list(mode="manual", offers=[untranslated.pk, offer.pk])]
    en_programme.save_revision().publish()

    english = block_value(client, en_programme, "offer_list")
    # the order chosen; the translation where there is one, the source where there is none
    assert [o["id"] for o in english["offers"]] == [untranslated.pk, en_offer.pk]
    german = block_value(client, programme, "offer_list")
    assert [o["id"] for o in german["offers"]] == [untranslated.pk, offer.pk]

    markup = html(client, en_programme).get_text()
    assert "Participation workshop" in markup and "Werkstatt Beteiligung" not in markup


def test_offer_list_filtered_by_element_finds_the_english_offers(
    client, site_root, offer, en_offer, element, en
):
    """The element chosen on the German page matches the offers' English element too."""
    programme = create_programme(site_root, body=[offer_list(element=element.pk)])
    en_programme = translate(programme, en, PROGRAMME_STRINGS)
    en_programme.body = [offer_list(element=element.pk)]  # still the German element
    en_programme.save_revision().publish()

    english = block_value(client, en_programme, "offer_list")
    assert [o["id"] for o in english["offers"]] == [en_offer.pk]


def test_offer_list_queries_do_not_grow_with_the_offers(client, site_root, offer_index, en):
    programme = create_programme(site_root, body=[offer_list(count=10)])
    en_programme = translate(programme, en, PROGRAMME_STRINGS)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            block_value(client, en_programme, "offer_list")
        return len(context.captured_queries)

    def add_offer(number: int):
        source = create_offer(offer_index, title=f"Angebot {number}", slug=f"angebot-{number}")
        translate(source, en, {f"Angebot {number}": f"Offer {number}", **OFFER_STRINGS})

    add_offer(1)
    queries()  # fills the caches (site root paths, content types)
    one = queries()
    for number in (2, 3, 4):
        add_offer(number)
    assert len(block_value(client, en_programme, "offer_list")["offers"]) == 4
    assert queries() == one


def in_days(days: int):
    return (timezone.now() + timedelta(days=days)).replace(microsecond=0)


@pytest.fixture
def events_in_both_languages(site_root, en):
    index = create_event_index(site_root)
    first = create_event(index, in_days(3), title="Werkstatt im Rathaus", slug="werkstatt")
    second = create_event(index, in_days(5), title="Sprechstunde", slug="sprechstunde")
    en_first = translate(
        first,
        en,
        {"Werkstatt im Rathaus": "Town hall workshop", "werkstatt": "workshop", "Termine": "Dates"},
    )
    en_second = translate(
        second, en, {"Sprechstunde": "Office hours", "sprechstunde": "office-hours"}
    )
    return index, (first, second), (en_first, en_second)


def test_upcoming_events_never_mix_languages(client, site_root, events_in_both_languages, en):
    _index, german_events, english_events = events_in_both_languages
    programme = create_programme(site_root, body=[upcoming()])
    en_programme = translate(programme, en, PROGRAMME_STRINGS)

    german = block_value(client, programme, "upcoming_events")
    english = block_value(client, en_programme, "upcoming_events")
    assert [o["event"]["id"] for o in german["occurrences"]] == [e.pk for e in german_events]
    assert [o["event"]["id"] for o in english["occurrences"]] == [e.pk for e in english_events]
    assert [o["event"]["title"] for o in english["occurrences"]] == [
        "Town hall workshop",
        "Office hours",
    ]
    # the occurrence shape of GET occurrences
    first = english["occurrences"][0]
    assert first["event"]["full_url"].startswith("http") and "/en/" in first["event"]["url"]
    assert first["cancelled"] is False and first["start"].endswith("Z")
    # the request's language does not change the page's content
    again = block_value(client, en_programme, "upcoming_events", HTTP_ACCEPT_LANGUAGE="de")
    assert again["occurrences"] == english["occurrences"]

    english_html = html(client, en_programme).get_text()
    assert "Town hall workshop" in english_html and "Werkstatt im Rathaus" not in english_html
    german_html = html(client, programme).get_text()
    assert "Werkstatt im Rathaus" in german_html and "Town hall workshop" not in german_html


def test_upcoming_events_of_a_chosen_index_in_the_page_language(
    client, site_root, events_in_both_languages, en
):
    index, german_events, english_events = events_in_both_languages
    programme = create_programme(site_root, body=[upcoming(index=index.pk)])
    en_programme = translate(programme, en, PROGRAMME_STRINGS)
    en_programme.body = [upcoming(index=index.pk)]  # the German index, as first translated
    en_programme.save_revision().publish()

    english = block_value(client, en_programme, "upcoming_events")
    assert [o["event"]["id"] for o in english["occurrences"]] == [e.pk for e in english_events]
    german = block_value(client, programme, "upcoming_events")
    assert [o["event"]["id"] for o in german["occurrences"]] == [e.pk for e in german_events]


def test_upcoming_events_without_a_page_follow_the_requested_language(rf, events_in_both_languages):
    from django.utils import translation

    from kokreative_wagtail.events.blocks import UpcomingEventsBlock

    _index, german_events, english_events = events_in_both_languages
    block = UpcomingEventsBlock()
    value = block.to_python(upcoming()[1])
    request = rf.get("/", HTTP_HOST="localhost")
    with translation.override("en"):
        found = block.get_occurrences(value, request=request)
    assert [o.event.pk for o in found] == [e.pk for e in english_events]
    with translation.override("de"):
        found = block.get_occurrences(value, request=request)
    assert [o.event.pk for o in found] == [e.pk for e in german_events]


def test_element_teasers_of_the_english_programme_are_english(client, site_root, element, en):
    programme = create_programme(site_root)
    create_element_page(programme, element, title="Raumstrukturen", slug="raumstrukturen")
    en_programme = translate(programme, en, PROGRAMME_STRINGS)
    en_element_page = translate(
        Page.objects.get(slug="raumstrukturen", locale=programme.locale).specific,
        en,
        {"Raumstrukturen": "Spatial structures", "raumstrukturen": "spatial-structures"},
    )

    data = client.get(f"/api/v2/pages/{en_programme.pk}/").json()
    assert [(t["id"], t["element"]["name"]) for t in data["element_pages"]] == [
        (en_element_page.pk, "Spatial structures")
    ]
    german = client.get(f"/api/v2/pages/{programme.pk}/").json()
    assert [t["element"]["name"] for t in german["element_pages"]] == ["Raumstrukturen"]

    markup = html(client, ProgrammePage.objects.get(pk=en_programme.pk))
    links = [a["href"] for a in markup.select("a") if "spatial-structures" in a.get("href", "")]
    assert links and all(href.startswith("/en/") for href in links)
    assert "/raumstrukturen/" not in str(markup)


def test_page_stream_field_serializer_tells_the_blocks_their_page(
    rf, site_root, offer, en_offer, en
):
    """For listings (``fields=body``) where no detail view names the page."""
    from rest_framework import serializers

    from kokreative_wagtail.blocks.stream import PageStreamFieldSerializer, page_of_context

    programme = create_programme(site_root, body=[offer_list()])
    en_programme = translate(programme, en, PROGRAMME_STRINGS)
    parent = serializers.Serializer(context={"request": rf.get("/", HTTP_HOST="localhost")})
    field = PageStreamFieldSerializer()
    field.bind("body", parent)

    [block] = field.to_representation(field.get_attribute(en_programme))
    assert [o["id"] for o in block["value"]["offers"]] == [en_offer.pk]
    assert block["value"]["offers"][0]["kind_label"] == "Trainings and workshops"
    [block] = field.to_representation(field.get_attribute(programme))
    assert [o["id"] for o in block["value"]["offers"]] == [offer.pk]
    assert page_of_context({"page": programme}) is programme
    assert page_of_context({}) is None
