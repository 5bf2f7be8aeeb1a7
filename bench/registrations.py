"""Benchmark: registrations per second (seats under the date's row lock), in one process and
from several processes at once.

Run: ``DATABASE_URL=postgres://… .venv/bin/python bench/registrations.py [--processes 4]``
(PostgreSQL; SQLite in memory runs the sequential rows only, it cannot be shared between
processes). Prints figures; never asserts a timing.

Each registration is what the registration view does after validating the form:
``seats.register`` (lock the date's row, count the seats, store the registration) and its
e-mail rendered into the outbox in the same transaction; the test settings' task backend (the
immediate one) then "sends" it after the commit, with the in-memory e-mail backend.

Measured, each over ``N`` registrations after ``WARMUP`` warm-up ones:

- ``sequential, seats free``: one date with enough seats, one after the other;
- ``sequential, waiting list``: one date with one seat: everybody after the first waits;
- ``sequential, double opt-in``: pending registrations, which hold no seat yet;
- ``P processes, one date``: ``N`` registrations for one date with 20 seats and a waiting list
  from ``P`` processes at once (each its own Django and database connection, like app
  servers): they queue on the date's row lock;
- ``P processes, P dates``: the same, each process registering for a date of its own.

Each row gives registrations per second (wall time of the slowest process), the SQL queries of
one registration (sequential rows), and the outcome: confirmed / waiting / pending, checked
against the number sent (the concurrent rows must confirm exactly the seats).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import REPO, environment_line, setup_django, test_database  # noqa: E402

N = 200
WARMUP = 10
SEATS = 20


def create_event(title: str, slug: str, seats: int):
    from datetime import timedelta

    from django.utils import timezone
    from wagtail.models import Site

    from kokreative_wagtail.events.models import EventIndexPage, EventPage
    from kokreative_wagtail.registrations.models import RegistrationOptions

    root = Site.objects.get(is_default_site=True).root_page
    index = EventIndexPage.objects.first()
    if index is None:
        index = EventIndexPage(title="Termine", slug="termine")
        root.add_child(instance=index)
        index.save_revision().publish()
    start = (timezone.now() + timedelta(days=21)).replace(microsecond=0)
    page = EventPage(title=title, slug=slug, start=start, end=start + timedelta(minutes=90))
    index.add_child(instance=page)
    page.registration_options.add(RegistrationOptions(seats=seats))
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def register(page, number: int, *, seats: int, double_opt_in: bool = False) -> str:
    from kokreative_wagtail.registrations import seats as seat_decisions

    change = seat_decisions.register(
        page=page,
        original_start=page.start,
        seats=seats,
        waiting_list=True,
        double_opt_in=double_opt_in,
        person={
            "name": f"Person {number}",
            "email": f"person{number}@example.org",
            "organisation": "Stadt Musterstadt",
        },
    )
    return change.registration.status


def outcome(page) -> str:
    from django.db.models import Count

    from kokreative_wagtail.registrations.models import Registration

    counts = dict(
        Registration.objects.filter(page=page)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return " / ".join(str(counts.get(s, 0)) for s in ("confirmed", "waiting", "pending"))


def sequential() -> list[tuple[str, float, int | str, str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = []
    cases = (
        ("sequential, seats free", N + WARMUP + 1, False),
        ("sequential, waiting list", 1, False),
        ("sequential, double opt-in", SEATS, True),
    )
    for number, (what, seats, double_opt_in) in enumerate(cases):
        page = create_event(what, f"sequential-{number}", seats)
        for i in range(WARMUP):
            register(page, 10**6 + i, seats=seats, double_opt_in=double_opt_in)
        with CaptureQueriesContext(connection) as captured:
            register(page, 10**7, seats=seats, double_opt_in=double_opt_in)
        queries = len(captured)
        start = time.perf_counter()
        for i in range(N):
            register(page, i, seats=seats, double_opt_in=double_opt_in)
        seconds = time.perf_counter() - start
        rows.append((what, N / seconds, queries, outcome(page)))
    return rows


def start_workers(count: int) -> list[subprocess.Popen]:
    from django.db import connection

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "example_site")])}
    workers = [
        subprocess.Popen(
            [sys.executable, __file__, "--worker", connection.settings_dict["NAME"]],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=env,
        )
        for _ in range(count)
    ]
    for worker in workers:
        if worker.stdout.readline().strip() != "ready":
            raise RuntimeError("a worker process did not start")
    return workers


def concurrent(workers, pages) -> float:
    """``N`` registrations split over the workers, worker ``i`` registering for ``pages[i]``;
    all start at once. Returns registrations per second (the slowest worker's time)."""
    jobs = list(range(N))
    for number, worker in enumerate(workers):
        task = {"page": pages[number].pk, "seats": SEATS, "jobs": jobs[number :: len(workers)]}
        worker.stdin.write(json.dumps(task) + "\n")
    for worker in workers:
        worker.stdin.flush()
    seconds = max(float(worker.stdout.readline()) for worker in workers)
    return N / seconds


def run(processes: int) -> list[tuple[str, float, int | str, str]]:
    from django.db import connection

    rows = sequential()
    if connection.vendor != "postgresql":
        return rows
    workers = start_workers(processes)
    try:
        one = create_event("one date", "one-date", SEATS)
        rate = concurrent(workers, [one] * processes)
        rows.append((f"{processes} processes, one date", rate, "-", outcome(one)))
        own = [create_event(f"date {n}", f"date-{n}", SEATS) for n in range(processes)]
        rate = concurrent(workers, own)
        outcomes = " + ".join(outcome(page) for page in own)
        rows.append((f"{processes} processes, {processes} dates", rate, "-", outcomes))
    finally:
        for worker in workers:
            worker.stdin.write("\n")
            worker.stdin.flush()
            worker.wait(timeout=60)
    return rows


def worker(database: str) -> None:
    """One app server: register the jobs of each task line, print the seconds it took."""
    setup_django()
    from django.conf import settings
    from django.db import connection
    from wagtail.models import Page

    settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = database
    print("ready", flush=True)
    for line in sys.stdin:
        if not line.strip():
            break
        task = json.loads(line)
        page = Page.objects.get(pk=task["page"]).specific
        start = time.perf_counter()
        for number in task["jobs"]:
            register(page, number + 10**5 * page.pk, seats=task["seats"])
        print(time.perf_counter() - start, flush=True)


def print_table(rows) -> None:
    print(f"registrations: {N} registrations per row after {WARMUP} warm-up ones (sequential)")
    print(environment_line())
    print()
    width = max(len(row[0]) for row in rows)
    print(f"| {'what':<{width}} | per second | queries | confirmed / waiting / pending")
    print(f"|:{'-' * (width + 1)}|-----------:|--------:|:-----")
    for what, rate, queries, result in rows:
        print(f"| {what:<{width}} | {rate:>10.1f} | {queries!s:>7} | {result}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--worker", metavar="DATABASE", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        worker(arguments.worker)
        return
    setup_django()
    with test_database():
        print_table(run(arguments.processes))


if __name__ == "__main__":
    main()
