"""Calendar feeds served from cache: validators, 304s, the body cache and its invalidation."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.cache import caches
from django.utils.http import http_date
from wagtail.models import PageViewRestriction

from kokreative_wagtail.events import feeds, ical, occurrences
from kokreative_wagtail.events.models import EventIndexPage, EventPage

from ..factories import add_page
from .test_events_ical import add_event, berlin

NEW_YORK = ZoneInfo("America/New_York")
RULE = "RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH"


@pytest.fixture
def index(site_root):
    return add_page(site_root, EventIndexPage, title="Termine", slug="termine")


@pytest.fixture
def series(index):
    return add_event(index, "Reihe", berlin(2026, 1, 8, 16, 30), berlin(2026, 1, 8, 18, 0), RULE)


@pytest.fixture
def single(index):
    return add_event(index, "Salon", berlin(2026, 9, 15, 16, 30), berlin(2026, 9, 15, 17, 30))


@pytest.fixture
def feed(index):
    return index.url + "feed.ics"


def summaries(response) -> set[str]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}


def republish(page, **changes):
    page = type(page).objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


# --- headers and conditional requests ------------------------------------------------------


def test_feed_headers(client, feed, series):
    response = client.get(feed)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert 'filename="termine.ics"' in response["Content-Disposition"]
    etag = response["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and not etag.startswith("W/")
    assert response["Cache-Control"] == "public, max-age=60"  # API_CACHE_MAX_AGE
    assert "Last-Modified" in response
    assert "Cookie" not in response.get("Vary", "")
    assert summaries(response) == {"Reihe"}
    assert client.get(feed)["ETag"] == etag  # unchanged: the same validator


def test_cache_control_follows_the_api_setting(client, feed, series, settings):
    settings.KOKREATIVE = {**getattr(settings, "KOKREATIVE", {}), "API_CACHE_MAX_AGE": 0}
    assert client.get(feed)["Cache-Control"] == "public, no-cache"


@pytest.mark.parametrize(
    "header",
    ["{etag}", "W/{etag}", '"other", {etag}', "*"],
    ids=["strong", "weak", "in-a-list", "star"],
)
def test_if_none_match_answers_304(client, feed, series, header):
    etag = client.get(feed)["ETag"]
    response = client.get(feed, HTTP_IF_NONE_MATCH=header.format(etag=etag))
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "public, max-age=60"


def test_if_none_match_wins_over_if_modified_since(client, feed, series):
    first = client.get(feed)
    later = http_date(datetime.now().timestamp() + 3600)
    response = client.get(feed, HTTP_IF_NONE_MATCH='"stale"', HTTP_IF_MODIFIED_SINCE=later)
    assert response.status_code == 200
    assert response.content == first.content


def test_if_modified_since(client, feed, series):
    last_modified = client.get(feed)["Last-Modified"]
    assert client.get(feed, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    later = http_date(datetime.now().timestamp() + 3600)
    assert client.get(feed, HTTP_IF_MODIFIED_SINCE=later).status_code == 304
    earlier = http_date(datetime.now().timestamp() - 3600)
    assert client.get(feed, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200
    assert client.get(feed, HTTP_IF_MODIFIED_SINCE="gestern").status_code == 200


def test_head_and_other_methods(client, feed, series):
    get = client.get(feed)
    head = client.head(feed)
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == get["ETag"]
    assert client.post(feed).status_code == 405


# --- the body cache ------------------------------------------------------------------------


def test_second_request_is_served_from_the_cache(
    client,
    feed,
    series,
    single,
    django_assert_num_queries,
    django_assert_max_num_queries,
    monkeypatch,
):
    with django_assert_num_queries(5):  # a miss: site, page, version, events, overrides
        first = client.get(feed)
    monkeypatch.setattr(ical, "write_calendar", lambda *a, **k: pytest.fail("writer ran"))
    # site, page, the version's aggregate: no event is loaded
    with django_assert_num_queries(3):
        second = client.get(feed)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Last-Modified"] == first["Last-Modified"]
    with django_assert_num_queries(3):
        assert client.get(feed, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_miss_runs_five_queries_whatever_the_number_of_events(
    client, feed, index, series, django_assert_num_queries
):
    for number in range(6):
        add_event(
            index,
            f"Termin {number}",
            berlin(2026, 5, 1 + number, 10),
            berlin(2026, 5, 1 + number, 11),
        )
        with django_assert_num_queries(5):  # each new event is a new version: a miss
            assert client.get(feed).status_code == 200


def test_body_is_built_once_for_all_requests(client, feed, series, monkeypatch):
    calls = []
    write = ical.write_calendar
    monkeypatch.setattr(ical, "write_calendar", lambda *a, **k: calls.append(1) or write(*a, **k))
    for _ in range(3):
        assert client.get(feed).status_code == 200
    assert calls == [1]
    caches["default"].clear()  # another app server's cache is the same one; an eviction
    assert client.get(feed).status_code == 200
    assert calls == [1, 1]


def test_publishing_a_change(client, feed, series, single):
    first = client.get(feed)
    republish(series, title="Reihe, neu")
    second = client.get(feed)
    assert second["ETag"] != first["ETag"]
    assert summaries(second) == {"Reihe, neu", "Salon"}
    # the old ETag no longer matches; the new one does, as long as nothing changes
    assert client.get(feed, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    assert client.get(feed, HTTP_IF_NONE_MATCH=second["ETag"]).status_code == 304


def test_unpublishing_removes_the_event(client, feed, series, single):
    first = client.get(feed)
    EventPage.objects.get(pk=single.pk).unpublish()
    second = client.get(feed)
    assert second["ETag"] != first["ETag"]
    assert summaries(second) == {"Reihe"}
    assert client.get(feed, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_unpublishing_is_seen_by_a_client_sending_only_its_date(
    client, feed, series, single, monkeypatch
):
    """No publication is newer, yet a client sending only ``If-Modified-Since`` gets the file."""
    clock = [1_800_000_000.0]
    monkeypatch.setattr(feeds.time, "time", lambda: clock[0])
    first = client.get(feed)
    EventPage.objects.get(pk=single.pk).unpublish()
    clock[0] += 5
    response = client.get(feed, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert response.status_code == 200
    assert summaries(response) == {"Reihe"}


def test_deleting_and_adding_events(client, feed, index, series, single):
    first = client.get(feed)
    EventPage.objects.get(pk=single.pk).delete()
    second = client.get(feed)
    assert second["ETag"] != first["ETag"]
    assert summaries(second) == {"Reihe"}
    add_event(index, "Neu", berlin(2026, 10, 1, 10), berlin(2026, 10, 1, 11))
    third = client.get(feed)
    assert third["ETag"] not in (first["ETag"], second["ETag"])
    assert summaries(third) == {"Reihe", "Neu"}


def test_restricting_an_event_removes_it(client, feed, series, single):
    first = client.get(feed)
    PageViewRestriction.objects.create(
        page=single, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    second = client.get(feed)
    assert second["ETag"] != first["ETag"]
    assert summaries(second) == {"Reihe"}


def test_changing_the_index_page(client, feed, index, series):
    first = client.get(feed)
    republish(index, title="Kalender")
    second = client.get(feed)
    assert second["ETag"] != first["ETag"]
    assert str(icalendar.Calendar.from_ical(second.content)["X-WR-CALNAME"]) == "Kalender"


def test_feed_version_is_one_query(index, series, django_assert_num_queries):
    with django_assert_num_queries(1):
        version = feeds.feed_version(index, index.get_events())
    assert isinstance(version, str)
    assert feeds.feed_version(index, index.get_events()) == version


def test_etag_depends_on_host_and_kind():
    etags = {
        feeds.make_etag("v", "a.example", "feed"),
        feeds.make_etag("v", "b.example", "feed"),
        feeds.make_etag("v", "a.example", "event"),
        feeds.make_etag("w", "a.example", "feed"),
    }
    assert len(etags) == 4


# --- restricted feeds ----------------------------------------------------------------------


def test_restricted_feed_never_touches_the_shared_cache(
    client, feed, index, series, django_user_model, monkeypatch
):
    PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)
    client.force_login(django_user_model.objects.create_user("member", password="pw"))
    cache = caches["default"]
    used = []
    for name in ("get", "set", "add", "get_many", "set_many"):
        original = getattr(cache, name)

        def spy(key, *args, _original=original, **kwargs):
            if str(key).startswith(feeds.CACHE_KEY_PREFIX):
                used.append(key)
            return _original(key, *args, **kwargs)

        monkeypatch.setattr(cache, name, spy)
    for url in (feed, series.url + "event.ics"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-cache"
        assert "public" not in response["Cache-Control"]
        assert "Cookie" in response["Vary"]
        assert "Last-Modified" not in response
        # the user's own browser may revalidate
        again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304
        assert again["Cache-Control"] == "private, no-cache"
    assert used == []
    client.logout()
    assert client.get(feed).status_code == 404
    PageViewRestriction.objects.all().delete()
    assert client.get(feed)["Cache-Control"] == "public, max-age=60"
    assert used  # the spy sees the public feed's cache use


# --- the single event's file ---------------------------------------------------------------


def test_event_ics_validators_and_cache(
    client, series, single, django_assert_num_queries, monkeypatch
):
    url = series.url + "event.ics"
    first = client.get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, max-age=60"
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(single.url + "event.ics")["ETag"] != first["ETag"]
    monkeypatch.setattr(ical, "write_calendar", lambda *a, **k: pytest.fail("writer ran"))
    with django_assert_num_queries(3):  # site, page, and when the index last wrote the event
        assert client.get(url).content == first.content
    monkeypatch.undo()
    republish(series, teaser="Neu beschrieben.")
    second = client.get(url)
    assert second["ETag"] != first["ETag"]
    assert b"Neu beschrieben." in second.content
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


# --- VTIMEZONE built once per zone -----------------------------------------------------------


def test_vtimezones_are_built_once_and_complete(client, feed, index, series):
    add_event(
        index,
        "Town Hall",
        datetime(2026, 1, 6, 19, 0, tzinfo=NEW_YORK),
        datetime(2026, 1, 6, 20, 30, tzinfo=NEW_YORK),
        "RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
        zone="America/New_York",
    )
    add_event(
        index, "Aktionstag", berlin(2026, 3, 28), berlin(2026, 3, 28), all_day=True
    )  # no TZID of its own
    add_event(index, "Online", berlin(2026, 4, 1, 10), berlin(2026, 4, 1, 11), zone="Etc/UTC")
    ical.vtimezone.cache_clear()
    calendar = icalendar.Calendar.from_ical(client.get(feed).content)
    tzids = [tz.tz_name for tz in calendar.timezones]
    assert sorted(tzids) == ["America/New_York", "Europe/Berlin"]  # each once
    assert calendar.get_missing_tzids() == set()
    assert calendar.get_used_tzids() == set(tzids)
    assert ical.vtimezone.cache_info().misses == 2
    caches["default"].clear()
    client.get(feed)
    client.get(series.url + "event.ics")
    assert ical.vtimezone.cache_info().misses == 2  # built once, reused


def test_written_bytes_equal_the_calendar_object(index, series):
    add_event(
        index,
        "Town Hall",
        datetime(2026, 1, 6, 19, 0, tzinfo=NEW_YORK),
        datetime(2026, 1, 6, 20, 30, tzinfo=NEW_YORK),
        zone="America/New_York",
    )
    pages = list(index.get_events())
    written = ical.write_calendar(pages, "Termine", host="example.org")
    built = ical.build_calendar(pages, "Termine", host="example.org")
    assert written == built.to_ical()
    assert written.count(b"BEGIN:VTIMEZONE") == 2
    # the object's zones are copies: changing one leaves the stored zone alone
    built.timezones[0]["TZID"] = "changed"
    assert b"changed" not in ical.write_calendar(pages, "Termine", host="example.org")


# --- broken rows -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["garbage", "RDATE:20260230T153000Z"], ids=["unparsable", "no-such-date"]
)
def test_a_rule_that_cannot_be_read_leaves_the_event_out(
    client, feed, series, single, caplog, text
):
    EventPage.objects.filter(pk=series.pk).update(recurrence=text)
    with caplog.at_level(logging.WARNING):
        response = client.get(feed)
        single_file = client.get(series.url + "event.ics")
    assert response.status_code == single_file.status_code == 200
    assert summaries(response) == {"Salon"}
    assert summaries(single_file) == set()
    assert any("left out" in r.getMessage() for r in caplog.records)


def test_an_event_the_writer_fails_on_is_left_out(client, feed, series, single, monkeypatch):
    components = ical._event_components

    def failing(page, *args):
        if page.pk == series.pk:
            raise occurrences.ExpansionError("too many steps")
        return components(page, *args)

    monkeypatch.setattr(ical, "_event_components", failing)
    response = client.get(feed)
    assert response.status_code == 200
    assert summaries(response) == {"Salon"}


def test_publication_times_stay_in_the_version(index, series):
    before = feeds.feed_version(index, index.get_events())
    EventPage.objects.filter(pk=series.pk).update(
        last_published_at=series.last_published_at + timedelta(seconds=1)
    )
    assert feeds.feed_version(index, index.get_events()) != before


def test_an_override_saved_on_its_own_changes_the_feed(client, feed, series):
    """No publication: the occurrence index's write of the event gives the feed a new version."""
    from kokreative_wagtail.events.models import OccurrenceOverride

    first = client.get(feed)
    page = EventPage.objects.get(pk=series.pk)
    OccurrenceOverride.objects.create(
        page=page, locale=page.locale, original_start=page.start, action="cancel"
    )
    second = client.get(feed)
    assert second["ETag"] != first["ETag"]
    assert b"EXDATE" in second.content and b"EXDATE" not in first.content


def test_an_override_saved_on_its_own_changes_the_events_file(client, series):
    from kokreative_wagtail.events.models import OccurrenceOverride

    url = f"{series.url}event.ics"
    first = client.get(url)
    page = EventPage.objects.get(pk=series.pk)
    OccurrenceOverride.objects.create(
        page=page, locale=page.locale, original_start=page.start, action="cancel"
    )
    second = client.get(url)
    assert second["ETag"] != first["ETag"]
    assert b"EXDATE" in second.content and b"EXDATE" not in first.content
