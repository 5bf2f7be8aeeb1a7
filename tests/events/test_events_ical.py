"""iCalendar export of events: checked against the independent ``recurring_ical_events``."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurrence
import recurring_ical_events
from django.test import Client
from wagtail.models import PageViewRestriction

from kokreative_wagtail.events import ical
from kokreative_wagtail.events.choices import OverrideAction
from kokreative_wagtail.events.feeds import page_host
from kokreative_wagtail.events.models import EventIndexPage, EventPage, OccurrenceOverride

from ..factories import add_page

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
UTC = timezone.utc

WINDOW = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def event_uid(page) -> str:
    return ical.event_uid(page, page_host(page))


# --- builders ------------------------------------------------------------------------------


@pytest.fixture
def index(site_root):
    return add_page(site_root, EventIndexPage, title="Veranstaltungen", slug="veranstaltungen")


def add_event(parent, title, start, end, rule="", zone="Europe/Berlin", overrides=(), **fields):
    fields.setdefault("slug", title.lower().replace(" ", "-"))
    return add_page(
        parent,
        EventPage,
        title=title,
        start=start,
        end=end,
        time_zone=zone,
        recurrence=recurrence.deserialize(rule) if rule else None,
        overrides=list(overrides),
        **fields,
    )


CANCELLED = berlin(2026, 3, 5, 16, 30)
MOVED_FROM = berlin(2026, 4, 2, 16, 30)
MOVED_TO = berlin(2026, 4, 9, 17, 0)
RELOCATED = berlin(2026, 6, 25, 16, 30)


@pytest.fixture
def cop(index):
    """The seed's series: every four weeks on Thursday 16:30–18:00 Europe/Berlin."""
    return add_event(
        index,
        "Community of Practice",
        berlin(2026, 1, 8, 16, 30),
        berlin(2026, 1, 8, 18, 0),
        "RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH",
        teaser="Austausch der Kommunen.",
        location_name="Rathaus",
        location_address="Marktplatz 1\n12345 Musterstadt",
        overrides=[
            OccurrenceOverride(original_start=CANCELLED, action=OverrideAction.CANCEL),
            OccurrenceOverride(
                original_start=MOVED_FROM,
                action=OverrideAction.MOVE,
                new_start=MOVED_TO,
                new_end=MOVED_TO + timedelta(minutes=90),
                note="Eine Woche später.",
            ),
            OccurrenceOverride(
                original_start=RELOCATED,
                action=OverrideAction.LOCATION,
                location_name="Bibliothek",
            ),
        ],
    )


@pytest.fixture
def infosalon(index):
    return add_event(
        index,
        "Infosalon September 2022",
        berlin(2022, 9, 15, 16, 30),
        berlin(2022, 9, 15, 17, 30),
        slug="infosalon-september-2022",
    )


def get(path):
    return Client().get(path)


def fetch(url):
    response = get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response


def parse(response) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(response.content)


def vevents(calendar, uid=None):
    return [e for e in calendar.walk("VEVENT") if uid is None or str(e["UID"]) == uid]


def ics_occurrences(calendar, uid, window=WINDOW):
    """(start, end) in UTC of the non-cancelled instances, as recurring_ical_events expands."""
    result = set()
    for item in recurring_ical_events.of(calendar).between(*window):
        if str(item["UID"]) != uid or str(item.get("STATUS", "")) == "CANCELLED":
            continue
        result.add((item.start.astimezone(UTC), item.end.astimezone(UTC)))
    return result


def our_occurrences(page, window=WINDOW):
    page = EventPage.objects.get(pk=page.pk)
    return {
        (o.start.astimezone(UTC), o.end.astimezone(UTC))
        for o in page.get_occurrences(*window)
        if not o.cancelled
    }


# --- responses -----------------------------------------------------------------------------


def test_feed_has_both_seed_events_and_berlin_vtimezone(client, index, cop, infosalon):
    response = fetch(index.url + "feed.ics")
    assert 'filename="veranstaltungen.ics"' in response["Content-Disposition"]
    calendar = parse(response)
    assert str(calendar["VERSION"]) == "2.0"
    assert "kokreative" in str(calendar["PRODID"])
    assert str(calendar["X-WR-CALNAME"]) == "Veranstaltungen"
    assert {tz.tz_name for tz in calendar.timezones} == {"Europe/Berlin"}
    assert calendar.get_missing_tzids() == set()
    masters = [e for e in vevents(calendar) if "RECURRENCE-ID" not in e]
    assert {str(e["SUMMARY"]) for e in masters} == {
        "Community of Practice",
        "Infosalon September 2022",
    }
    salon = next(e for e in masters if str(e["SUMMARY"]).startswith("Infosalon"))
    assert "RRULE" not in salon
    assert salon.start == berlin(2022, 9, 15, 16, 30)
    assert salon.end == berlin(2022, 9, 15, 17, 30)
    assert salon["DTSTART"].params["TZID"] == "Europe/Berlin"


