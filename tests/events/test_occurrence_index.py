"""The stored occurrence index: written on publish, unpublish, delete and override changes,
extended with time, read with a constant number of queries, and always equal to the pure
expansion (``series.occurrences_of``), which stays the reference."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone as dj_timezone
from wagtail.models import PageViewRestriction

from kokreative_wagtail.events import occurrence_index
from kokreative_wagtail.events.models import (
    EventIndexPage,
    EventPage,
    IndexedEvent,
    IndexedOccurrence,
    OccurrenceHorizon,
    OccurrenceOverride,
)
from kokreative_wagtail.events.occurrence_index import Cursor, Day, OccurrenceWindow
from kokreative_wagtail.events.series import occurrences_of, sort_key
from tests.factories import add_page

from .factories import COP_RULE, add_event

BERLIN = ZoneInfo("Europe/Berlin")
UTC = timezone.utc


def at(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def shape(items) -> list[tuple]:
    return [
        (i.event.pk, i.start, i.end, i.original_start, i.cancelled, i.moved, i.note) for i in items
    ]


def rows_of(page) -> list[tuple]:
    return list(
        IndexedOccurrence.objects.filter(page_id=page.pk)
        .order_by("start")
        .values_list("start", "original_start", "cancelled", "moved")
    )


def computed(events, start, end):
    """The reference: the pure expansion of the live events, overrides applied (in two halves
    for a window longer than one expansion may be: those running into the second half are
    already in the first)."""
    events = events.prefetch_related("overrides")
    if end - start <= timedelta(days=700):
        return occurrences_of(events, start, end, limit=10**6)
    middle = start + (end - start) / 2
    first = occurrences_of(events, start, middle, limit=10**6)
    second = [i for i in occurrences_of(events, middle, end, limit=10**6) if i.start >= middle]
    return sorted(first + second, key=sort_key)


def window_computed(events, start, end, **kwargs) -> OccurrenceWindow:
    """A window that does not use the index (as beyond the horizon)."""
    window = OccurrenceWindow(events, start, end, **kwargs)
    window._indexed = False  # as beyond the horizon
    return window


@pytest.fixture
def cop_series(event_index, horizon):
    """The Community of Practice, begun a year ago, with a cancelled and a moved date."""
    first = dj_timezone.localtime(horizon.start, BERLIN).replace(hour=16, minute=30) + timedelta(
        days=30
    )
    first -= timedelta(days=(first.weekday() - 3) % 7)  # a Thursday
    cancelled = first + timedelta(weeks=8)
    moved = first + timedelta(weeks=12)
    return add_event(
        event_index,
        "Community of Practice",
        first,
        first + timedelta(minutes=90),
        COP_RULE,
        overrides=[
            {"original_start": cancelled, "action": "cancel", "note": "Fällt aus"},
            {
                "original_start": moved,
                "action": "move",
                "new_start": moved + timedelta(days=1),
                "note": "Verlegt",
            },
        ],
    )


def test_the_first_migrate_created_the_horizon(db):
    assert OccurrenceHorizon.objects.count() == 1


def test_publishing_writes_the_series_as_the_pure_expansion_has_it(cop_series, horizon):
    events = EventPage.objects.filter(pk=cop_series.pk)
    expected = computed(events, horizon.start, horizon.end)
    assert len(expected) > 20
    assert rows_of(cop_series) == [
        (i.start, i.original_start, i.cancelled, i.moved) for i in expected
    ]
    assert IndexedEvent.objects.get(page_id=cop_series.pk).problem == ""


def test_a_draft_leaves_the_index_alone_until_it_is_published(cop_series):
    before = rows_of(cop_series)
    page = EventPage.objects.get(pk=cop_series.pk)
    page.start += timedelta(hours=1)
    page.end += timedelta(hours=1)
    revision = page.save_revision()
    assert rows_of(cop_series) == before
    revision.publish()
    after = rows_of(cop_series)
    assert len(after) == len(before)
    assert [row[0] - timedelta(hours=1) for row in after[3:6]] == [row[0] for row in before[3:6]]


def test_unpublishing_and_deleting_remove_the_rows(cop_series, event_index):
    other = add_event(event_index, "Infosalon", at(2027, 2, 4, 17), at(2027, 2, 4, 19))
    assert rows_of(other)
    EventPage.objects.get(pk=cop_series.pk).unpublish()
    assert rows_of(cop_series) == []
    assert not IndexedEvent.objects.filter(page_id=cop_series.pk).exists()
    other.delete()
    assert not IndexedOccurrence.objects.filter(page_id=other.pk).exists()


def test_an_override_saved_or_deleted_on_its_own_rebuilds_its_page(cop_series):
    original = rows_of(cop_series)[2][1]
    override = OccurrenceOverride.objects.create(
        page=cop_series, original_start=original, action="cancel", locale=cop_series.locale
    )
    assert [row for row in rows_of(cop_series) if row[1] == original][0][2] is True
    override.delete()
    assert [row for row in rows_of(cop_series) if row[1] == original][0][2] is False


def test_reads_equal_the_pure_expansion_from_the_index(cop_series, event_index, horizon):
    for number in range(4):
        start = at(2026, 11, 2 + number, 10)
        add_event(
            event_index,
            f"Werkstatt {number}",
            start,
            start + timedelta(hours=2),
            "RRULE:FREQ=WEEKLY",
        )
    events = event_index.get_events()
    start, end = dj_timezone.now() - timedelta(days=200), dj_timezone.now() + timedelta(days=300)
    indexed = OccurrenceWindow(events, start, end)
    reference = window_computed(events, start, end)
    assert indexed.indexed and not reference.indexed
    expected = computed(events, start, end)
    assert indexed.count() == reference.count() == len(expected)
    assert shape(indexed.page(0, 500)) == shape(reference.page(0, 500)) == shape(expected)
    assert shape(indexed.page(7, 5)) == shape(expected[7:12])
    assert shape(indexed.last(6)) == shape(list(reversed(expected))[:6])
    key = sort_key(expected[9])
    assert shape(indexed.after(key, 4)) == shape(reference.after(key, 4)) == shape(expected[10:14])
    held = OccurrenceWindow(events, start, end, held_only=True)
    assert shape(held.page(0, 500)) == shape([i for i in expected if not i.cancelled])


def test_a_window_read_runs_a_constant_number_of_queries(
    cop_series,
    event_index,
    horizon,
    django_assert_num_queries,
):
    for number in range(6):
        start = at(2026, 11, 2, 8 + number)
        add_event(
            event_index, f"Reihe {number}", start, start + timedelta(hours=1), "RRULE:FREQ=DAILY"
        )
    now = dj_timezone.now()
    window = OccurrenceWindow(event_index.get_events(), now, now + timedelta(days=90))
    # horizon, count, rows, their events (no overrides: the rows have them applied); the first
    # count reads the events' ids as well, the second tests the window's ends against them
    for _ in range(2):
        window = OccurrenceWindow(event_index.get_events(), now, now + timedelta(days=90))
        with django_assert_num_queries(4):
            assert window.count() > 500
            assert len(window.page(100, 50)) == 50


def start_bounds(rows) -> list[tuple[str, datetime]]:
    """The bounds on ``start`` that the rows' query gives at its top level (ANDed)."""
    return sorted(
        (child.lookup_name, child.rhs)
        for child in rows.query.where.children
        if getattr(getattr(child, "lhs", None), "target", None) is not None
        and child.lhs.target.name == "start"
    )


