"""The occurrences API: windows, DST, overrides, filters, site scope, errors, query counts."""

from __future__ import annotations

from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from zoneinfo import ZoneInfo

import pytest
import recurrence
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Locale, PageViewRestriction

from kokreative_wagtail.events import occurrence_index
from kokreative_wagtail.events.models import EventIndexPage, EventPage, OccurrenceOverride
from kokreative_wagtail.events.occurrences import MAX_WINDOW

from ..factories import ElementFactory, add_page
from ..offers.factories import create_offer, create_offer_index, create_second_site

pytestmark = pytest.mark.django_db

API = "/api/kokreative/v1/occurrences"
BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt_timezone.utc
COP_RULE = "RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH"
OTHER_HOST = "andere-kommune.example"

#: An API list runs at most 5 queries, whatever the number of items.
API_MAX_QUERIES = 5


# --- helpers -----------------------------------------------------------------------------------


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def add_event(index, title, start, end, rule="", *, overrides=(), elements=(), **fields):
    """An event page below ``index``, published through a revision, with its overrides."""
    page = EventPage(
        title=title,
        slug=fields.pop("slug", title.lower().replace(" ", "-")),
        start=start,
        end=end,
        time_zone=fields.pop("time_zone", "Europe/Berlin"),
        recurrence=recurrence.deserialize(rule) if rule else None,
        **fields,
    )
    page.elements = list(elements)
    for override in overrides:
        page.overrides.add(OccurrenceOverride(**override))
    index.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def community_of_practice(index, **kwargs) -> EventPage:
    """The seed's series: every four weeks on Thursdays, 16:30–18:00 Europe/Berlin."""
    start = berlin(2022, 9, 1, 16, 30)
    return add_event(
        index, "Community of Practice", start, start + timedelta(minutes=90), COP_RULE, **kwargs
    )


def infosalon(index, title="Infosalon", **kwargs) -> EventPage:
    """The seed's one-off event: 15 September 2022, 16:30–17:30."""
    return add_event(
        index, title, berlin(2022, 9, 15, 16, 30), berlin(2022, 9, 15, 17, 30), **kwargs
    )