def test_event_ics_of_the_series(client, cop):
    response = fetch(cop.url + "event.ics")
    assert 'filename="community-of-practice.ics"' in response["Content-Disposition"]
    calendar = parse(response)
    uid = event_uid(cop)
    components = vevents(calendar)
    assert {str(e["UID"]) for e in components} == {uid}
    master = next(e for e in components if "RECURRENCE-ID" not in e)
    assert master["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert master["DTSTART"].dt == berlin(2026, 1, 8, 16, 30)
    assert master["RRULE"]["FREQ"] == ["WEEKLY"]
    assert master["RRULE"]["INTERVAL"] == [4]
    assert master["RRULE"]["BYDAY"] == ["TH"]
    assert str(master["LOCATION"]) == "Rathaus, Marktplatz 1, 12345 Musterstadt"
    assert str(master["DESCRIPTION"]) == "Austausch der Kommunen."
    assert str(master["URL"]).endswith(cop.url)
    assert master["DTSTAMP"].dt == cop.last_published_at.replace(microsecond=0)
    # cancelled → EXDATE at the original start
    exdates = [d.dt for prop in _as_list(master["EXDATE"]) for d in prop.dts]
    assert exdates == [CANCELLED]
    # moved → one RECURRENCE-ID component with the new times
    children = {e["RECURRENCE-ID"].dt: e for e in components if "RECURRENCE-ID" in e}
    assert set(children) == {MOVED_FROM, RELOCATED}
    moved = children[MOVED_FROM]
    assert moved["RECURRENCE-ID"].params["TZID"] == "Europe/Berlin"
    assert moved.start == MOVED_TO
    assert moved.end == MOVED_TO + timedelta(minutes=90)
    assert "Eine Woche später." in str(moved["DESCRIPTION"])
    relocated = children[RELOCATED]
    assert relocated.start == RELOCATED
    assert str(relocated["LOCATION"]) == "Bibliothek, Marktplatz 1, 12345 Musterstadt"


def _as_list(value):
    return value if isinstance(value, list) else [value]


def test_output_and_uids_are_stable(client, index, cop, infosalon):
    first = fetch(index.url + "feed.ics").content
    second = fetch(index.url + "feed.ics").content
    assert first == second  # deterministic: no now() in DTSTAMP
    uids = {str(e["UID"]) for e in vevents(icalendar.Calendar.from_ical(first))}
    page = EventPage.objects.get(pk=cop.pk)
    page.teaser = "Neu formuliert."
    page.save_revision().publish()
    third = fetch(index.url + "feed.ics").content
    assert third != first
    assert {str(e["UID"]) for e in vevents(icalendar.Calendar.from_ical(third))} == uids
    assert event_uid(cop).startswith(f"kokreative-event-{cop.translation_key}")
    event = fetch(cop.url + "event.ics")
    assert {str(e["UID"]) for e in vevents(parse(event))} == {event_uid(cop)}


# --- the key test: the file means what our module computes ---------------------------------


def test_series_expands_like_our_occurrences_across_dst(client, index, cop):
    calendar = parse(fetch(index.url + "feed.ics"))
    theirs = ics_occurrences(calendar, event_uid(cop))
    ours = our_occurrences(cop)
    assert theirs == ours
    assert len(ours) == 12  # 13 Thursdays in 2026, one cancelled, one moved
    local_starts = {start.astimezone(BERLIN) for start, _ in ours}
    assert {s.strftime("%H:%M") for s in local_starts - {MOVED_TO}} == {"16:30"}
    assert {start.hour for start, _ in ours} == {14, 15}  # CEST and CET in UTC
    assert MOVED_TO in local_starts
    assert MOVED_FROM not in local_starts and CANCELLED not in local_starts
    # before and after both switches (29 March, 25 October 2026)
    assert berlin(2026, 2, 5, 16, 30) in local_starts
    assert berlin(2026, 4, 30, 16, 30) in local_starts
    assert berlin(2026, 11, 12, 16, 30) in local_starts


def test_until_is_written_in_utc(client, index):
    page = add_event(
        index,
        "Bis zum Sommer",
        berlin(2026, 1, 8, 16, 30),
        berlin(2026, 1, 8, 18, 0),
        "RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH;UNTIL=20260723T163000",  # naive: Berlin
    )
    response = fetch(page.url + "event.ics")
    assert b"UNTIL=20260723T143000Z" in response.content
    calendar = parse(response)
    (master,) = vevents(calendar)
    until = master["RRULE"]["UNTIL"][0]
    assert until.utcoffset() == timedelta(0)
    theirs = ics_occurrences(calendar, event_uid(page))
    assert theirs == our_occurrences(page)
    assert max(theirs)[0] == berlin(2026, 7, 23, 16, 30)  # UNTIL is inclusive


def test_exdates_at_the_start_and_for_the_whole_day(client, index):
    page = add_event(
        index,
        "Mit Ausnahmen",
        berlin(2026, 1, 8, 16, 30),
        berlin(2026, 1, 8, 18, 0),
        "RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH\n"
        "EXDATE:20260205T153000Z\n"  # exact start of 5 Feb
        "EXDATE:20260305\n"  # the whole day (local midnight)
        "EXDATE:20260402T100000Z\n"  # no occurrence starts then: removes nothing
        "RDATE:20260212T153000Z",
    )
    calendar = parse(fetch(page.url + "event.ics"))
    theirs = ics_occurrences(calendar, event_uid(page))
    ours = our_occurrences(page)
    assert theirs == ours
    starts = {s.astimezone(BERLIN) for s, _ in ours}
    assert berlin(2026, 2, 5, 16, 30) not in starts
    assert berlin(2026, 3, 5, 16, 30) not in starts
    assert berlin(2026, 4, 2, 16, 30) in starts
    assert berlin(2026, 2, 12, 16, 30) in starts  # RDATE
    (master,) = vevents(calendar)
    exdates = {d.dt for prop in _as_list(master["EXDATE"]) for d in prop.dts}
    # the day-wide EXDATE is written at the occurrence's local start of that day
    assert berlin(2026, 3, 5, 16, 30) in exdates


def test_count_counts_before_exdates(client, index):
    page = add_event(
        index,
        "Fünf Termine",
        berlin(2026, 3, 12, 10, 0),
        berlin(2026, 3, 12, 12, 0),
        "RRULE:FREQ=WEEKLY;COUNT=5\nEXDATE:20260319T090000Z",
        slug="fuenf-termine",
    )
    calendar = parse(fetch(page.url + "event.ics"))
    theirs = ics_occurrences(calendar, event_uid(page))
    assert theirs == our_occurrences(page)
    # DTSTART counts: 12, (19 excluded), 26 March, 2, 9 April — COUNT=5 over the rule
    assert len(theirs) == 4
    assert {s.astimezone(BERLIN).hour for s, _ in theirs} == {10}


def test_all_day_event(client, index):
    page = add_event(
        index,
        "Aktionstag",
        berlin(2026, 3, 28, 0, 0),
        berlin(2026, 3, 28, 0, 0),
        "RRULE:FREQ=WEEKLY;COUNT=3",
        all_day=True,
    )
    response = fetch(page.url + "event.ics")
    assert b"DTSTART;VALUE=DATE:20260328" in response.content
    assert b"DTEND;VALUE=DATE:20260329" in response.content
    calendar = parse(response)
    days = {
        item.start
        for item in recurring_ical_events.of(calendar).between(date(2026, 1, 1), date(2027, 1, 1))
    }
    ours = EventPage.objects.get(pk=page.pk).get_occurrences(*WINDOW)
    assert all(o.all_day for o in ours)
    assert days == {o.start.astimezone(BERLIN).date() for o in ours}
    assert days == {date(2026, 3, 28), date(2026, 4, 4), date(2026, 4, 11)}


def test_event_in_another_zone(client, index, cop):
    page = add_event(
        index,
        "Town Hall",
        datetime(2026, 1, 6, 19, 0, tzinfo=NEW_YORK),
        datetime(2026, 1, 6, 20, 30, tzinfo=NEW_YORK),
        "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
        zone="America/New_York",
    )
    calendar = parse(fetch(index.url + "feed.ics"))
    assert {tz.tz_name for tz in calendar.timezones} == {"Europe/Berlin", "America/New_York"}
    (master,) = vevents(calendar, event_uid(page))
    assert master["DTSTART"].params["TZID"] == "America/New_York"
    theirs = ics_occurrences(calendar, event_uid(page))
    assert theirs == our_occurrences(page)
    assert {s.astimezone(NEW_YORK).strftime("%H:%M") for s, _ in theirs} == {"19:00"}
    assert {s.hour for s, _ in theirs} == {0, 23}  # EST and EDT in UTC (next day 00:00)
    assert ics_occurrences(calendar, event_uid(cop)) == our_occurrences(cop)


def test_an_invalid_rule_leaves_the_event_out_like_the_listings(client, index, cop):
    page = add_event(
        index,
        "Intervall null",
        berlin(2026, 1, 8, 16, 30),
        berlin(2026, 1, 8, 18, 0),
    )
    # readable, but django-recurrence cannot serialize it: written past the model
    EventPage.objects.filter(pk=page.pk).update(recurrence="RRULE:FREQ=WEEKLY;INTERVAL=0")
    response = client.get(page.url + "event.ics")
    assert response.status_code == 200
    assert vevents(parse(response)) == []  # never INTERVAL=0 in a file
    assert our_occurrences(page) == set()
    # the index feed leaves it out and still has the sound series
    feed = parse(fetch(index.url + "feed.ics"))
    assert {str(v["summary"]) for v in vevents(feed)} == {cop.title}  # with its moved date


def test_single_event_overrides_change_the_vevent(index):
    page = add_event(
        index,
        "Einmalig",
        berlin(2026, 5, 7, 16, 30),
        berlin(2026, 5, 7, 18, 0),
        overrides=[
            OccurrenceOverride(
                original_start=berlin(2026, 5, 7, 16, 30),
                action=OverrideAction.MOVE,
                new_start=berlin(2026, 5, 8, 10, 0),
            )
        ],
    )
    page = EventPage.objects.get(pk=page.pk)
    calendar = ical.build_calendar([page], "x", host=page_host(page))
    (vevent,) = vevents(calendar)
    assert "RECURRENCE-ID" not in vevent
    assert vevent.start == berlin(2026, 5, 8, 10, 0)
    assert vevent.end == berlin(2026, 5, 8, 11, 30)
    assert ics_occurrences(calendar, event_uid(page)) == our_occurrences(page)


# --- visibility and robustness -------------------------------------------------------------


def test_drafts_and_private_events_are_not_in_the_feed(client, index, cop):
    draft = EventPage(
        title="Entwurf",
        slug="entwurf",
        start=berlin(2026, 2, 1, 10),
        end=berlin(2026, 2, 1, 11),
        live=False,
    )
    index.add_child(instance=draft)
    private = add_event(index, "Privat", berlin(2026, 2, 2, 10), berlin(2026, 2, 2, 11))
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    calendar = parse(fetch(index.url + "feed.ics"))
    summaries = {str(e["SUMMARY"]) for e in vevents(calendar)}
    assert summaries == {"Community of Practice"}
    assert get(private.url + "event.ics").status_code == 404
    assert get(index.url + "entwurf/event.ics").status_code == 404


def test_login_restricted_section_is_served_to_logged_in_users_only(
    client, index, cop, django_user_model
):
    PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)
    assert get(index.url + "feed.ics").status_code == 404
    assert get(cop.url + "event.ics").status_code == 404
    client.force_login(django_user_model.objects.create_user("member", password="pw"))
    assert client.get(index.url + "feed.ics").status_code == 200
    response = client.get(cop.url + "event.ics")
    assert response.status_code == 200
    assert b"Community of Practice" in response.content