def test_a_cursor_or_a_count_walks_only_its_part_of_the_index(
    cop_series, event_index, horizon, monkeypatch
):
    """Each bound on ``start`` is given once, the tighter one: SQLite walks the index between
    the first bounds it is given and tests the others per row, so a cursor page deep in a
    year, or the first day of a count, given the window's bounds as well, walked the window
    from its beginning (a year of pages cost the square of its length)."""
    now = dj_timezone.now()
    window = OccurrenceWindow(event_index.get_events(), now, now + timedelta(days=365))
    assert window.indexed
    lowest = now - OccurrenceHorizon.objects.get().longest  # the longest occurrence indexed
    assert start_bounds(window._rows()) == [("gte", lowest), ("lt", window.end)]
    cursor, day_end = now + timedelta(days=200), now + timedelta(hours=5)
    assert start_bounds(window._rows(since=cursor)) == [("gte", cursor), ("lt", window.end)]
    assert start_bounds(window._rows(before=day_end)) == [("gte", lowest), ("lt", day_end)]
    # a bound outside the window is the window's
    assert start_bounds(window._rows(since=now - timedelta(days=9))) == start_bounds(window._rows())

    # what the reads give the database: a cursor page from the cursor on, the first partial
    # day of a count (cold, and with the events' ids cached) up to its end
    expected = computed(event_index.get_events(), now, window.end)
    read = []
    monkeypatch.setattr(
        OccurrenceWindow, "_values", lambda self, rows, *extra: read.append(rows) or []
    )
    key = sort_key(expected[len(expected) // 2])
    window.after(key, 2)
    assert start_bounds(read[-1]) == [
        ("gte", key[0]),
        ("lt", window.end),
    ]
    monkeypatch.undo()
    midnight = dj_timezone.localtime(now, timezone.utc).replace(hour=0, minute=0, second=0)
    first_day = midnight.replace(microsecond=0) + timedelta(days=1)
    for state in ("cold", "ids cached"):
        counting = window._count_parts()
        head = counting.queries["count_head" if state == "cold" else "ids_head"]
        assert start_bounds(head) == [("gte", lowest), ("lt", first_day)], state
        assert window.count() == len(expected), state
        window = OccurrenceWindow(event_index.get_events(), now, window.end)


def test_the_month_shows_the_first_dates_of_each_day_and_counts_all(
    cop_series, event_index, horizon
):  # noqa: E501
    for number in range(5):
        start = at(2026, 11, 2, 8 + number)
        add_event(
            event_index, f"Reihe {number}", start, start + timedelta(hours=1), "RRULE:FREQ=DAILY"
        )
    first = at(2027, 1, 1)
    days = [
        Day(
            (first + timedelta(days=n)).date(),
            at(2027, 1, 1 + n),
            at(2027, 1, 2 + n) if n < 30 else at(2027, 2, 1),
        )
        for n in range(31)
    ]
    events = event_index.get_events()
    indexed = OccurrenceWindow(events, days[0].start, days[-1].end).by_day(days, 3)
    reference = window_computed(events, days[0].start, days[-1].end).by_day(days, 3)
    assert indexed.keys() == reference.keys()
    for day, (shown, total) in indexed.items():
        assert total == reference[day][1] >= 5
        assert shape(shown) == shape(reference[day][0])
        assert len(shown) == 3


def test_the_index_never_shows_a_draft_or_a_private_event(event_index, horizon):
    public = add_event(event_index, "Offen", at(2027, 1, 7, 10), at(2027, 1, 7, 12))
    private = add_event(
        event_index, "Intern", at(2027, 1, 8, 10), at(2027, 1, 8, 12), slug="intern"
    )
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    draft = add_event(event_index, "Entwurf", at(2027, 1, 9, 10), at(2027, 1, 9, 12))
    EventPage.objects.filter(pk=draft.pk).update(live=False)  # rows left behind on purpose
    assert rows_of(draft) and rows_of(private)
    window = OccurrenceWindow(event_index.get_events(), at(2027, 1, 1), at(2027, 2, 1))
    assert window.indexed
    assert [item.event.pk for item in window.page(0, 50)] == [public.pk]
    assert window.count() == 1


def test_extension_moves_the_horizon_trims_the_past_and_is_idempotent(cop_series, horizon):
    later = horizon.updated_at + timedelta(days=40)
    result = occurrence_index.extend(now=later)
    moved = OccurrenceHorizon.objects.get()
    assert moved.end > horizon.end and moved.start > horizon.start
    assert result.extended == 1 and result.built == 0 and result.rows > 0
    assert not IndexedOccurrence.objects.filter(end__lte=moved.start).exists()
    events = EventPage.objects.filter(pk=cop_series.pk)
    expected = computed(events, moved.start, moved.end)
    assert rows_of(cop_series) == [
        (i.start, i.original_start, i.cancelled, i.moved) for i in expected
    ]
    again = occurrence_index.extend(now=later)
    assert again.rows == 0 and again.extended == 0 and again.built == 0
    assert rows_of(cop_series) == [
        (i.start, i.original_start, i.cancelled, i.moved) for i in expected
    ]


def test_the_command_builds_events_missing_from_the_index(cop_series, capsys):
    IndexedOccurrence.objects.all().delete()
    IndexedEvent.objects.all().delete()
    call_command("kokreative_index_occurrences")
    assert "1 events built" in capsys.readouterr().out
    assert rows_of(cop_series)


def analyzed(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith("ANALYZE")]


def test_a_large_write_renews_the_planners_statistics(cop_series, horizon, monkeypatch):
    """After the first build, a rebuild or a run writing many rows, PostgreSQL's statistics of
    the index's tables are renewed (a freshly filled table taken for empty made every API page
    a nested loop); a daily extension of a few rows leaves that to autovacuum."""
    postgres = connection.vendor == "postgresql"
    later = horizon.updated_at + timedelta(days=40)
    with CaptureQueriesContext(connection) as small:
        assert 0 < occurrence_index.extend(now=later).rows < occurrence_index.ANALYZE_MIN_ROWS
    assert analyzed(small.captured_queries) == []

    with CaptureQueriesContext(connection) as rebuilt:
        occurrence_index.extend(now=later, rebuild_all=True)
    expected = [
        'ANALYZE "kokreative_events_indexedoccurrence"',
        'ANALYZE "kokreative_events_indexedevent"',
    ]
    assert analyzed(rebuilt.captured_queries) == (expected if postgres else [])
    if postgres:  # the planner now knows the rows (its own transaction's count as live)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE relname = %s",
                ["kokreative_events_indexedoccurrence"],
            )
            assert cursor.fetchone()[0] == IndexedOccurrence.objects.count() > 0

    monkeypatch.setattr(occurrence_index, "ANALYZE_MIN_ROWS", 1)
    with CaptureQueriesContext(connection) as many:
        assert occurrence_index.extend(now=later + timedelta(days=30)).rows >= 1
    assert analyzed(many.captured_queries) == (expected if postgres else [])


def test_windows_beyond_the_horizon_are_computed(cop_series, horizon):
    events = EventPage.objects.filter(pk=cop_series.pk)
    start = horizon.end + timedelta(days=30)
    window = OccurrenceWindow(events, start, start + timedelta(days=200))
    assert not window.indexed
    expected = computed(events, start, start + timedelta(days=200))
    assert window.count() == len(expected) > 5
    assert shape(window.page(2, 3)) == shape(expected[2:5])


def test_a_stale_horizon_enqueues_its_extension_once(
    cop_series, horizon, django_capture_on_commit_callbacks
):  # noqa: E501
    OccurrenceHorizon.objects.update(end=horizon.end - timedelta(days=3))
    now = dj_timezone.now()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        OccurrenceWindow(EventPage.objects.all(), now, now + timedelta(days=30)).count()
        OccurrenceWindow(EventPage.objects.all(), now, now + timedelta(days=30)).count()
    assert len(callbacks) == 1  # the second read found the marker in the cache
    assert OccurrenceHorizon.objects.get().end >= horizon.end  # the immediate backend ran it


@pytest.mark.parametrize(
    "value", ["", "x", "e30", "W10", '["a",1,"b"]', "WyIyMDI2LTAxLTAxIiwxLCIyMDI2LTAxLTAxIl0"]
)
def test_a_cursor_not_made_by_us_is_refused(value):
    with pytest.raises(ValueError):
        Cursor.decode(value)


# --- through the API and the index page --------------------------------------------------------

API = "/api/kokreative/v1/occurrences"


@pytest.fixture
def crowded(event_index, horizon):
    """Six weekly series at the same hour (ties in start) and a daily one, from next week on."""
    monday = dj_timezone.localtime(dj_timezone.now(), BERLIN).replace(
        hour=10, minute=0, second=0, microsecond=0
    ) + timedelta(days=7)
    monday -= timedelta(days=monday.weekday())
    for number in range(6):
        add_event(
            event_index,
            f"Reihe {number}",
            monday,
            monday + timedelta(hours=1),
            "RRULE:FREQ=WEEKLY",
            slug=f"reihe-{number}",
        )
    add_event(
        event_index,
        "Täglich",
        monday,
        monday + timedelta(hours=2),
        "RRULE:FREQ=DAILY;COUNT=130",
        slug="t",
    )
    return monday


def keys(items) -> list[tuple]:
    return [(i["event"]["id"], i["original_start"], i["start"]) for i in items]


def test_paging_the_api_by_offset_or_cursor_has_no_repeats_and_no_gaps(client, crowded):
    params = {"from": crowded.date().isoformat(), "to": (crowded + timedelta(days=120)).date()}
    everything = client.get(API, {**params, "limit": 500}).json()
    assert everything["count"] == len(everything["items"]) == 121 + 6 * 18  # days incl. "to"
    assert everything["next_cursor"] is None

    by_offset, offset = [], 0
    while offset < everything["count"]:
        page = client.get(API, {**params, "limit": 37, "offset": offset}).json()
        assert page["count"] == everything["count"]
        by_offset += page["items"]
        offset += 37
    assert keys(by_offset) == keys(everything["items"])

    by_cursor, query = [], {**params, "limit": 37}
    while True:
        page = client.get(API, query).json()
        assert page["count"] == everything["count"]
        by_cursor += page["items"]
        if page["next_cursor"] is None:
            break
        query = {**params, "limit": 37, "cursor": page["next_cursor"]}
    assert keys(by_cursor) == keys(everything["items"])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"cursor": "kaputt"}, "Kein Cursor dieser API"),
        ({"cursor": "abc", "offset": 3}, "entweder `cursor` oder `offset`"),
    ],
)
def test_a_bad_cursor_is_a_400_naming_it(client, crowded, query, message):
    response = client.get(API, query)
    assert response.status_code == 400
    assert message in response.json()["errors"]["cursor"][0]


