"""200 registrations for 20 seats from several OS processes at once: never overbooked.

Each worker process is an app server of its own (``django.setup()``, its own database
connection to the test database) that calls ``seats.register`` as the views do. The processes
start together on a signal, so their registrations race for the date's row lock.

PostgreSQL only (``DATABASE_URL=postgres://…``): SQLite in memory cannot be shared between
processes, and it serialises writers anyway.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from kokreative_wagtail.registrations.choices import Status
from kokreative_wagtail.registrations.models import Registration

from .factories import create_registration_event

PROCESSES = 4
PEOPLE = 200
SEATS = 20
CANCELLED = 10

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/"
        "kokreative_test",
    ),
    pytest.mark.django_db(transaction=True),
]

REPO = Path(__file__).resolve().parents[2]

#: One app server: set up Django on the test database, say "ready", then for each task line
#: (sent to every worker at once: the start signal) run its jobs and print one JSON line of
#: ``[job, outcome]``; an empty line ends it.
WORKER = """
import json, sys
import django
from django.conf import settings
# the outbox rows are written as in production; sending them is not what is tested here
settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
django.setup()
from django.db import connection
settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = sys.argv[1]
from wagtail.models import Page
from kokreative_wagtail.registrations import seats
print("ready", flush=True)
for line in sys.stdin:
    if not line.strip():
        break
    task = json.loads(line)
    page = Page.objects.get(pk=task["page"]).specific
    results = []
    for job in task["jobs"]:
        try:
            if task["action"] == "register":
                change = seats.register(
                    page=page, original_start=page.start, seats=task["seats"],
                    waiting_list=True, double_opt_in=False,
                    person={"name": f"Person {job}", "email": f"person{job}@example.org"},
                )
            else:
                change = seats.cancel(job, seats_of=lambda r: (task["seats"], True))
            results.append([job, change.registration.status])
        except seats.RegistrationError as error:
            results.append([job, error.code])
        except Exception as error:  # reported to the test, which fails on it
            results.append([job, "error " + type(error).__name__])
    print(json.dumps(results), flush=True)
"""


@pytest.fixture
def workers(transactional_db):
    """``PROCESSES`` app-server processes on the test database, ready for tasks."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "example_site")]),
    }
    started = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, connection.settings_dict["NAME"]],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=env,
        )
        for _ in range(PROCESSES)
    ]
    try:
        for worker in started:
            assert worker.stdout.readline().strip() == "ready"
        yield started
        for worker in started:
            worker.stdin.write("\n")
            worker.stdin.flush()
            assert worker.wait(timeout=60) == 0
    finally:
        for worker in started:
            if worker.poll() is None:
                worker.kill()


def run_at_once(workers, page, action: str, jobs: list) -> list:
    """``jobs`` split over the workers, which start them at the same moment."""
    lines = [
        json.dumps(
            {"page": page.pk, "seats": SEATS, "action": action, "jobs": jobs[n :: len(workers)]}
        )
        + "\n"
        for n in range(len(workers))
    ]
    for worker, line in zip(workers, lines, strict=True):
        worker.stdin.write(line)
        worker.stdin.flush()
    results = []
    for worker in workers:
        results += json.loads(worker.stdout.readline())
    return results


def test_200_people_for_20_seats_from_several_processes(workers):
    page = create_registration_event(seats=SEATS)

    results = run_at_once(workers, page, "register", list(range(PEOPLE)))

    outcomes = sorted(outcome for _job, outcome in results)
    assert outcomes == sorted([Status.CONFIRMED] * SEATS + [Status.WAITING] * (PEOPLE - SEATS))
    registrations = list(Registration.objects.order_by("pk"))
    assert len(registrations) == PEOPLE  # none lost, none doubled
    assert len({r.email for r in registrations}) == PEOPLE
    # in the order of the lock: the first 20 got the seats, the rest wait in a strict order
    assert [r.status for r in registrations] == (
        [Status.CONFIRMED] * SEATS + [Status.WAITING] * (PEOPLE - SEATS)
    )
    waiting = [r for r in registrations if r.status == Status.WAITING]
    since = [r.waiting_since for r in waiting]
    assert since == sorted(since) and len(set(since)) == len(since)

    # ten of the confirmed cancel at once: exactly the first ten waiting move up
    confirmed = [r for r in registrations if r.status == Status.CONFIRMED]
    leaving = [str(r.public_id) for r in confirmed[:CANCELLED]]
    results = run_at_once(workers, page, "cancel", leaving)
    assert sorted(outcome for _job, outcome in results) == [Status.CANCELLED] * CANCELLED

    states = dict(Registration.objects.values_list("pk", "status"))
    assert [pk for pk, status in states.items() if status == Status.CONFIRMED] == sorted(
        [r.pk for r in confirmed[CANCELLED:]] + [r.pk for r in waiting[:CANCELLED]]
    )
    assert list(states.values()).count(Status.WAITING) == PEOPLE - SEATS - CANCELLED
