"""Benchmark: the events views at 10, 200 and 1000 open-ended weekly series (events at scale).

Run: ``.venv/bin/python bench/events_scale.py`` (SQLite in memory), or with
``DATABASE_URL=postgres://…`` for PostgreSQL. ``--sizes 10,200`` (or ``BENCH_SIZES=10,200``)
chooses the numbers of series; ``--runs`` sets the timed rounds below 1000 series (default 21;
at 1000 series 9, as one round there takes seconds); ``--month-day-limit N`` has the month view
show N dates a day instead of ``EventIndexPage.month_day_limit``. Prints tables; never asserts a
timing.
It prints a ``FAIL`` line where an answer is incomplete or wrong (an API page that repeats or
misses occurrences, a ``count`` that differs from the pure expansion).

Data (the workload of the events-at-scale targets, measured there against the best
installable peer): per N, a fresh test database with one ``EventIndexPage`` under the site root
and below it N live event pages, each an open-ended weekly series (2 hours, on one of Monday to
Friday, at 9:00, 14:00 or 18:00 Europe/Berlin), the even-numbered ones begun ten years ago, the
odd-numbered ones a few weeks ago; every 25th series has its occurrence after next cancelled and
the one after it moved by a day and an hour (overrides); and six one-off events in the coming
year. Each event has a teaser, a location and two of the four elements, as in
``events_listing.py``. The pages are created without revisions, for speed; they are live and have
publication dates. On PostgreSQL, ``ANALYZE`` runs after the fill.

After the fill, if the management command ``kokreative_index_occurrences`` exists (the stored
occurrence index), it runs once and its time is printed: the initial build of the index for
that database. Without the command, the script says that no index was built.

Measured per N, as the median of the timed rounds after warm-up rounds, the URLs taking turns
within each round (a change of machine load shifts them alike), with the SQL queries of one
request:

- ``index list``: ``GET <index>/``: the first 50 occurrences of the coming 366 days;
- ``index month``: ``GET <index>/?view=month``: the current month, every occurrence in it;
- ``month +6``: ``GET <index>/?view=month&month=YYYY-MM``: the month six months ahead;
- ``api occurrences``: ``GET /api/kokreative/v1/occurrences``: the default window and limit;
- ``feed cold``: ``GET <index>/feed.ics`` after clearing Django's caches (not timed): a build.
  In rounds of its own after the others, as a cleared cache would make every request after it
  cold too (the site's root paths, settings);
- ``feed warm``: the same request with the caches warm (served from a cache where there is one);
- ``feed 304``: the same with ``If-None-Match`` set to the ETag of the first feed response
  (``If-Modified-Since`` with its Last-Modified if it sent no ETag); the note gives its status;
- ``event.ics``: ``GET <event>/event.ics`` of one series (ten years old, with overrides).

Then, fewer rounds (5, at 1000 series 3, after one warm-up), a year through the API following
its documented paging: ``from`` = today, ``to`` = today + 365 days, ``limit`` = the maximum
of ``limit`` of ``list_occurrences`` in ``/api/kokreative/v1/openapi.json``. While the answer
carries a non-null ``next_cursor``, the next page is ``cursor=<value>`` with the same ``from``,
``to`` and ``limit``; without the key, pages go by ``offset`` until ``offset >= count``. The
row gives the total time of all requests; the note the number of requests and items. Checked:
items == ``count``, no repeats (event id, original start), and ``count`` equal to the pure
expansion (``series.occurrences_of`` over the index's events, without a cap) of that window.

The checks of the HTML rows count the occurrences shown against the pure expansion: the list
view shows min(50, all in 366 days); the month views every occurrence of the month.

The script uses HTTP, the ORM and the pure expansion only, so the same file measures an earlier
version of the package (this file copied into ``git archive <commit>`` of it): the "before"
figures of bench/README.md. A run of all three sizes takes about 5 minutes on a 2-core VM
before the occurrence index (most of it at 1000 series, 35 s of which filling the database).

At the end, the ratios set as targets: list view, month view and ``GET occurrences``
at 1000 series at most 1.3x their time at 10; a year through the API in about 0.6 s at 200 and
2.9 s at 1000 series; the feed at 1000 series in about 0.43 s; the list view at 1000 series well
under 100 ms (figures of a 2-core VM).
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from datetime import time as clock
from io import StringIO
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import (  # noqa: E402
    analyze,
    create_elements,
    environment_line,
    setup_django,
    test_database,
)
from events_listing import create_index  # noqa: E402

SIZES = (10, 200, 1000)
#: Timed rounds and warm-up rounds of the request table; at 1000 series and more, fewer.
RUNS, WARMUP = 21, 3
RUNS_LARGE, WARMUP_LARGE = 9, 1
#: Timed rounds of the year through the API (after one warm-up round).
PAGING_RUNS, PAGING_RUNS_LARGE = 5, 3
LARGE = 1000

BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR")
HOURS = (9, 14, 18)
ONE_OFFS = 6
OVERRIDE_EVERY = 25
INDEX_COMMAND = "kokreative_index_occurrences"
API = "/api/kokreative/v1/occurrences"
OPENAPI = "/api/kokreative/v1/openapi.json"
UNCAPPED = 10**9

#: The targets (2-core VM, SQLite).
TARGET_RATIO = 1.3
TARGET_YEAR = {200: 0.6, 1000: 2.9}
TARGET_FEED = 0.43
TARGET_LIST_MS = 100


# -- data -------------------------------------------------------------------------------------


def add_series(index, count: int, elements) -> list:
    """``count`` open-ended weekly series below ``index`` plus ``ONE_OFFS`` one-off events.

    Live, without revisions (``add_child`` saves the page and its overrides and elements).
    Returns the event pages.
    """
    import recurrence
    from django.utils import timezone

    from kokreative_wagtail.events import occurrences
    from kokreative_wagtail.events.choices import OverrideAction
    from kokreative_wagtail.events.models import EventPage, OccurrenceOverride
    from kokreative_wagtail.events.series import series_for

    now = timezone.now()
    today = now.astimezone(BERLIN).date()
    monday = today - timedelta(days=today.weekday())
    events = []
    for i in range(count + ONE_OFFS):
        published = now - timedelta(minutes=i)
        if i < count:
            weekday = i % len(WEEKDAYS)
            # even: begun ten years ago; odd: a few weeks ago
            weeks_ago = 522 + i % 8 if i % 2 == 0 else 1 + i % 8
            day = monday - timedelta(weeks=weeks_ago) + timedelta(days=weekday)
            begin = datetime.combine(day, clock(HOURS[i % len(HOURS)]), BERLIN)
            rule = recurrence.deserialize(f"RRULE:FREQ=WEEKLY;BYDAY={WEEKDAYS[weekday]}")
            title, end = "Sprechstunde", begin + timedelta(hours=2)
        else:  # one-off, spread over the coming year
            j = i - count
            day = today + timedelta(days=20 + j * 57)
            begin = datetime.combine(day, clock(10), BERLIN)
            rule, title, end = None, "Werkstatt", begin + timedelta(hours=3)
        event = EventPage(
            title=f"{title} {i:04d}",
            slug=f"termin-{i:04d}",
            teaser=f"Zwei oder drei Sätze über Termin {i}. Für Verwaltung und Politik.",
            start=begin,
            end=end,
            time_zone="Europe/Berlin",
            recurrence=rule,
            location_name="Rathaus, Großer Saal",
            location_address="Marktplatz 1, 12345 Beispielstadt",
            live=True,
            first_published_at=published,
            last_published_at=published,
        )
        event.elements = [elements[i % 4], elements[(i + 1) % 4]]
        if i < count and i % OVERRIDE_EVERY == 0:
            coming = occurrences.expand(series_for(event), now, now + timedelta(days=60))
            event.overrides.add(
                OccurrenceOverride(
                    original_start=coming[1].original_start,
                    action=OverrideAction.CANCEL,
                    note="Fällt wegen einer Fortbildung aus.",
                )
            )
            moved_to = coming[2].original_start + timedelta(days=1, hours=1)
            event.overrides.add(
                OccurrenceOverride(
                    original_start=coming[2].original_start,
                    action=OverrideAction.MOVE,
                    new_start=moved_to,
                    new_end=moved_to + timedelta(hours=2),
                    note="Einen Tag später.",
                )
            )
        index.add_child(instance=event)
        events.append(event)
    return events


def build_index() -> str:
    """Run the index command if it exists; a line for the report."""
    from django.core.management import call_command, get_commands

    if INDEX_COMMAND not in get_commands():
        return f"no occurrence index built ({INDEX_COMMAND} does not exist)"
    started = time.perf_counter()
    try:
        call_command(INDEX_COMMAND, stdout=StringIO(), stderr=StringIO())
    except Exception as error:  # report it; the views then run without the index
        return f"FAIL: {INDEX_COMMAND} raised {type(error).__name__}: {error}"
    return f"{INDEX_COMMAND}: initial build {time.perf_counter() - started:.2f} s"


# -- reference counts -------------------------------------------------------------------------


def pure_count(index, start: datetime, end: datetime) -> int:
    """Occurrences in a window by the pure expansion, without any cap: the reference."""
    from kokreative_wagtail.events.series import occurrences_of

    return len(occurrences_of(list(index.get_events()), start, end, limit=UNCAPPED))


def year_window() -> tuple[str, str, datetime, datetime]:
    """``from`` and ``to`` of the year (today .. today + 365 days, as the API reads dates) and
    the same window as aware datetimes: from the start of today to the end of the last day."""
    from django.utils import timezone

    zone = timezone.get_default_timezone()
    today = timezone.localdate(timezone.now(), zone)
    last = today + timedelta(days=365)
    start = datetime.combine(today, clock.min, zone)
    end = datetime.combine(last + timedelta(days=1), clock.min, zone)
    return today.isoformat(), last.isoformat(), start, end


def later_month(months: int) -> str:
    from django.utils import timezone

    today = timezone.localdate()
    number = today.year * 12 + today.month - 1 + months
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


# -- requests ---------------------------------------------------------------------------------


def get(client, url: str, expect=(200,), **headers):
    response = client.get(url, **headers)
    if response.status_code not in expect:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return response


def clear_caches() -> None:
    from django.core.cache import caches

    for cache in caches.all(initialized_only=True):
        cache.clear()


def api_limit_max(client) -> tuple[int, str]:
    """The maximum of ``limit`` of ``list_occurrences`` in the OpenAPI document."""
    schema = get(client, OPENAPI).json()
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            if operation.get("operationId") != "list_occurrences":
                continue
            for parameter in operation.get("parameters", []):
                if parameter.get("name") == "limit":
                    maximum = parameter.get("schema", {}).get("maximum")
                    if maximum:
                        return int(maximum), "from openapi.json"
    return 500, "not found in openapi.json; 500 assumed"


def page_through_year(client, first: str, last: str, limit: int, capture: bool = False) -> dict:
    """Follow the documented paging through the year; requests, items, checks and time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    base = {"from": first, "to": last, "limit": limit}
    seen: set = set()
    result = {
        "requests": 0,
        "items": 0,
        "repeats": 0,
        "count": None,
        "mode": "offset",
        "queries": [],
        "seconds": 0.0,
        "problems": [],
    }
    params = dict(base)
    while True:
        url = f"{API}?{urlencode(params)}"
        started = time.perf_counter()
        if capture:
            with CaptureQueriesContext(connection) as captured:
                response = get(client, url)
            result["queries"].append(len(captured))
        else:
            response = get(client, url)
        data = response.json()
        result["seconds"] += time.perf_counter() - started
        result["requests"] += 1
        items = data.get("items", [])
        if result["count"] is None:
            result["count"] = data.get("count")
        for item in items:
            key = (item["event"]["id"], item["original_start"])
            if key in seen:
                result["repeats"] += 1
            seen.add(key)
        result["items"] += len(items)
        if result["requests"] > 10_000:
            result["problems"].append("more than 10000 requests: stopped")
            break
        if "next_cursor" in data:
            result["mode"] = "cursor"
            if data["next_cursor"] is None:
                break
            params = {**base, "cursor": data["next_cursor"]}
            continue
        offset = params.get("offset", 0) + limit
        if result["count"] is None or offset >= result["count"]:
            break
        if not items:
            result["problems"].append(f"empty page at offset {params.get('offset', 0)}")
            break
        params = {**base, "offset": offset}
    return result