def test_feed_of_another_type_or_unknown_path_is_404(client, index, cop):
    assert get(cop.url + "feed.ics").status_code == 404  # an event page has no feed
    assert get(index.url + "event.ics").status_code == 404  # an index is no event
    assert get("/gibt-es-nicht/feed.ics").status_code == 404


def test_unpublished_event_ics_is_404(client, index, cop):
    url = cop.url + "event.ics"
    cop.unpublish()
    assert get(url).status_code == 404
    assert b"Community" not in get(index.url + "feed.ics").content


def test_garbage_recurrence_feed_still_answers(client, index, cop):
    EventPage.objects.filter(pk=cop.pk).update(recurrence="garbage")
    response = fetch(index.url + "feed.ics")
    # left out (as the listings leave it out), never guessed as a single date
    assert vevents(parse(response)) == []


def test_garbage_recurrence_event_ics_still_answers(client, index, cop):
    EventPage.objects.filter(pk=cop.pk).update(recurrence="garbage")
    response = client.get(cop.url + "event.ics")
    assert response.status_code == 200
    assert vevents(parse(response)) == []


# --- the fast writer against the plain icalendar way ---------------------------------------

#: Text with what TEXT escapes (comma, semicolon, backslash, line break), umlauts and emoji,
#: long enough to be folded several times.
TRICKY = (
    "Straßenfest 🎉 – Planung für Groß und Klein; Stände, Bühne \\ Technik.\n"
    "Zweite Zeile: Anmeldung bis Freitag, Rückfragen an Jürgen 😀 (Öffentlichkeitsarbeit)."
)