def test_the_month_view_shows_the_first_dates_of_a_day_and_links_to_all(
    client, crowded, event_index
):
    month = crowded.strftime("%Y-%m")
    response = client.get(event_index.url, {"view": "month", "month": month})
    assert response.status_code == 200
    html = response.content.decode()
    day = [d for week in response.context["weeks"] for d in week if d.date == crowded.date()][0]
    assert (len(day.occurrences), day.more) == (3, 4)  # six weekly series and the daily one
    assert f'day={crowded.date().isoformat()}">4 weitere Termine' in html

    listed = client.get(event_index.url, {"day": crowded.date().isoformat()})
    assert listed.status_code == 200
    assert len(listed.context["occurrences"]) == 7
    assert "more_query" not in listed.context


def test_the_list_links_on_to_further_dates_without_repeats(client, crowded, event_index):
    seen = []
    response = client.get(event_index.url)
    while True:
        assert response.status_code == 200
        seen += [(o.event.pk, o.original_start) for o in response.context["occurrences"]]
        more = response.context.get("more_query")
        if not more or len(seen) > 200:
            break
        assert 'rel="next"' in response.content.decode()
        response = client.get(f"{event_index.url}?{more}")
    assert len(seen) == len(set(seen)) > 50
    window = OccurrenceWindow(event_index.get_events(), crowded - timedelta(days=8), crowded)
    assert window.count() == 0  # nothing before the first week: the list starts with it