def get(client, params=None, **extra) -> dict:
    response = client.get(API, params or {}, **extra)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def parse(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert moment.tzinfo is not None, value
    return moment


def local(item) -> str:
    return parse(item["start"]).astimezone(BERLIN).strftime("%Y-%m-%d %H:%M")


def summary(data) -> list[tuple[str, str]]:
    return [(item["event"]["title"], local(item)) for item in data["items"]]


SEPTEMBER = {"from": "2022-09-01", "to": "2022-09-30"}


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def event_index(site_root) -> EventIndexPage:
    return add_page(site_root, EventIndexPage, title="Termine", slug="termine")


@pytest.fixture
def seed(event_index, elements):
    culture, space = elements
    offer_index = create_offer_index(event_index.get_parent())
    offer = create_offer(offer_index, title="Community of Practice", slug="cop-angebot")
    cop = community_of_practice(
        event_index,
        elements=[culture, space],
        related_offer=offer,
        location_name="Rathaus",
        location_address="Marktplatz 1",
    )
    salon = infosalon(event_index, elements=[space])
    return cop, salon, offer


# --- good paths --------------------------------------------------------------------------------


def test_seed_series_and_one_off_event_in_september_2022(client, seed, elements):
    cop, salon, offer = seed
    data = get(client, SEPTEMBER)
    assert data["count"] == 3
    assert summary(data) == [
        ("Community of Practice", "2022-09-01 16:30"),
        ("Infosalon", "2022-09-15 16:30"),
        ("Community of Practice", "2022-09-29 16:30"),
    ]
    first = data["items"][0]
    assert first["event"] == {
        "id": cop.pk,
        "title": "Community of Practice",
        "url": cop.url,
        # absolute on the host that answered (kokreative_wagtail.public_urls)
        "full_url": "http://testserver" + cop.url,
    }
    assert first["event"]["url"] == "/termine/community-of-practice/"
    # one date-time form (UTC, Z, whole seconds), the zone for local display
    assert first["start"] == "2022-09-01T14:30:00Z"
    assert first["end"] == "2022-09-01T16:00:00Z"
    assert parse(first["start"]) == berlin(2022, 9, 1, 16, 30)
    assert parse(first["end"]) == berlin(2022, 9, 1, 18, 0)
    assert parse(first["original_start"]) == parse(first["start"])
    assert parse(first["start"]).utcoffset() == timedelta(0)
    assert first["time_zone"] == "Europe/Berlin"
    assert (first["all_day"], first["cancelled"], first["moved"], first["note"]) == (
        False,
        False,
        False,
        "",
    )
    assert (first["location_name"], first["location_address"]) == ("Rathaus", "Marktplatz 1")
    assert first["offer_id"] == offer.pk
    assert [e["slug"] for e in first["elements"]] == [e.slug for e in elements]
    assert first["elements"][0] == {
        "id": elements[0].pk,
        "translation_key": str(elements[0].translation_key),
        "locale": "de",
        "name": "Kultureller Wandel",
        "slug": elements[0].slug,
        "summary": elements[0].summary,
        "colour": "#b5361c",
        "icon": elements[0].icon,
    }
    second = data["items"][1]
    assert second["event"]["id"] == salon.pk
    assert parse(second["end"]) == berlin(2022, 9, 15, 17, 30)
    assert second["offer_id"] is None
    assert [e["slug"] for e in second["elements"]] == [elements[1].slug]


def test_series_keeps_local_time_across_the_dst_switch(client, seed):
    data = get(client, {"from": "2022-10-01", "to": "2022-12-31"})
    assert summary(data) == [
        ("Community of Practice", "2022-10-27 16:30"),
        ("Community of Practice", "2022-11-24 16:30"),
        ("Community of Practice", "2022-12-22 16:30"),
    ]
    starts = [parse(item["start"]).astimezone(UTC) for item in data["items"]]
    assert [s.hour for s in starts] == [14, 15, 15]  # CEST before 30 October, CET after
    ends = [parse(item["end"]).astimezone(BERLIN).strftime("%H:%M") for item in data["items"]]
    assert ends == ["18:00"] * 3


def test_spring_switch_keeps_local_time_too(client, seed):
    data = get(client, {"from": "2023-03-01", "to": "2023-04-30"})
    assert [local(item)[-5:] for item in data["items"]] == ["16:30", "16:30"]
    assert [parse(i["start"]).astimezone(UTC).hour for i in data["items"]] == [15, 14]


def test_cancelled_moved_and_relocated_occurrences(client, event_index):
    cop = community_of_practice(
        event_index,
        location_name="Rathaus",
        overrides=[
            {
                "original_start": berlin(2022, 9, 29, 16, 30),
                "action": "cancel",
                "note": "Fällt wegen Krankheit aus",
            },
            {
                "original_start": berlin(2022, 10, 27, 16, 30),
                "action": "move",
                "new_start": berlin(2022, 10, 28, 10, 0),
                "new_end": berlin(2022, 10, 28, 11, 30),
                "note": "Einen Tag später",
            },
            {
                "original_start": berlin(2022, 11, 24, 16, 30),
                "action": "location",
                "location_name": "Bibliothek",
                "location_address": "Am Markt 2",
            },
        ],
    )
    data = get(client, {"from": "2022-09-01", "to": "2022-11-30"})
    assert summary(data) == [
        ("Community of Practice", "2022-09-01 16:30"),
        ("Community of Practice", "2022-09-29 16:30"),
        ("Community of Practice", "2022-10-28 10:00"),  # moved: once, at its new time
        ("Community of Practice", "2022-11-24 16:30"),
    ]
    plain, cancelled, moved, relocated = data["items"]
    assert not plain["cancelled"] and not plain["moved"]
    assert cancelled["cancelled"] is True and cancelled["note"] == "Fällt wegen Krankheit aus"
    assert cancelled["moved"] is False
    assert moved["moved"] is True and moved["cancelled"] is False
    assert moved["note"] == "Einen Tag später"
    assert parse(moved["end"]) == berlin(2022, 10, 28, 11, 30)
    assert parse(moved["original_start"]) == berlin(2022, 10, 27, 16, 30)
    assert (relocated["location_name"], relocated["location_address"]) == (
        "Bibliothek",
        "Am Markt 2",
    )
    assert plain["location_name"] == "Rathaus"
    assert {item["event"]["id"] for item in data["items"]} == {cop.pk}

    # moved out of a window: gone; moved into one: there, once
    assert get(client, {"from": "2022-10-27", "to": "2022-10-27"})["items"] == []
    data = get(client, {"from": "2022-10-28", "to": "2022-10-28"})
    assert summary(data) == [("Community of Practice", "2022-10-28 10:00")]
    assert data["items"][0]["moved"] is True


def test_default_window_is_now_to_90_days_later(client, event_index):
    soon = timezone.now().astimezone(BERLIN).replace(microsecond=0) + timedelta(days=3)
    add_event(event_index, "Bald", soon, soon + timedelta(hours=1))
    add_event(event_index, "Später", soon + timedelta(days=95), soon + timedelta(days=95, hours=1))
    add_event(event_index, "Vorbei", soon - timedelta(days=10), soon - timedelta(days=10, hours=-1))
    data = get(client)
    assert [item["event"]["title"] for item in data["items"]] == ["Bald"]
    # ``to`` alone: from now on
    data = get(client, {"to": (soon + timedelta(days=100)).date().isoformat()})
    assert [item["event"]["title"] for item in data["items"]] == ["Bald", "Später"]
    # ``from`` alone: 90 days from there
    data = get(client, {"from": (soon - timedelta(days=11)).date().isoformat()})
    assert [item["event"]["title"] for item in data["items"]] == ["Vorbei", "Bald"]


def test_window_bounds_accept_offsets_utc_and_naive_site_time(client, seed):
    def starts(**params):
        return [local(item) for item in get(client, params)["items"]]

    # naive: the site's TIME_ZONE (Europe/Berlin); ``to`` is exclusive
    assert starts(**{"from": "2022-09-01T00:00", "to": "2022-09-01T16:30"}) == []
    assert starts(**{"from": "2022-09-01T00:00", "to": "2022-09-01T16:31"}) == ["2022-09-01 16:30"]
    # an occurrence running at ``from`` overlaps the window
    assert starts(**{"from": "2022-09-01T17:59:00", "to": "2022-09-02"}) == ["2022-09-01 16:30"]
    assert starts(**{"from": "2022-09-01T18:00:00", "to": "2022-09-02"}) == []
    # the same instant with an offset, in UTC, with ``+`` lost to URL decoding
    for value in ("2022-09-01T16:31:00+02:00", "2022-09-01T14:31:00Z", "2022-09-01T16:31+02:00"):
        assert starts(**{"from": "2022-09-01", "to": value}) == ["2022-09-01 16:30"], value
    response = client.get(f"{API}?from=2022-09-01&to=2022-09-01T16:31:00+02:00")
    assert [local(item) for item in response.json()["items"]] == ["2022-09-01 16:30"]
    # a date ``to`` includes that day
    assert starts(**{"from": "2022-09-15", "to": "2022-09-15"}) == ["2022-09-15 16:30"]


def test_limit_cuts_the_items_but_not_the_count(client, seed):
    data = get(client, {**SEPTEMBER, "limit": 1})
    assert data["count"] == 3
    assert summary(data) == [("Community of Practice", "2022-09-01 16:30")]
    data = get(client, {"from": "2022-09-01", "to": "2024-09-01", "limit": 500})
    assert data["count"] == len(data["items"]) == 28  # 27 of the series + the Infosalon


def test_offset_pages_through_the_window_and_count_stays_the_total(client, seed):
    everything = get(client, {"from": "2022-09-01", "to": "2024-09-01", "limit": 500})
    starts = [item["start"] for item in everything["items"]]
    pages = [
        get(client, {"from": "2022-09-01", "to": "2024-09-01", "limit": 10, "offset": offset})
        for offset in (0, 10, 20, 30)
    ]
    assert [page["count"] for page in pages] == [28, 28, 28, 28]
    assert [len(page["items"]) for page in pages] == [10, 10, 8, 0]
    assert [item["start"] for page in pages for item in page["items"]] == starts


def test_window_of_exactly_max_window_is_accepted(client, seed):
    start = datetime(2022, 9, 1, tzinfo=UTC)
    params = {"from": start.isoformat(), "to": (start + MAX_WINDOW).isoformat()}
    assert get(client, params)["count"] > 0


# --- filters -----------------------------------------------------------------------------------


def test_filter_by_element(client, seed, elements):
    culture, space = elements
    data = get(client, {**SEPTEMBER, "element": culture.slug})
    assert {item["event"]["title"] for item in data["items"]} == {"Community of Practice"}
    data = get(client, {**SEPTEMBER, "element": space.slug})
    assert data["count"] == 3
    data = get(client, {**SEPTEMBER, "element": [culture.slug, space.slug]})
    assert data["count"] == 3  # any of them, each occurrence once


def test_filter_by_offer(client, seed):
    cop, salon, offer = seed
    data = get(client, {**SEPTEMBER, "offer": offer.pk})
    assert {item["event"]["id"] for item in data["items"]} == {cop.pk}
    assert data["count"] == 2
    assert get(client, {**SEPTEMBER, "offer": [offer.pk, salon.pk]})["count"] == 2
    assert get(client, {**SEPTEMBER, "offer": 99999999})["items"] == []


def test_filter_by_index(client, seed, site_root, event_index):
    archive = add_page(site_root, EventIndexPage, title="Archiv", slug="archiv")
    old = infosalon(archive, title="Altes Infosalon", slug="altes-infosalon")
    assert get(client, SEPTEMBER)["count"] == 4
    data = get(client, {**SEPTEMBER, "index": archive.pk})
    assert [item["event"]["id"] for item in data["items"]] == [old.pk]
    assert get(client, {**SEPTEMBER, "index": event_index.pk})["count"] == 3


def test_filter_by_locale(client, seed, site_root):
    english = Locale.objects.create(language_code="en")
    en_index = add_page(site_root, EventIndexPage, title="Events", slug="events", locale=english)
    en_element = ElementFactory(name="Cultural change", locale=english)
    en_salon = infosalon(en_index, title="Info salon", slug="info-salon", locale=english)
    en_salon.elements = [en_element]
    en_salon.save_revision().publish()

    assert get(client, SEPTEMBER)["count"] == 3  # the active language (de)
    data = get(client, {**SEPTEMBER, "locale": "en"})
    assert [item["event"]["id"] for item in data["items"]] == [en_salon.pk]
    assert get(client, {**SEPTEMBER, "locale": "DE"})["count"] == 3
    # element slugs are looked up in the requested language
    data = get(client, {**SEPTEMBER, "locale": "en", "element": en_element.slug})
    assert data["count"] == 1 and data["items"][0]["elements"][0]["locale"] == "en"
    response = client.get(API, {**SEPTEMBER, "element": en_element.slug})
    assert response.status_code == 400 and "element" in response.json()["errors"]


@override_settings(ALLOWED_HOSTS=["testserver", "localhost", OTHER_HOST])
def test_only_the_requesting_sites_events(client, seed):
    _site, other_root = create_second_site(OTHER_HOST)
    other_index = add_page(other_root, EventIndexPage, title="Termine", slug="termine")
    foreign = infosalon(other_index, title="Fremder Salon", slug="fremder-salon")

    mine = get(client, SEPTEMBER)
    assert foreign.pk not in {item["event"]["id"] for item in mine["items"]}
    assert mine["count"] == 3
    theirs = get(client, SEPTEMBER, HTTP_HOST=OTHER_HOST)
    assert [item["event"]["id"] for item in theirs["items"]] == [foreign.pk]
    assert theirs["items"][0]["event"]["url"] == "/termine/fremder-salon/"
    # another site's index does not reach its events
    response = client.get(API, {**SEPTEMBER, "index": other_index.pk})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.json()["items"] == []


def test_drafts_unpublished_and_private_events_are_not_listed(client, seed, event_index):
    draft = EventPage(
        title="Entwurf",
        slug="entwurf",
        start=berlin(2022, 9, 8, 10),
        end=berlin(2022, 9, 8, 11),
        live=False,
    )
    event_index.add_child(instance=draft)
    draft.save_revision()
    unpublished = infosalon(event_index, title="Zurückgezogen", slug="zurueckgezogen")
    unpublished.unpublish()
    private = infosalon(event_index, title="Intern", slug="intern")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    login_only = infosalon(event_index, title="Nur Angemeldete", slug="nur-angemeldete")
    PageViewRestriction.objects.create(page=login_only, restriction_type=PageViewRestriction.LOGIN)

    data = get(client, SEPTEMBER)
    assert {item["event"]["title"] for item in data["items"]} == {
        "Community of Practice",
        "Infosalon",
    }
    # a private index hides everything below it
    PageViewRestriction.objects.create(
        page=event_index, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    assert get(client, SEPTEMBER)["items"] == []


# --- bad input ---------------------------------------------------------------------------------

BAD_INPUT = [
    ({"from": "garbage"}, "from"),
    ({"from": "2022-13-01"}, "from"),
    ({"from": "2022-02-30"}, "from"),
    ({"from": "x" * 100}, "from"),
    ({"to": "garbage"}, "to"),
    ({"to": "2022-09-01T25:00"}, "to"),
    ({"from": "2022-09-30", "to": "2022-09-01"}, "to"),
    ({"from": "2022-09-01T10:00Z", "to": "2022-09-01T10:00Z"}, "to"),  # empty window
    ({"from": "2022-09-01", "to": "2025-09-01"}, "to"),  # longer than MAX_WINDOW
    ({"from": "9999-12-31"}, "from"),
    ({"from": "0001-01-01", "to": "0001-02-01"}, "from"),
    ({"element": "nope"}, "element"),
    ({"element": ["kultureller-wandel", "nope"]}, "element"),
    ({"offer": "abc"}, "offer"),
    ({"offer": ["1", "abc"]}, "offer"),
    ({"limit": 0}, "limit"),
    ({"limit": 10000}, "limit"),
    ({"limit": "abc"}, "limit"),
    ({"offset": -1}, "offset"),
    ({"offset": 2**31}, "offset"),
    ({"offset": "abc"}, "offset"),
    ({"ofset": 1}, "ofset"),  # an unknown parameter is named, never ignored
    ({"page": 2}, "page"),
    ({"index": "abc"}, "index"),
    ({"index": 99999999}, "index"),
    ({"locale": "xx"}, "locale"),
    ({"locale": "x" * 21}, "locale"),
]


@pytest.mark.parametrize(("params", "field"), BAD_INPUT, ids=[repr(p) for p, _f in BAD_INPUT])
def test_bad_input_is_a_400_naming_the_parameter(client, seed, params, field):
    client.raise_request_exception = False
    response = client.get(API, params)
    assert response.status_code == 400, (params, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert field in body["errors"], body
    assert body["errors"][field] and all(isinstance(m, str) for m in body["errors"][field])


def test_index_must_be_an_event_index(client, seed, site_root):
    cop, _salon, _offer = seed
    for page in (site_root, cop):
        response = client.get(API, {**SEPTEMBER, "index": page.pk})
        assert response.status_code == 400
        assert "index" in response.json()["errors"]


def test_window_error_names_to_and_max_window(client, seed):
    start = datetime(2022, 9, 1, tzinfo=UTC)
    too_long = start + MAX_WINDOW + timedelta(seconds=1)
    response = client.get(API, {"from": start.isoformat(), "to": too_long.isoformat()})
    assert response.status_code == 400
    assert str(MAX_WINDOW.days) in response.json()["errors"]["to"][0]


@pytest.mark.parametrize(
    "query",
    [
        "from=%00",
        "from=2022-09-01T10:00:00%2B99:00",
        "from=2022-W35-4",
        "from=1663243200",
        "to=9999-12-31&from=9999-12-01",
        "from=&to=",
        "element=",
        "offer=",
        "limit=",
        "index=-1",
        "from=2022-09-01T10:00:00.123456789Z",
        "locale=",
        "from=9998-12-01&to=9998-12-31",
        "from=0002-01-01&to=0002-12-31",
    ],
)
def test_odd_input_never_gives_a_500(client, seed, query):
    client.raise_request_exception = False
    response = client.get(f"{API}?{query}")
    assert response.status_code in (200, 400), (query, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    if response.status_code == 400:
        assert response.json()["errors"], query


def test_several_bad_parameters_are_all_named(client, seed):
    response = client.get(API, {"offer": "abc", "limit": 0, "index": "x"})
    assert response.status_code == 400
    assert {"offer", "limit", "index"} <= set(response.json()["errors"])


# --- OpenAPI -----------------------------------------------------------------------------------


def test_occurrences_are_described_in_the_openapi_schema(client, db):
    schema = client.get("/api/kokreative/v1/openapi.json").json()
    operation = schema["paths"]["/api/kokreative/v1/occurrences"]["get"]
    assert operation["operationId"] == "list_occurrences"
    assert operation["tags"] == ["events"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names == {
        "from",
        "to",
        "element",
        "offer",
        "index",
        "locale",
        "limit",
        "offset",
        "cursor",
    }
    assert {"200", "400"} <= set(operation["responses"])
    assert "ErrorSchema" in str(operation["responses"]["400"])
    components = schema["components"]["schemas"]
    item = components["OccurrenceSchema"]["properties"]
    assert set(item) == {
        "event",
        "start",
        "end",
        "time_zone",
        "all_day",
        "cancelled",
        "moved",
        "note",
        "location_name",
        "location_address",
        "original_start",
        "elements",
        "offer_id",
    }
    assert item["start"]["format"] == "date-time"
    assert "OccurrenceListSchema" in components


# --- query counts ------------------------------------------------------------------------------


def build_series(
    index, count: int, elements, offer, first: int = 0, also: datetime | None = None
) -> list[EventPage]:
    """``count`` live series below ``index`` (no revisions), each with two overrides (and two
    more from the date ``also`` on), written to the occurrence index as the daily extension
    would (the overrides bypass ``save()``)."""
    start = berlin(2022, 9, 1, 16, 30)
    pages = []
    for number in range(first, first + count):
        page = EventPage(
            title=f"Reihe {number:03d}",
            slug=f"reihe-{number:03d}",
            start=start,
            end=start + timedelta(minutes=90),
            recurrence=recurrence.deserialize(COP_RULE),
            related_offer=offer,
            live=True,
        )
        index.add_child(instance=page)
        pages.append(page)
    OccurrenceOverride.objects.bulk_create(
        [
            override
            for base in (start, also)
            if base is not None
            for page in pages
            for override in (
                OccurrenceOverride(
                    page=page,
                    locale_id=page.locale_id,  # bulk_create skips the signal that sets it
                    original_start=base + timedelta(weeks=4),
                    action="cancel",
                ),
                OccurrenceOverride(
                    page=page,
                    locale_id=page.locale_id,
                    original_start=base + timedelta(weeks=8),
                    action="move",
                    new_start=base + timedelta(weeks=8, days=1),
                ),
            )
        ]
    )
    through = EventPage._meta.get_field("elements").remote_field.through
    through.objects.bulk_create(
        [through(eventpage=page, element=element) for page in pages for element in elements]
    )
    occurrence_index.extend()
    return pages


def occurrences_query_count(client, django_assert_max_num_queries, params) -> tuple[int, dict]:
    assert client.get(API, params).status_code == 200  # warm Wagtail's site root path cache
    with django_assert_max_num_queries(API_MAX_QUERIES) as captured:
        data = get(client, params)
    return len(captured.captured_queries), data


def test_query_count_is_constant_in_the_number_of_series(
    client, event_index, elements, django_assert_max_num_queries
):
    """Computed (a window of 2022, before the index's horizon) and from the stored index (the
    coming year), plain and with every filter: the same constant count of queries at 5 and at
    200 series, and the exact ``count``. One set of series for all four (built once: it is
    the costly part)."""
    offer = create_offer(create_offer_index(event_index.get_parent()), title="Angebot")
    start = berlin(2022, 9, 1, 16, 30)
    periods = (timezone.now() - start) // timedelta(weeks=4) + 1
    upcoming = start + timedelta(weeks=4 * periods)  # the series' first date from now on
    filters = {"element": elements[0].slug, "offer": offer.pk, "index": event_index.pk}

    def params(first: datetime, filtered: bool) -> dict:
        query = {
            "from": (first - timedelta(days=1)).date().isoformat(),
            "to": (first + timedelta(days=363)).date().isoformat(),
            "limit": 500,
            "offset": 1,  # a later page: the count is a query of its own
        }
        return {**query, **filters, "locale": "de"} if filtered else query

    counts = {}
    for total, size in ((5, 5), (200, 195)):
        build_series(event_index, size, elements, offer, first=total - size, also=upcoming)
        for way, first in (("computed", start), ("indexed", upcoming)):
            for filtered in (False, True):
                count, data = occurrences_query_count(
                    client, django_assert_max_num_queries, params(first, filtered)
                )
                counts[way, filtered, total] = count
                assert data["count"] == total * 13, (way, filtered)
                assert any(item["cancelled"] for item in data["items"]), (way, filtered)
                assert any(item["moved"] for item in data["items"]), (way, filtered)
                assert all(len(item["elements"]) == 2 for item in data["items"])
    print(f"occurrences API queries: {counts}")
    for way, filtered, _total in counts:
        assert counts[way, filtered, 5] == counts[way, filtered, 200], (way, filtered)


# --- found faults in series.py (not fixed here; see the reasons) --------------------------------


def moved_cop(index, new_end):
    return community_of_practice(
        index,
        overrides=[
            {
                "original_start": berlin(2022, 10, 27, 16, 30),
                "action": "move",
                "new_start": berlin(2022, 10, 28, 10, 0),
                "new_end": new_end,
            }
        ],
    )


def test_occurrence_moved_in_and_ending_at_the_window_start_is_not_listed(client, event_index):
    moved_cop(event_index, berlin(2022, 10, 28, 11, 30))
    data = get(client, {"from": "2022-10-28T11:30", "to": "2022-10-29"})
    assert data["items"] == []


def test_occurrence_moved_in_without_new_end_running_at_the_window_start_is_listed(
    client, event_index
):
    moved_cop(event_index, None)  # 10:00, and the series' 90 minutes: until 11:30
    data = get(client, {"from": "2022-10-28T11:00", "to": "2022-10-29"})
    assert [local(item) for item in data["items"]] == ["2022-10-28 10:00"]
    assert parse(data["items"][0]["end"]) == berlin(2022, 10, 28, 11, 30)


@pytest.mark.parametrize(
    "note, place, address, offer",
    [
        ("", "Rathaus", "Marktplatz 1", None),
        ('Sagt "Hallo" \\ und\nTschüss 🎉 \u2028 </script>', "Saal \t B", None, 7),
    ],
)
def test_the_written_json_of_an_occurrence_equals_its_representation(note, place, address, offer):
    """``GET occurrences`` writes its items as text (``occurrence_json``): the same JSON as
    ``occurrence_representation``, whatever the strings hold and whatever zone a date is in."""
    import json
    from types import SimpleNamespace

    from kokreative_wagtail.events.serializers import (
        occurrence_json,
        occurrence_representation,
        shared_json,
    )

    shared = {
        "event": {"id": 3, "title": 'Café „Zukunft“ "x"', "url": "/t/c/", "full_url": None},
        "time_zone": "Europe/Berlin",
        "elements": [{"id": 1, "name": "Raum", "slug": "raum"}],
        "offer_id": offer,
    }
    berlin = ZoneInfo("Europe/Berlin")
    for start in (
        datetime(2027, 3, 28, 0, 30, 15, 999999, tzinfo=dt_timezone.utc),
        datetime(2027, 10, 31, 2, 30, tzinfo=berlin),
    ):
        item = SimpleNamespace(
            event=SimpleNamespace(pk=3),
            start=start,
            end=start + timedelta(hours=2),
            original_start=start - timedelta(days=1),
            all_day=False,
            cancelled=True,
            moved=bool(offer),
            note=note,
            location_name=place,
            location_address=address,
        )
        expected = occurrence_representation(item, None, {3: shared})
        assert json.loads(occurrence_json(item, shared_json(shared))) == expected
        assert list(json.loads(occurrence_json(item, shared_json(shared)))) == list(expected)