def reference_vevent(page, host, *, start, end, description=None, location=None, **extra):
    """One VEVENT set up with ``Component.add()``, as the feed must contain it."""
    stamp = page.last_published_at
    vevent = icalendar.Event()
    vevent.add("uid", ical.event_uid(page, host))
    vevent.add("dtstamp", stamp)
    vevent.add("last-modified", stamp)
    vevent.add("summary", page.title)
    vevent.add("dtstart", start)
    vevent.add("dtend", end)
    if description is not None:
        vevent.add("description", description)
    if location is not None:
        vevent.add("location", location)
    vevent.add("url", page.full_url)
    for name, value in extra.items():
        vevent.add(name.replace("_", "-"), value)
    return vevent


def properties(component) -> list:
    """A component's properties as comparable values: name, parameters, value."""
    return sorted(
        (name, sorted(value.params.items()), value.to_ical())
        for name, value in component.property_items(recursive=False)
        if name not in ("BEGIN", "END")
    )


def components_by_key(calendar) -> dict:
    result = {}
    for component in calendar.subcomponents:
        if component.name == "VTIMEZONE":
            key = ("VTIMEZONE", str(component["TZID"]))
        else:
            recurrence_id = component.get("RECURRENCE-ID")
            key = (str(component["UID"]), recurrence_id.to_ical() if recurrence_id else None)
        assert key not in result
        result[key] = component
    return result