def test_a_bad_list_position_is_a_form_error_and_the_list_starts_over(client, crowded, event_index):
    response = client.get(event_index.url, {"after": "kaputt"})
    assert response.status_code == 200
    assert list(response.context["filter_form"].errors) == ["after"]
    assert len(response.context["occurrences"]) == event_index.list_limit


def test_the_api_never_shows_another_sites_events_from_the_index(client, event_index, horizon):
    from ..offers.factories import create_second_site

    _site, other_root = create_second_site()
    other_index = add_page(other_root, EventIndexPage, title="Termine", slug="termine")
    add_event(other_index, "Anderswo", at(2027, 1, 7, 10), at(2027, 1, 7, 12), slug="anderswo")
    add_event(event_index, "Hier", at(2027, 1, 7, 10), at(2027, 1, 7, 12), slug="hier")
    items = client.get(API, {"from": "2027-01-01", "to": "2027-01-31"}).json()["items"]
    assert [i["event"]["title"] for i in items] == ["Hier"]


def test_the_api_keeps_each_events_json_until_the_event_is_saved(
    client, crowded, event_index, django_assert_num_queries
):
    params = {"from": crowded.date().isoformat(), "limit": 20}
    first = client.get(API, params).json()
    # site, horizon, rows with their count, and no event: each one's JSON is in the cache
    with django_assert_num_queries(3):
        again = client.get(API, params).json()
    assert again == first
    page = EventPage.objects.get(slug="reihe-0")
    page.title = "Reihe null"
    page.save_revision().publish()
    titles = {item["event"]["title"] for item in client.get(API, params).json()["items"]}
    assert "Reihe null" in titles and "Reihe 0" not in titles


