"""Benchmark: the event index page and the occurrences API at 10, 100 and 1000 event pages.

Run: ``.venv/bin/python bench/events_listing.py`` (SQLite in memory), or with
``DATABASE_URL=postgres://…`` for PostgreSQL. Prints a table; never asserts a timing.

Data: one ``EventIndexPage`` under the site root with N live event pages below it, a fixed mix
relative to today: a third the Community of Practice series (every four weeks on Thursday,
16:30-18:00 Europe/Berlin, begun up to two years ago, its next occurrence cancelled by an
override), a third weekly series (18:00-20:00 on one of Monday to Friday, begun up to two years
ago), a third one-off events in the coming 300 days. None of the series ends. Each event has a
teaser, a location and two of the four elements. The events are created without revisions,
for speed; they are live and have publication dates. On PostgreSQL, ``ANALYZE`` runs after each
fill (a live site's autovacuum keeps the planner's statistics current).

Next to them, as the baseline of the HTML rows, N *bare Wagtail pages* below a bare listing page
(``_setup.install_bare_listing``): the example site's ``HomePage`` type, served by Wagtail's
``Page.serve()`` with the listing a Wagtail site writes itself, ``get_children().live().public()
.specific()`` paginated 50 per page (the number of occurrences the event list shows,
``list_limit``), through a minimal template (title, intro, per child a linked title and its
intro). Measured per N, as the median of ``RUNS`` requests after ``WARMUP + 2`` warm-up requests,
the URLs taking turns within each round, with the query count of one request:

- ``index list``: ``GET <index>/``: the upcoming occurrences of the next 366 days, the first 50;
- ``index month``: ``GET <index>/?view=month``: the calendar of the current month, every
  occurrence in it;
- ``bare page``: ``GET <bare index>/``: the bare Wagtail page, 50 of its N children; the baseline
  of the two rows above;
- ``bare, site frame``: ``GET <bare index>/?frame=1``: the same listing in the example site's
  ``base.html``, the frame our pages have; for information;
- ``api occurrences``: ``GET /api/kokreative/v1/occurrences?limit=20``: JSON, the default window
  (now to 90 days later), the first 20 occurrences and the count of all;
- ``api default``: ``GET /api/kokreative/v1/occurrences``: the same with the default limit (100),
  for information;
- ``v2 bare``: Wagtail's API v2 listing of the N event pages with the same number of items,
  ``/api/v2/pages/?type=kokreative_events.EventPage&fields=teaser&limit=20``; the baseline of
  ``api occurrences``.

The notes give the ratios: the design target is a throughput of at least 0.8x the bare Wagtail
page / API v2 list of the same size (time ratio <= 1.25). The occurrences rows also say how many
occurrences the request works through.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import (  # noqa: E402
    add_bare_children,
    analyze,
    check_count,
    create_bare_index,
    create_elements,
    install_bare_listing,
    measure_all,
    print_table,
    ratio_note,
    setup_django,
    test_database,
)

SIZES = (10, 100, 1000)
API_LIMIT = 20  # the largest page of Wagtail's API v2 (WAGTAILAPI_LIMIT_MAX default)
BERLIN = ZoneInfo("Europe/Berlin")
COP_RULE = "RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH"
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR")
API = "/api/kokreative/v1/occurrences"
V2_BARE = "/api/v2/pages/?type=kokreative_events.EventPage&fields=teaser&limit={limit}"


def create_index():
    from wagtail.models import Site

    from kokreative_wagtail.events.models import EventIndexPage

    root = Site.objects.get(is_default_site=True).root_page
    index = EventIndexPage(title="Termine", slug="termine", intro="<p>Alle Termine.</p>")
    root.add_child(instance=index)
    index.save_revision().publish()
    index.refresh_from_db()
    return index


def add_events(index, start: int, stop: int, elements) -> None:
    """Events ``start`` … ``stop - 1`` below ``index``, live, without revisions (faster)."""
    import recurrence
    from django.utils import timezone

    from kokreative_wagtail.events import occurrences
    from kokreative_wagtail.events.choices import OverrideAction
    from kokreative_wagtail.events.models import EventPage, OccurrenceOverride
    from kokreative_wagtail.events.series import series_for

    now = timezone.now()
    today = now.astimezone(BERLIN).date()
    monday = today - timedelta(days=today.weekday())
    for i in range(start, stop):
        kind = i % 3
        weeks_ago = 1 + (i * 7919) % 104  # spread deterministically over two years
        if kind == 0:  # Community of Practice: Thursdays, every four weeks
            day = monday - timedelta(weeks=weeks_ago) + timedelta(days=3)
            begin = datetime.combine(day, clock(16, 30), BERLIN)
            end, rule, title = begin + timedelta(minutes=90), COP_RULE, "Community of Practice"
        elif kind == 1:  # weekly on one working day
            weekday = i % len(WEEKDAYS)
            day = monday - timedelta(weeks=weeks_ago) + timedelta(days=weekday)
            begin = datetime.combine(day, clock(18), BERLIN)
            end, rule = begin + timedelta(hours=2), f"RRULE:FREQ=WEEKLY;BYDAY={WEEKDAYS[weekday]}"
            title = "Sprechstunde"
        else:  # one-off, in the coming 300 days
            day = today + timedelta(days=1 + (i * 37) % 300)
            begin = datetime.combine(day, clock(10), BERLIN)
            end, rule, title = begin + timedelta(hours=3), "", "Werkstatt"
        published = now - timedelta(minutes=i)
        event = EventPage(
            title=f"{title} {i:04d}",
            slug=f"termin-{i:04d}",
            teaser=f"Zwei oder drei Sätze über Termin {i}. Für Verwaltung und Politik.",
            start=begin,
            end=end,
            time_zone="Europe/Berlin",
            recurrence=recurrence.deserialize(rule) if rule else None,
            location_name="Rathaus, Großer Saal",
            location_address="Marktplatz 1, 12345 Beispielstadt",
            live=True,
            first_published_at=published,
            last_published_at=published,
        )
        event.elements = [elements[i % 4], elements[(i + 1) % 4]]
        if kind == 0:
            following = occurrences.expand(series_for(event), now, now + timedelta(days=60))[0]
            event.overrides.add(
                OccurrenceOverride(
                    original_start=following.original_start,
                    action=OverrideAction.CANCEL,
                    note="Fällt wegen einer Fortbildung aus.",
                )
            )
        index.add_child(instance=event)


def occurrence_counts(index) -> tuple[int, int, int]:
    """Occurrences the list view, the month view and the API (default window) compute.

    All of them, not capped at ``MAX_OCCURRENCES`` as the views' lists are: each view expands
    every event in its window before it sorts and cuts the list.
    """
    from django.utils import timezone

    from kokreative_wagtail.events.api import DEFAULT_WINDOW
    from kokreative_wagtail.events.listing import month_bounds
    from kokreative_wagtail.events.series import occurrences_of

    now = timezone.now()
    events = list(index.get_events())
    first, following = month_bounds(None, timezone.get_current_timezone())
    everything = partial(occurrences_of, events, limit=10**9)
    return (
        len(everything(now, now + index.list_horizon)),
        len(everything(first, following)),
        len(everything(now, now + DEFAULT_WINDOW)),
    )


def check_api(response, limit: int) -> None:
    data = response.json()
    if not data["count"] or len(data["items"]) != min(data["count"], limit):
        raise RuntimeError(f"unexpected occurrences API answer: count {data['count']}")


def check_v2(response, total: int) -> None:
    data = response.json()
    if data["meta"]["total_count"] != total or len(data["items"]) != min(total, API_LIMIT):
        raise RuntimeError(f"unexpected API v2 answer: {data['meta']}")


def run() -> list[tuple[int, str, float, int, str]]:
    from django.test import Client

    index = create_index()
    per_page = index.list_limit
    install_bare_listing(per_page=per_page)
    bare = create_bare_index("Alle Seiten", "seiten")
    elements = create_elements()
    client = Client()
    index_url = index.url
    month_url = f"{index_url}?view=month"

    rows = []
    created = 0
    for size in SIZES:
        started = time.perf_counter()
        add_events(index, created, size, elements)
        add_bare_children(bare, created, size, "Seite")
        analyze()
        created = size
        print(
            f"  N={size}: created events and bare pages in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        listed, in_month, in_api_window = occurrence_counts(index)
        bare_check = check_count('class="bare-teaser"', min(size, per_page))
        measured = [
            (
                "index list",
                index_url,
                check_count('<article class="kk-occurrence', min(listed, per_page)),
            ),
            ("index month", month_url, check_count('class="kk-calendar-entry', in_month)),
            ("bare page", bare.url, bare_check),
            ("bare, site frame", f"{bare.url}?frame=1", bare_check),
            ("api occurrences", f"{API}?limit={API_LIMIT}", partial(check_api, limit=API_LIMIT)),
            ("api default", API, partial(check_api, limit=100)),
            ("v2 bare", V2_BARE.format(limit=API_LIMIT), partial(check_v2, total=size)),
        ]
        results = measure_all(client, measured)
        notes = {
            "index list": (
                "bare page",
                f"; {min(listed, per_page)} shown of {listed} in the coming 366 days",
            ),
            "index month": ("bare page", f"; {in_month} shown"),
            "api occurrences": ("v2 bare", f"; {API_LIMIT} returned, {in_api_window} counted"),
            "api default": (
                "v2 bare",
                f"; {min(in_api_window, 100)} returned, {in_api_window} counted",
            ),
        }
        for what, _url, _check in measured:
            note = ""
            if what in notes:
                baseline, extra = notes[what]
                note = ratio_note(results[what][0], results[baseline][0], baseline) + extra
            rows.append((size, what, *results[what], note))
    return rows


def main() -> None:
    setup_django()
    started = time.perf_counter()
    with test_database():
        rows = run()
    print_table("events_listing", rows)
    print(f"\n(total {time.perf_counter() - started:.0f} s including set-up)")


if __name__ == "__main__":
    main()
