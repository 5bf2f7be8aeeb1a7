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

from .factories import add_page

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