def test_without_a_cache_time_every_answer_loads_its_events(client, crowded, settings):
    settings.KOKREATIVE = {"API_CACHE_MAX_AGE": 0}
    params = {"from": crowded.date().isoformat(), "limit": 20}
    first = client.get(API, params).json()
    assert client.get(API, params).json() == first
    from django.core.cache import cache

    assert not [key for key in cache._cache if "event-json" in str(key)]


def test_a_moved_event_is_listed_below_its_new_index_only(client, event_index, horizon):
    other = add_page(event_index.get_parent(), EventIndexPage, title="Archiv", slug="archiv")
    page = add_event(event_index, "Wandert", at(2027, 1, 7, 10), at(2027, 1, 7, 12), slug="w")
    EventPage.objects.get(pk=page.pk).move(other, pos="last-child")
    window = (at(2027, 1, 1), at(2027, 2, 1))
    moved_index = EventIndexPage.objects.get(pk=other.pk)
    old_index = EventIndexPage.objects.get(pk=event_index.pk)
    assert [i.event.pk for i in OccurrenceWindow(moved_index.get_events(), *window).page()] == [
        page.pk
    ]
    assert OccurrenceWindow(old_index.get_events(), *window).page() == []
    response = client.get(API, {"from": "2027-01-01", "to": "2027-01-31", "index": other.pk})
    assert [item["event"]["url"] for item in response.json()["items"]] == [f"{moved_index.url}w/"]


