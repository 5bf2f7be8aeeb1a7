"""The one event filter set: on its own, behind the event index page and behind GET occurrences."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Locale

from kokreative_wagtail.events.filters import EventFilterSet
from kokreative_wagtail.events.models import EventIndexPage, EventPage
from kokreative_wagtail.offers.models import OfferIndexPage, OfferPage

from ..factories import ElementFactory

pytestmark = pytest.mark.django_db

API = "/api/kokreative/v1/occurrences"


def live(parent, model, **fields):
    """A live page below ``parent``, saved without a revision (cheaper; listings read the row)."""
    page = model(live=True, **fields)
    parent.add_child(instance=page)
    return page


def event(index, title: str, days: int, *, elements=(), **fields) -> EventPage:
    """A one-hour event ``days`` from now (inside the list view's and the API's default window)."""
    start = timezone.now().replace(microsecond=0) + timedelta(days=days)
    page = EventPage(live=True, title=title, slug=title.lower(), start=start, **fields)
    page.end = start + timedelta(hours=1)
    page.elements = list(elements)
    index.add_child(instance=page)
    return page


@pytest.fixture
def world(site_root, elements):
    """German events, one of them delivering an offer whose English translation an English
    event links to; an English element translating the first German one; two event indexes."""
    culture, space = elements
    english = Locale.objects.create(language_code="en")
    en_culture = ElementFactory(
        name="Cultural change",
        slug="cultural-change",
        locale=english,
        translation_key=culture.translation_key,
    )
    offers = live(site_root, OfferIndexPage, title="Angebote", slug="angebote")
    offer = live(offers, OfferPage, title="Werkstatt", slug="werkstatt")
    en_offers = live(site_root, OfferIndexPage, title="Offers", slug="offers", locale=english)
    en_offer = live(
        en_offers,
        OfferPage,
        title="Workshop",
        slug="workshop",
        locale=english,
        translation_key=offer.translation_key,
    )
    index = live(site_root, EventIndexPage, title="Termine", slug="termine")
    archive = live(site_root, EventIndexPage, title="Archiv", slug="archiv")
    en_index = live(site_root, EventIndexPage, title="Events", slug="events", locale=english)
    salon = event(index, "Salon", 3, elements=[culture], related_offer=offer)
    walk = event(index, "Rundgang", 4, elements=[space])
    old = event(archive, "Archivabend", 5, elements=[space])
    # made in English but still linked to the German element and offer (not synchronised yet)
    en_talk = event(en_index, "Talk", 6, elements=[culture], related_offer=en_offer)
    return SimpleNamespace(
        culture=culture,
        space=space,
        en_culture=en_culture,
        offer=offer,
        en_offer=en_offer,
        index=index,
        archive=archive,
        en_index=en_index,
        salon=salon,
        walk=walk,
        old=old,
        en_talk=en_talk,
    )


def filtered(data: dict, language_code: str = "de", **kwargs) -> EventFilterSet:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, [str(v) for v in (value if isinstance(value, list) else [value])])
    return EventFilterSet(query, EventPage.objects.all(), language_code=language_code, **kwargs)


def titles(filterset: EventFilterSet) -> set[str]:
    assert filterset.is_valid(), filterset.errors
    return {event.title for event in filterset.qs}


def api_titles(client, params: dict) -> set[str]:
    response = client.get(API, params)
    assert response.status_code == 200, response.content[:500]
    return {item["event"]["title"] for item in response.json()["items"]}


def listing_titles(client, index, params: dict) -> set[str]:
    response = client.get(index.url, params)
    assert response.status_code == 200
    assert not response.context["filter_form"].errors, response.context["filter_form"].errors
    return {occurrence.event.title for occurrence in response.context["occurrences"]}


# --- the FilterSet on its own ------------------------------------------------------------------


def test_element_matches_every_translation_by_slug_of_the_language(world):
    assert titles(filtered({"element": world.culture.slug})) == {"Salon", "Talk"}
    # the English slug finds the English event linked to the German element
    assert titles(filtered({"element": "cultural-change"}, "en")) == {"Salon", "Talk"}
    # any of them, each event once
    both = filtered({"element": [world.culture.slug, world.space.slug]})
    assert titles(both) == {"Salon", "Talk", "Rundgang", "Archivabend"}
    assert len(both.qs) == 4


def test_unknown_element_slugs_match_nothing_and_are_named_afterwards(world):
    filterset = filtered({"element": "cultural-change"})  # an English slug, read in German
    assert titles(filterset) == set()
    assert filterset.unknown_elements(list(filterset.qs)) == ["cultural-change"]
    mixed = filtered({"element": ["nope", world.space.slug]})
    events = list(mixed.qs)
    assert {e.title for e in events} == {"Rundgang", "Archivabend"}
    assert mixed.unknown_elements(events) == ["nope"]
    known = filtered({"element": world.space.slug})
    events = list(known.qs)
    assert known.unknown_elements(events) == []


def test_offer_matches_every_translation_of_the_offer(world):
    assert titles(filtered({"offer": world.offer.pk})) == {"Salon", "Talk"}
    assert titles(filtered({"offer": world.en_offer.pk})) == {"Salon", "Talk"}
    assert titles(filtered({"offer": [world.offer.pk, world.walk.pk]})) == {"Salon", "Talk"}
    assert titles(filtered({"offer": 2**40})) == set()  # beyond any id: nothing, no overflow


def test_index_keeps_the_events_below_an_event_index_only(world):
    assert titles(filtered({"index": world.archive.pk})) == {"Archivabend"}
    assert titles(filtered({"index": world.index.pk})) == {"Salon", "Rundgang"}
    assert titles(filtered({"index": world.salon.pk})) == set()  # an event, not an index
    assert titles(filtered({"index": world.index.get_parent().pk})) == set()


def test_filters_are_conditions_of_the_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        filterset = filtered(
            {"element": world.culture.slug, "offer": world.offer.pk, "index": world.index.pk}
        )
        assert [e.title for e in filterset.qs] == ["Salon"]


def test_choices_turn_unknown_values_into_form_errors(world):
    elements = [world.culture, world.space]
    offers = [world.offer]
    filterset = filtered(
        {"element": ["nope"], "offer": [world.en_offer.pk]},
        elements=elements,
        offers=offers,
    )
    assert not filterset.is_valid()
    assert filterset.errors["element"] == [_("Unknown element.")]
    assert filterset.errors["offer"] == [_("Unknown offer.")]
    # an empty value is the select's "all" option
    assert titles(filtered({"element": "", "offer": ""}, elements=elements, offers=offers)) == {
        "Salon",
        "Rundgang",
        "Archivabend",
        "Talk",
    }


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"element": "kultur\x00"}, "element"),
        ({"offer": "abc"}, "offer"),
        ({"offer": "0"}, "offer"),
        ({"offer": "9" * 5000}, "offer"),
        ({"index": "abc"}, "index"),
        ({"index": str(2**31)}, "index"),
    ],
    ids=repr,
)
def test_malformed_values_are_form_errors_of_their_field(world, data, field):
    filterset = filtered(data)
    assert not filterset.is_valid()
    assert list(filterset.errors) == [field]


# --- the listing and the API: the same events for the same filter -----------------------------


@pytest.mark.parametrize(
    "params",
    [
        lambda w: {"element": w.culture.slug},
        lambda w: {"element": w.space.slug},
        lambda w: {"offer": w.offer.pk},
        lambda w: {"element": w.culture.slug, "offer": w.offer.pk},
        lambda w: {},
    ],
    ids=["culture", "space", "offer", "both", "none"],
)
def test_listing_and_api_find_the_same_events(client, world, params):
    params = params(world)
    listed = listing_titles(client, world.index, params)
    assert listed == api_titles(client, {**params, "index": world.index.pk})
    assert listed  # every case finds something below the index


def test_english_listing_and_api_read_slugs_in_english(client, world):
    params = {"element": world.en_culture.slug}
    assert listing_titles(client, world.en_index, params) == {"Talk"}
    assert api_titles(client, {**params, "locale": "en"}) == {"Talk"}


def test_listing_takes_repeated_values(client, world):
    params = {"element": [world.culture.slug, world.space.slug]}
    assert listing_titles(client, world.index, params) == {"Salon", "Rundgang"}


# --- bad values: form errors and 400s, never a 500 ---------------------------------------------


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"element": "nope"}, "element", "Unknown element."),
        ({"element": "cultural-change"}, "element", "Unknown element."),  # English slug
        ({"offer": "abc"}, "offer", None),
        ({"offer": "99999999"}, "offer", "Unknown offer."),
        ({"offer": "1e400"}, "offer", None),
    ],
)
def test_listing_shows_bad_values_as_form_errors_and_lists_everything(
    client, world, params, field, message
):
    response = client.get(world.index.url, params)
    assert response.status_code == 200
    errors = response.context["filter_form"].errors
    assert list(errors) == [field]
    if message:
        assert errors[field] == [_(message)]
    assert {o.event.title for o in response.context["occurrences"]} == {"Salon", "Rundgang"}


def test_listing_offers_only_its_language_and_its_events_offers(client, world):
    response = client.get(world.index.url)
    assert [e.slug for e in response.context["element_choices"]] == [
        world.culture.slug,
        world.space.slug,
    ]
    assert [o.pk for o in response.context["offer_choices"]] == [world.offer.pk]


def test_only_the_list_views_load_the_elements_of_the_events_shown(client, world):
    listed = client.get(world.index.url).context["occurrences"]
    assert listed and all("elements" in o.event._prefetched_objects_cache for o in listed)
    params = {"view": "month", "month": timezone.localtime(world.salon.start).strftime("%Y-%m")}
    month = client.get(world.index.url, params).context["occurrences"]
    assert month and all(
        "elements" not in getattr(o.event, "_prefetched_objects_cache", {}) for o in month
    )


def test_listing_ignores_an_index_parameter(client, world):
    params = {"index": world.archive.pk}
    assert listing_titles(client, world.index, params) == {"Salon", "Rundgang"}


def unknown(slug: str) -> tuple[str, dict]:
    return "Unknown element %(slug)r.", {"slug": slug}


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"element": "nope"}, "element", unknown("nope")),
        ({"element": ["nope", "kultureller-wandel"]}, "element", unknown("nope")),
        ({"element": "cultural-change"}, "element", unknown("cultural-change")),  # English
        ({"offer": "abc"}, "offer", None),
        ({"index": "abc"}, "index", None),
        ("event", "index", ("No event index page with this id.", {})),
        ("root", "index", ("No event index page with this id.", {})),
        ({"locale": "xx"}, "locale", None),
    ],
    ids=repr,
)
def test_api_answers_bad_values_with_a_400_naming_them(client, world, params, field, message):
    if params == "event":
        params = {"index": world.salon.pk}
    elif params == "root":
        params = {"index": world.index.get_parent().pk}
    client.raise_request_exception = False
    response = client.get(API, params)
    assert response.status_code == 400, response.content[:500]
    body = response.json()
    assert body["detail"] and list(body["errors"]) == [field], body
    if message:
        msgid, params = message
        assert body["errors"][field] == [_(msgid) % params]
