"""Benchmark: what one bad rule, stored past validation, costs every events view.

Run: ``.venv/bin/python bench/broken_rules.py [--runs N]`` (SQLite in memory), or with
``DATABASE_URL=postgres://…`` for PostgreSQL. Prints a table; never asserts a timing.

Data: one ``EventIndexPage`` with ten sound weekly series (Thursdays 16:30, begun last year)
and one more event page, "the bad one", a weekly series too. For each rule class the issue
measured, the bad page's rule (or start) is written into the database directly, as the shell,
an import or a migration would, past the model's validation; then, requests taking turns:

- ``list``: ``GET <index>/`` (the next 366 days, first 50 dates);
- ``month``: ``GET <index>/?view=month`` (the current month);
- ``api``: ``GET /api/kokreative/v1/occurrences`` (now to 90 days later);
- ``feed``: ``GET <index>/feed.ics``;
- ``page``: ``GET <bad page>/`` (its own page).

Each cell is "status, median ms", and the last column the largest slowdown of the four
listings against the same URLs with the bad page's rule sound (the baseline row), measured in
the same round. The script uses HTTP and the ORM only, so the same file measures an older
version of the package (a git worktree of an earlier commit, with this file copied in): that
is how bench/README.md's "before" figures were taken.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import analyze, environment_line, setup_django, test_database  # noqa: E402

BERLIN = ZoneInfo("Europe/Berlin")
SOUND = "RRULE:FREQ=WEEKLY;BYDAY=TH"
API = "/api/kokreative/v1/occurrences"

#: (name, stored rule, stored start or None) — the rule classes of the issue.
CLASSES = [
    ("baseline (sound rule)", SOUND, None),
    ("BYSETPOS=0", "RRULE:FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0", None),
    ("BYSETPOS=1000", "RRULE:FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1000", None),
    ("BYHOUR=25", "RRULE:FREQ=DAILY;BYHOUR=25", None),
    ("MONTHLY BYDAY=9MO", "RRULE:FREQ=MONTHLY;BYDAY=9MO", None),
    ("YEARLY BYDAY=60MO", "RRULE:FREQ=YEARLY;BYDAY=60MO", None),
    ("INTERVAL=1000000000", "RRULE:FREQ=WEEKLY;INTERVAL=1000000000", None),
    ("INTERVAL=0", "RRULE:FREQ=WEEKLY;INTERVAL=0", None),
    ("BYMONTH=13", "RRULE:FREQ=YEARLY;BYMONTH=13", None),
    ("COUNT=10^20", "RRULE:FREQ=WEEKLY;COUNT=99999999999999999999", None),
    ("RDATE 9999", "RRULE:FREQ=WEEKLY\nRDATE:99991231T235959Z", None),
    ("UNTIL 9999", "RRULE:FREQ=WEEKLY;UNTIL=99991231T235959Z", None),
    ("start 0001-01-01", "RRULE:FREQ=WEEKLY", datetime(1, 1, 1, 16, 30, tzinfo=BERLIN)),
    ("never: DAILY 30 Feb", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", None),
    ("never: WEEKLY 30 Feb", "RRULE:FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=30", None),
    ("never: HOURLY 30 Feb", "RRULE:FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30", None),
    ("never: SECONDLY 30 Feb", "RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30", None),
    ("unreadable text", "garbage", None),
    # the worst a rule in range can do: COUNT rules iterate from their start, here 1900
    (
        "never, COUNT, since 1900",
        "RRULE:FREQ=DAILY;COUNT=1000;BYMONTH=2;BYMONTHDAY=30",
        datetime(1900, 1, 4, 16, 30, tzinfo=BERLIN),
    ),
    (
        "10th Monday, COUNT, since 1900",
        "RRULE:FREQ=MONTHLY;COUNT=1000;BYDAY=MO;BYSETPOS=10",
        datetime(1900, 1, 4, 16, 30, tzinfo=BERLIN),
    ),
]


def create_calendar():
    import recurrence
    from django.utils import timezone
    from wagtail.models import Site

    from kokreative_wagtail.events.models import EventIndexPage, EventPage

    root = Site.objects.get(is_default_site=True).root_page
    index = EventIndexPage(title="Termine", slug="termine")
    root.add_child(instance=index)
    index.save_revision().publish()
    index.refresh_from_db()
    today = timezone.localtime(timezone.now(), BERLIN).date()
    thursday = today - timedelta(days=(today.weekday() - 3) % 7) - timedelta(weeks=52)
    now = timezone.now()
    pages = []
    for i in range(11):
        start = datetime.combine(thursday + timedelta(days=i % 3), clock(16, 30), BERLIN)
        page = EventPage(
            title=f"Reihe {i:02d}" if i else "Die schlechte Reihe",
            slug=f"reihe-{i:02d}",
            start=start,
            end=start + timedelta(minutes=90),
            time_zone="Europe/Berlin",
            recurrence=recurrence.deserialize(SOUND),
            live=True,
            first_published_at=now,
            last_published_at=now,
        )
        index.add_child(instance=page)
        pages.append(page)
    return index, pages[0]


def store(page, rule: str, start: datetime | None) -> None:
    """Past validation, as the shell or an import would write it."""
    from kokreative_wagtail.events.models import EventPage

    fields = {"recurrence": rule, "start": start or page.start, "end": (start or page.start)}
    fields["end"] = fields["start"] + timedelta(minutes=90)
    EventPage.objects.filter(pk=page.pk).update(**fields)


def measure(client, urls: dict[str, str], runs: int) -> dict[str, tuple[int, float]]:
    """{what: (status, median ms)}: URLs taking turns, one warm-up round first."""
    import logging

    logging.disable(logging.CRITICAL)  # a 500's traceback or a skip warning per request
    try:
        statuses = {what: client.get(url).status_code for what, url in urls.items()}
        times: dict[str, list[float]] = {what: [] for what in urls}
        for _ in range(runs):
            for what, url in urls.items():
                start = time.perf_counter()
                client.get(url)
                times[what].append(time.perf_counter() - start)
    finally:
        logging.disable(logging.NOTSET)
    return {what: (statuses[what], statistics.median(times[what]) * 1000) for what in urls}


def run(runs: int) -> list[tuple[str, dict, float]]:
    from django.test import Client

    index, bad = create_calendar()
    analyze()
    client = Client(raise_request_exception=False)
    urls = {
        "list": index.url,
        "month": index.url + "?view=month",
        "api": API,
        "feed": index.url + "feed.ics",
        "page": bad.url,
    }
    rows = []
    baseline: dict[str, tuple[int, float]] = {}
    for name, rule, start in CLASSES:
        store(bad, rule, start)
        figures = measure(client, urls, runs)
        if not baseline:
            baseline = figures
        slower = max(figures[w][1] - baseline[w][1] for w in ("list", "month", "api", "feed"))
        rows.append((name, figures, slower))
    return rows


def print_rows(rows, runs: int) -> None:
    print(f"broken_rules: median of {runs} runs after one warm-up, URLs taking turns")
    print(environment_line())
    print()
    columns = ("list", "month", "api", "feed", "page")
    width = max(len(name) for name, _f, _s in rows)
    header = " | ".join(f"{c:>11}" for c in columns)
    print(f"| {'stored rule':<{width}} | {header} | slower by")
    print(f"|:{'-' * (width + 1)}|" + "|".join("-" * 12 + ":" for _ in columns) + "|---------:|")
    for name, figures, slower in rows:
        cells = " | ".join(f"{figures[c][0]} {figures[c][1]:>6.1f}" for c in columns)
        print(f"| {name:<{width}} | {cells} | {slower:>6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="timed requests per URL and rule")
    args = parser.parse_args()
    setup_django()
    with test_database():
        rows = run(args.runs)
    print_rows(rows, args.runs)


if __name__ == "__main__":
    main()