def test_later_pages_take_the_count_from_the_cursor_until_the_index_changes(
    client, crowded, event_index, django_assert_num_queries
):
    params = {"from": crowded.date().isoformat(), "limit": 10}
    first = client.get(API, params).json()
    second_params = {**params, "cursor": first["next_cursor"]}
    client.get(API, second_params)  # the events' JSON into the cache
    # site, horizon, rows: no count query
    with django_assert_num_queries(3):
        second = client.get(API, second_params).json()
    assert second["count"] == first["count"]
    # a new event in the window: the index changed, the cursor's count is not taken
    add_event(event_index, "Neu", crowded, crowded + timedelta(hours=1), slug="neu")
    third = client.get(API, second_params).json()
    assert third["count"] == first["count"] + 1


@pytest.mark.parametrize(
    "data",
    [
        ["2026-01-01T00:00:00+00:00", 1, "2026-01-01T00:00:00+00:00", -1, "v"],
        ["2026-01-01T00:00:00+00:00", 1, "2026-01-01T00:00:00+00:00", True, "v"],
        ["2026-01-01T00:00:00+00:00", 1, "2026-01-01T00:00:00+00:00", 3, 7],
        ["2026-01-01T00:00:00+00:00", 1, "2026-01-01T00:00:00+00:00", 3],
        ["2026-01-01T00:00:00", 1, "2026-01-01T00:00:00+00:00"],
        {"start": "2026-01-01T00:00:00+00:00"},
        ["2026-01-01T00:00:00+00:00", 10**30, "2026-01-01T00:00:00+00:00"],
        ["2026-01-01T00:00:00+00:00", -1, "2026-01-01T00:00:00+00:00"],
        ["0001-01-01T00:00:00+14:00", 1, "0001-01-01T00:00:00+14:00"],
        ["9999-12-31T23:59:59-14:00", 1, "9999-12-31T23:59:59-14:00"],
    ],
)
def test_a_forged_cursor_is_refused(data):
    with pytest.raises(ValueError):
        Cursor.decode(forged(data))


def forged(data) -> str:
    import base64
    import json

    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode()


#: Query values as sent on the wire (percent-encoded); ``%ED%A0%80`` is a lone surrogate.
BAD_POSITIONS = [
    "a\x00b",
    "%ED%A0%80",
    "\x1b[31m",
    "x" * 300,
    forged(["2026-01-01T00:00:00+00:00", 10**30, "2026-01-01T00:00:00+00:00"]),
    forged(["0001-01-01T00:00:00+14:00", 1, "0001-01-01T00:00:00+14:00"]),
]


@pytest.mark.parametrize("value", BAD_POSITIONS)
def test_bad_bytes_as_a_position_are_a_400_or_a_form_error(client, crowded, event_index, value):
    wire = value if value.startswith("%") else quote(value)
    response = client.get(f"{API}?cursor={wire}")
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]
    listed = client.get(f"{event_index.url}?after={wire}")
    assert listed.status_code == 200
    assert list(listed.context["filter_form"].errors) == ["after"]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "2026-02-30", "%ED%A0%80", "1e9"])
def test_a_bad_day_is_a_form_error(client, event_index, day):
    response = client.get(f"{event_index.url}?day={day}")
    assert response.status_code == 200
    assert list(response.context["filter_form"].errors) == ["day"]


def test_a_front_end_asking_in_english_reads_the_cursor_error_in_english(client, crowded):
    response = client.get(API, {"cursor": "kaputt"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response["Content-Language"] == "en"
    assert response.json()["errors"]["cursor"] == [
        "Not a cursor of this API: pass `next_cursor` of an answer as it is."
    ]