def assert_same_calendar(written: bytes, reference: icalendar.Calendar) -> None:
    ours = icalendar.Calendar.from_ical(written)
    theirs = icalendar.Calendar.from_ical(reference.to_ical())
    assert properties(ours) == properties(theirs)
    ours_components, their_components = components_by_key(ours), components_by_key(theirs)
    # icalendar 7.0's add_missing_timezones() also defines UTC, which RFC 5545 never needs
    # (UTC times end in Z); later versions leave it out, as we do
    their_components.pop(("VTIMEZONE", "UTC"), None)
    assert ours_components.keys() == their_components.keys()
    for key, component in their_components.items():
        assert properties(ours_components[key]) == properties(component), key
        assert ours_components[key].subcomponents == component.subcomponents, key


def assert_folded_per_rfc(written: bytes) -> None:
    physical = written.split(b"\r\n")
    assert physical[-1] == b""
    for raw in physical[:-1]:
        assert len(raw) <= 75, raw
        raw.decode("utf-8")  # never a character split across lines
    assert any(raw.startswith(b" ") for raw in physical)  # something was folded


@pytest.fixture
def tricky_feed(index):
    """A series with a cancelled, a moved and a relocated date, all-day events and a single
    cancelled event, with text that needs escaping and folding."""
    series = add_event(
        index,
        "Straßenfest 🎉; Vorbereitungstreffen, Teil 2 \\ Ü-Wagen und was sonst noch zu klären ist",
        berlin(2026, 1, 8, 16, 30),
        berlin(2026, 1, 8, 18, 0),
        "RRULE:FREQ=WEEKLY;BYDAY=TH\nEXDATE:20260205T153000Z",
        slug="strassenfest",
        teaser=TRICKY,
        location_name="Rathaus, Großer Saal; Raum \\ 2",
        location_address="Marktplatz 1\n12345 Musterstadt",
        overrides=[
            OccurrenceOverride(
                original_start=berlin(2026, 1, 15, 16, 30), action=OverrideAction.CANCEL
            ),
            OccurrenceOverride(
                original_start=berlin(2026, 1, 22, 16, 30),
                action=OverrideAction.MOVE,
                new_start=berlin(2026, 1, 23, 10, 0),
                note="Einen Tag später – wegen Glätte ❄️, bitte weitersagen; danke!",
            ),
            OccurrenceOverride(
                original_start=berlin(2026, 1, 29, 16, 30),
                action=OverrideAction.LOCATION,
                location_name="Bibliothek; Lesesaal",
            ),
        ],
    )
    day = add_event(index, "Aktionstag", berlin(2026, 3, 28), berlin(2026, 3, 28), all_day=True)
    days = add_event(
        index,
        "Markttage",
        berlin(2026, 4, 4),
        berlin(2026, 4, 4),
        "RRULE:FREQ=WEEKLY;COUNT=4;BYDAY=SA",
        all_day=True,
        overrides=[OccurrenceOverride(original_start=berlin(2026, 4, 11), action="cancel")],
    )
    talk = add_event(
        index,
        "Vortrag",
        berlin(2026, 5, 7, 19),
        berlin(2026, 5, 7, 20, 30),
        teaser="Mit Aussprache.",
        overrides=[
            OccurrenceOverride(
                original_start=berlin(2026, 5, 7, 19), action="cancel", note="Fällt aus."
            )
        ],
    )
    return [EventPage.objects.get(pk=page.pk) for page in (series, day, days, talk)]


