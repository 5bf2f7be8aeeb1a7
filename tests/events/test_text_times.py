"""Occurrences whose times the API reads as SQLite's stored text (``events.text_times``): the
same answers as read as datetimes, to the second, and cursors as exact as before."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil import rrule
from django.db import NotSupportedError, connection
from django.db.models import F
from django.utils import timezone as dj_timezone

from kokreative_wagtail.events.index_models import IndexedOccurrence
from kokreative_wagtail.events.occurrence_index import OccurrenceWindow
from kokreative_wagtail.events.serializers import occurrence_json
from kokreative_wagtail.events.text_times import (
    TextTimedOccurrence,
    UtcText,
    api_form,
    reads_text,
)

from .factories import add_event

BERLIN = ZoneInfo("Europe/Berlin")
API = "/api/kokreative/v1/occurrences"
SHARED = ('{"id":1}', '"Europe/Berlin"', "[]", "null")  # an event's parts, already written


@pytest.fixture
def odd_times(event_index, horizon):
    """Daily series from tomorrow on (ties in start included, one date moved), whose stored
    rows are then shifted by odd fractions of a second, as rows written by code or another
    tool may hold them (the page's own save keeps whole seconds)."""
    base = dj_timezone.localtime(dj_timezone.now(), BERLIN).replace(
        hour=9, minute=59, second=59, microsecond=0
    ) + timedelta(days=1)
    pages = []
    for number in range(4):
        start = base + timedelta(hours=number % 2)
        moved = {"original_start": start + timedelta(days=3), "action": "move"}
        moved["new_start"] = start + timedelta(days=3, hours=5)
        pages.append(
            add_event(
                event_index,
                f"Reihe {number}",
                start,
                start + timedelta(minutes=45),
                "RRULE:FREQ=DAILY;COUNT=40",
                slug=f"reihe-{number}",
                overrides=[moved] if number == 1 else [],
            )
        )
    for page, fraction in zip(pages, (0, 250_000, 250_000, 999_999), strict=True):
        shift = timedelta(microseconds=fraction)
        IndexedOccurrence.objects.filter(page=page).update(
            start=F("start") + shift,
            end=F("end") + shift,
            original_start=F("original_start") + shift,
        )
    return base


def test_the_database_reads_text_where_it_stores_it(settings):
    assert reads_text(connection) == (connection.vendor == "sqlite")
    settings.USE_TZ = False
    assert not reads_text(connection)


def test_sqlite_with_a_time_zone_of_its_own_is_read_as_datetimes(settings, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "TIME_ZONE", "Europe/Berlin")
    assert not reads_text(connection)


def test_utc_text_refuses_other_databases(db):
    rows = IndexedOccurrence.objects.annotate(text=UtcText("start")).values("text")
    compiler = rows.query.get_compiler(using="default")
    with pytest.raises(NotSupportedError):
        UtcText("start").resolve_expression(rows.query).as_sql(compiler, _Other(connection))


class _Other:
    """A connection of another database, as ``as_sql`` sees it."""

    vendor = "mysql"

    def __init__(self, real):
        self.ops = real.ops
        self.features = real.features


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-03-05 15:30:00", "2026-03-05T15:30:00Z"),
        ("2026-03-05 15:30:59.999999", "2026-03-05T15:30:59Z"),
    ],
)
def test_the_api_form_cuts_seconds_as_iso_datetime_does(text, expected):
    from datetime import datetime

    from kokreative_wagtail.api_utils import iso_datetime

    item = TextTimedOccurrence(object(), text, text, text, False, False, False, "", "", "")
    assert api_form(text) == expected == iso_datetime(item.start)
    assert item.start == datetime.fromisoformat(text).replace(tzinfo=item.start.tzinfo)
    assert item.start.utcoffset() == timedelta(0)


def test_a_page_is_the_same_read_as_text_or_as_datetimes(odd_times, event_index):
    events = event_index.get_events()
    start, end = odd_times - timedelta(hours=1), odd_times + timedelta(days=50)
    as_text = OccurrenceWindow(events, start, end, text_times=True)
    as_datetimes = OccurrenceWindow(events, start, end)
    assert as_text.indexed
    read = as_text.page(0, 500)
    reference = as_datetimes.page(0, 500)
    expected_type = TextTimedOccurrence if reads_text(connection) else type(reference[0])
    assert {type(item) for item in read} == {expected_type}
    assert [occurrence_json(i, SHARED) for i in read] == [
        occurrence_json(i, SHARED) for i in reference
    ]
    assert [(i.start, i.end, i.original_start) for i in read] == [
        (i.start, i.end, i.original_start) for i in reference
    ]  # to the microsecond: the text is only cut for the API's form
    assert {i.start.microsecond for i in read} == {0, 250_000, 999_999}
    assert any(i.moved for i in read) and len(read) == 160


def test_paging_by_cursor_over_fractions_of_a_second_has_no_repeats_and_no_gaps(
    client, odd_times, event_index
):
    params = {"from": odd_times.date().isoformat(), "to": (odd_times + timedelta(days=45)).date()}
    everything = client.get(API, {**params, "limit": 500}).json()
    assert everything["count"] == len(everything["items"]) == 160
    seen, query = [], {**params, "limit": 7}
    while True:
        page = client.get(API, query).json()
        seen += page["items"]
        if page["next_cursor"] is None:
            break
        query = {**params, "limit": 7, "cursor": page["next_cursor"]}
    keys = [(i["event"]["id"], i["original_start"], i["start"]) for i in seen]
    assert keys == [
        (i["event"]["id"], i["original_start"], i["start"]) for i in everything["items"]
    ]
    assert len(set(keys)) == 160


def test_a_start_with_a_fraction_of_a_second_gives_its_first_date_once(event_index, horizon):
    """dateutil drops a rule start's fraction: the start itself and the rule's first date were
    two dates a quarter second apart, and no rule date matched an override of it."""
    from kokreative_wagtail.events import occurrences

    start = dj_timezone.localtime(dj_timezone.now(), BERLIN).replace(
        hour=10, minute=0, second=0, microsecond=250_000
    ) + timedelta(days=1)
    series = occurrences.Series(
        key=1,
        start=start,
        end=start + timedelta(hours=1, microseconds=3),
        zone=BERLIN,
        rules=(occurrences.Rule(freq=rrule.DAILY, count=5),),
    )
    found = list(
        occurrences.iter_occurrences(series, start - timedelta(days=1), start + timedelta(days=9))
    )
    whole = start.replace(microsecond=0)  # in Berlin: days are counted in its wall time
    assert [o.start for o in found] == [whole + timedelta(days=n) for n in range(5)]
    assert {o.end - o.start for o in found} == {timedelta(hours=1)}

    page = add_event(
        event_index, "Bruchteil", start, start + timedelta(hours=1), "RRULE:FREQ=DAILY;COUNT=5"
    )
    assert page.start == whole and page.end == whole + timedelta(hours=1)  # saved so
    assert [o.start for o in page.get_occurrences(whole, whole + timedelta(days=9))] == [
        whole + timedelta(days=n) for n in range(5)
    ]