def measure_turns(client, measured, runs: int, warmup: int) -> dict[str, tuple[float, int, str]]:
    """``{what: (median ms, queries of one request, status)}`` for ``[(what, call), …]``.

    ``call()`` does its untimed preparation and returns a function making the request. As
    ``_setup.measure_all``: once, once more counting queries, ``warmup`` rounds, then ``runs``
    timed rounds, the calls taking turns in each round.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    queries, statuses = {}, {}
    for _what, call in measured:
        call()()
    for what, call in measured:
        request = call()
        with CaptureQueriesContext(connection) as captured:
            statuses[what] = str(request().status_code)
        queries[what] = len(captured)
    for _ in range(warmup):
        for _what, call in measured:
            call()()
    gc.collect()
    times: dict[str, list[float]] = {what: [] for what, _call in measured}
    for _ in range(runs):
        for what, call in measured:
            request = call()
            started = time.perf_counter()
            request()
            times[what].append(time.perf_counter() - started)
    return {
        what: (statistics.median(times[what]) * 1000, queries[what], statuses[what])
        for what, _call in measured
    }


# -- one size ---------------------------------------------------------------------------------


def run_size(size: int, runs: int, warmup: int, paging_runs: int) -> dict:
    """Fill a fresh database with ``size`` series, build the index if possible, measure."""
    from django.test import Client
    from django.utils import timezone

    from kokreative_wagtail.events.listing import month_bounds

    figures: dict = {"rows": [], "failures": [], "size": size}
    figures["runs"] = (runs, warmup, paging_runs)
    fail = figures["failures"].append

    clear_caches()  # of the previous size's database
    started = time.perf_counter()
    index = create_index()
    events = add_series(index, size, create_elements())
    analyze()
    figures["fill"] = time.perf_counter() - started
    figures["index"] = build_index()
    analyze()
    print(
        f"  N={size}: filled in {figures['fill']:.1f} s; {figures['index']}",
        file=sys.stderr,
    )
    clear_caches()

    client = Client()
    index_url = index.url
    series_page = events[0]
    later = later_month(6)
    limit, limit_source = api_limit_max(client)
    figures["limit"] = (limit, limit_source)

    # the reference: the pure expansion
    zone = timezone.get_current_timezone()
    now = timezone.now()
    in_list = pure_count(index, now, now + index.list_horizon)
    in_month = pure_count(index, *month_bounds(None, zone))
    in_later = pure_count(index, *month_bounds(later, zone))
    in_api = pure_count(index, now, now + timedelta(days=90))

    broken: set[str] = set()

    def probe(what: str, url: str, **headers):
        """The first answer of a row, checked for its status; None (and a FAIL line) if bad."""
        try:
            response = client.get(url, **headers)
        except Exception as error:  # report and measure the rest
            fail(f"{what}: GET {url} raised {type(error).__name__}: {error}")
            broken.add(what)
            return None
        if response.status_code != 200:
            fail(f"{what}: GET {url} answered {response.status_code}")
            broken.add(what)
            return None
        return response

    def shown(what: str, url: str, marker: str) -> int | None:
        response = probe(what, url)
        return None if response is None else response.content.decode().count(marker)

    def accounted(what: str, url: str) -> int | None:
        """Occurrences the month view accounts for: those in its cells, and those its days'
        "N more dates" links lead to (the context's ``weeks``)."""
        response = probe(what, url)
        if response is None:
            return None
        weeks = response.context["weeks"] if response.context else []
        return sum(len(day.occurrences) + getattr(day, "more", 0) for w in weeks for day in w)

    month_url, later_url = f"{index_url}?view=month", f"{index_url}?view=month&month={later}"
    shown_list = shown("index list", index_url, '<article class="kk-occurrence')
    if shown_list is not None and shown_list != min(in_list, index.list_limit):
        fail(f"index list shows {shown_list}, expected {min(in_list, index.list_limit)}")
    shown_month = shown("index month", month_url, 'class="kk-calendar-entry')
    counted_month = accounted("index month", month_url)
    if counted_month is not None and counted_month != in_month:
        fail(f"month view accounts for {counted_month} of the month's {in_month} occurrences")
    shown_later = shown("month +6", later_url, 'class="kk-calendar-entry')
    counted_later = accounted("month +6", later_url)
    if counted_later is not None and counted_later != in_later:
        fail(f"month {later} accounts for {counted_later} of its {in_later} occurrences")
    api_response = probe("api occurrences", API)
    api_data = api_response.json() if api_response is not None else {"count": None, "items": []}
    if api_response is not None and api_data["count"] != in_api:
        fail(f"GET occurrences: count {api_data['count']}, pure expansion {in_api}")

    feed_url = f"{index_url}feed.ics"
    event_url = f"{series_page.url}event.ics"
    clear_caches()
    first_feed = probe("feed cold", feed_url)
    conditional: dict = {}
    validator = "none"
    if first_feed is None:
        broken.update({"feed warm", "feed 304"})
    else:
        if b"BEGIN:VCALENDAR" not in first_feed.content:
            fail("feed.ics is no calendar")
        if first_feed.has_header("ETag"):
            conditional = {"HTTP_IF_NONE_MATCH": first_feed["ETag"]}
            validator = "If-None-Match"
        elif first_feed.has_header("Last-Modified"):
            conditional = {"HTTP_IF_MODIFIED_SINCE": first_feed["Last-Modified"]}
            validator = "If-Modified-Since"
    feed_bytes = len(first_feed.content) if first_feed is not None else 0
    probe("event.ics", event_url)

    def plain(url: str, expect=(200,), **headers) -> Callable:
        return lambda: lambda: get(client, url, expect, **headers)

    def cold() -> Callable:
        clear_caches()
        return lambda: get(client, feed_url)

    # Clearing the caches for the cold feed would make every request after it cold too (the
    # site's root paths, settings, ...): the cold feed gets rounds of its own, after the others.
    measured = [
        ("index list", plain(index_url)),
        ("index month", plain(month_url)),
        ("month +6", plain(later_url)),
        ("api occurrences", plain(API)),
        ("feed warm", plain(feed_url)),
    ]
    if conditional:
        measured.append(("feed 304", plain(feed_url, (200, 304), **conditional)))
    measured.append(("event.ics", plain(event_url)))
    measured = [(what, call) for what, call in measured if what not in broken]
    results = measure_turns(client, measured, runs, warmup)
    if "feed cold" not in broken:
        results.update(measure_turns(client, [("feed cold", cold)], runs, warmup))
    measured.insert(4, ("feed cold", cold))
    measured = [(what, call) for what, call in measured if what in results]

    notes = {
        "index list": f"{shown_list} shown of {in_list} in the coming 366 days",
        "index month": f"{shown_month} shown of {in_month} in the month",
        "month +6": f"{later}: {shown_later} shown of {in_later}",
        "api occurrences": (
            f"{len(api_data['items'])} returned, count {api_data['count']} "
            f"(pure expansion {in_api})"
        ),
        "feed cold": f"Django's caches cleared before each (own rounds); {feed_bytes} bytes",
        "feed warm": "caches warm",
        "event.ics": f"{series_page.title}, series begun ten years ago, 2 overrides",
    }
    if conditional:
        notes["feed 304"] = f"{validator} from the first response; status {{status}}"
    else:
        notes["feed warm"] += "; the feed sent no ETag or Last-Modified (no conditional row)"
    for what, _call in measured:
        ms, queries, status = results[what]
        note = notes.get(what, "").replace("{status}", status)
        figures["rows"].append((what, ms, queries, note))

    # a year through the API, as a client pages it
    first, last, year_start, year_end = year_window()
    in_year = pure_count(index, year_start, year_end)
    try:
        check = page_through_year(client, first, last, limit, capture=True)  # also the warm-up
        if check["problems"]:
            fail("year paging: " + "; ".join(check["problems"]))
        if check["count"] is not None and check["items"] != check["count"]:
            fail(f"year paging: {check['items']} items received, count {check['count']}")
        if check["repeats"]:
            fail(f"year paging: {check['repeats']} repeated occurrences")
        if check["items"] - check["repeats"] != in_year:
            fail(
                f"year paging: {check['items'] - check['repeats']} distinct occurrences received, "
                f"pure expansion {in_year}"
            )
        if check["count"] is not None and check["count"] != in_year:
            fail(f"year paging: count {check['count']}, pure expansion {in_year}")
        gc.collect()
        totals = [
            page_through_year(client, first, last, limit)["seconds"] for _ in range(paging_runs)
        ]
        year_ms = statistics.median(totals) * 1000
        figures["year"] = year_ms / 1000
        figures["rows"].append(
            (
                "api year, paged",
                year_ms,
                max(check["queries"]),
                f"{check['requests']} requests by {check['mode']} (limit {limit}), "
                f"{check['items']} items, count {check['count']}, pure expansion {in_year}; "
                f"{sum(check['queries'])} queries in all; median of {paging_runs}",
            )
        )
        # the same with Django's cache emptied first: every event's JSON built once on the way
        clear_caches()
        cold_seconds = page_through_year(client, first, last, limit)["seconds"]
        figures["year_cold"] = cold_seconds
        figures["rows"].append(
            (
                "api year, cold",
                cold_seconds * 1000,
                max(check["queries"]),
                "the same after clearing Django's cache (the events' JSON built again); one run",
            )
        )
    except Exception as error:  # report and go on with the other sizes
        fail(f"year paging raised {type(error).__name__}: {error}")
    return figures


# -- report -----------------------------------------------------------------------------------


def print_report(all_figures: list[dict], total: float) -> None:
    print("events_scale: median ms of the timed rounds after warm-up, URLs taking turns")
    print(environment_line())
    for figures in all_figures:
        size = figures["size"]
        runs, warmup, paging_runs = figures["runs"]
        print()
        print(
            f"N = {size} weekly series (+{ONE_OFFS} one-offs): filled in {figures['fill']:.1f} s; "
            f"{figures['index']}; {runs} rounds after {warmup + 2} warm-up; "
            f"limit {figures['limit'][0]} ({figures['limit'][1]})"
        )
        print()
        width = max(len(what) for what, *_rest in figures["rows"])
        print(f"| {'what':<{width}} | {'median ms':>9} | {'queries':>7} | note")
        print(f"|:{'-' * (width + 1)}|----------:|--------:|:-----")
        for what, ms, queries, note in figures["rows"]:
            print(f"| {what:<{width}} | {ms:>9.1f} | {queries:>7} | {note}".rstrip())
        for failure in figures["failures"]:
            print(f"FAIL (N={size}): {failure}")

    by_size = {f["size"]: {what: ms for what, ms, *_r in f["rows"]} for f in all_figures}

    def figure(size: int, what: str) -> float | None:
        return by_size.get(size, {}).get(what)

    print()
    print("Targets (events at scale; figures of a 2-core VM):")
    small, large = min(by_size), max(by_size)
    if small != large:
        label = f"{large} vs {small} series"
        if (small, large) != (10, LARGE):
            label += " (not 1000 vs 10)"
        for what in ("index list", "index month", "api occurrences"):
            before, after = figure(small, what), figure(large, what)
            if before is None or after is None:
                print(f"- {what}: not measured at both sizes")
                continue
            print(
                f"- {what}: {label} {after / before:.2f}x ({before:.1f} -> {after:.1f} ms; "
                f"target <= {TARGET_RATIO}x)"
            )
    for size, target in TARGET_YEAR.items():
        if size in by_size:
            ms = figure(size, "api year, paged")
            seconds = "not measured" if ms is None else f"{ms / 1000:.2f} s"
            cold = figure(size, "api year, cold")
            cold_text = "" if cold is None else f", {cold / 1000:.2f} s with a cold cache"
            print(
                f"- a year through the API at {size} series: {seconds}{cold_text} "
                f"(target about {target} s)"
            )
    if LARGE in by_size:
        for what in ("feed cold", "feed warm"):
            ms = figure(LARGE, what)
            seconds = "not measured" if ms is None else f"{ms / 1000:.3f} s"
            print(f"- {what} at {LARGE} series: {seconds} (target about {TARGET_FEED} s)")
        ms = figure(LARGE, "index list")
        shown = "not measured" if ms is None else f"{ms:.1f} ms"
        print(f"- index list at {LARGE} series: {shown} (target well under {TARGET_LIST_MS} ms)")
    failures = sum(len(f["failures"]) for f in all_figures)
    print(f"\n{failures} FAIL line(s); total {total:.0f} s including set-up")


def parse_sizes(text: str) -> list[int]:
    return sorted({int(part) for part in text.split(",") if part.strip()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=os.environ.get("BENCH_SIZES", ",".join(map(str, SIZES))),
        help="numbers of series, comma-separated (default: BENCH_SIZES or 10,200,1000)",
    )
    parser.add_argument("--runs", type=int, default=RUNS, help="timed rounds below 1000 series")
    parser.add_argument(
        "--month-day-limit",
        type=int,
        default=None,
        help="dates a day of the month view shows (default: EventIndexPage.month_day_limit)",
    )
    args = parser.parse_args()
    sizes = parse_sizes(args.sizes)

    setup_django()
    if args.month_day_limit is not None:
        from kokreative_wagtail.events.models import EventIndexPage

        EventIndexPage.month_day_limit = args.month_day_limit
    from django.conf import settings

    # A production site's shared cache (Redis) holds every event's JSON; the test settings'
    # local-memory cache would keep only 300 entries (Django's default) and evict the rest.
    settings.CACHES["default"].setdefault("OPTIONS", {})["MAX_ENTRIES"] = 100_000
    from django.db import connection
    from django.db.backends.base.base import BaseDatabaseWrapper

    started = time.perf_counter()
    all_figures = []
    for size in sizes:
        large = size >= LARGE
        runs = min(args.runs, RUNS_LARGE) if large else args.runs
        with test_database():
            all_figures.append(
                run_size(
                    size,
                    runs=runs,
                    warmup=WARMUP_LARGE if large else WARMUP,
                    paging_runs=PAGING_RUNS_LARGE if large else PAGING_RUNS,
                )
            )
        # An in-memory SQLite database lives as long as its connection, which Django's SQLite
        # backend never closes (close() ignores in-memory databases): close it for a fresh one.
        BaseDatabaseWrapper.close(connection)
    print_report(all_figures, time.perf_counter() - started)


if __name__ == "__main__":
    main()