def tricky_reference(pages, name: str, host: str) -> icalendar.Calendar:
    series, day, days, talk = pages
    location = "Rathaus, Großer Saal; Raum \\ 2, Marktplatz 1, 12345 Musterstadt"
    calendar = icalendar.Calendar()
    calendar.add("prodid", ical.PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    for vevent in [
        reference_vevent(
            series,
            host,
            start=berlin(2026, 1, 8, 16, 30),
            end=berlin(2026, 1, 8, 18, 0),
            description=TRICKY,
            location=location,
            rrule={"FREQ": "WEEKLY", "BYDAY": ["TH"]},
            exdate=[berlin(2026, 1, 15, 16, 30), berlin(2026, 2, 5, 16, 30)],
        ),
        reference_vevent(
            series,
            host,
            start=berlin(2026, 1, 23, 10, 0),
            end=berlin(2026, 1, 23, 11, 30),
            description=TRICKY + "\n\nEinen Tag später – wegen Glätte ❄️, bitte weitersagen; danke!",
            location=location,
            recurrence_id=berlin(2026, 1, 22, 16, 30),
        ),
        reference_vevent(
            series,
            host,
            start=berlin(2026, 1, 29, 16, 30),
            end=berlin(2026, 1, 29, 18, 0),
            description=TRICKY,
            location="Bibliothek; Lesesaal, Marktplatz 1, 12345 Musterstadt",
            recurrence_id=berlin(2026, 1, 29, 16, 30),
        ),
        reference_vevent(day, host, start=date(2026, 3, 28), end=date(2026, 3, 29)),
        reference_vevent(
            days,
            host,
            start=date(2026, 4, 4),
            end=date(2026, 4, 5),
            rrule={"FREQ": "WEEKLY", "COUNT": 4, "BYDAY": ["SA"]},
            exdate=[date(2026, 4, 11)],
        ),
        reference_vevent(
            talk,
            host,
            start=berlin(2026, 5, 7, 19),
            end=berlin(2026, 5, 7, 20, 30),
            description="Mit Aussprache.\n\nFällt aus.",
            status="CANCELLED",
        ),
    ]:
        calendar.add_component(vevent)
    calendar.add_missing_timezones()
    return calendar


def test_written_feed_reads_as_the_plain_icalendar_calendar(index, tricky_feed):
    name = "Termine für Groß & Klein; Übersicht"
    pages = list(index.get_events())
    written = ical.write_calendar(
        pages, name, host="example.org", url_of=lambda page: page.full_url
    )
    assert_same_calendar(written, tricky_reference(tricky_feed, name, "example.org"))
    assert_folded_per_rfc(written)
    # the same bytes as the library writes for the same components
    built = ical.build_calendar(pages, name, host="example.org", url_of=lambda p: p.full_url)
    assert written == built.to_ical()
    # the text survives escaping and folding
    parsed = icalendar.Calendar.from_ical(written)
    (master,) = [e for e in vevents(parsed) if "RRULE" in e and "Straßenfest" in e["SUMMARY"]]
    assert str(master["DESCRIPTION"]) == TRICKY
    assert str(master["SUMMARY"]) == tricky_feed[0].title


def test_served_feed_reads_as_the_plain_icalendar_calendar(client, index, tricky_feed):
    """The view prefetches the overrides as lists: the same file."""
    response = fetch(index.url + "feed.ics")
    assert_same_calendar(
        response.content, tricky_reference(tricky_feed, index.title, page_host(index))
    )
    assert_folded_per_rfc(response.content)
