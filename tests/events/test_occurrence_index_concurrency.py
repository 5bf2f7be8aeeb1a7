"""Several app servers extending the occurrence index at once (cron on each): every occurrence
is written exactly once, and nobody fails.

PostgreSQL only (``DATABASE_URL=postgres://…``): SQLite in memory serializes writers, so the
test would show nothing about concurrency there. Under CI it runs in the PostgreSQL pass.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.db import connection

from kokreative_wagtail.events import occurrence_index
from kokreative_wagtail.events.models import (
    EventIndexPage,
    EventPage,
    IndexedEvent,
    IndexedOccurrence,
    OccurrenceHorizon,
)
from kokreative_wagtail.events.series import occurrences_of
from tests.factories import add_page

from .factories import add_event

BERLIN = ZoneInfo("Europe/Berlin")
WRITERS = 4

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in django_settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/"
        "kokreative_test",
    ),
    pytest.mark.django_db(transaction=True),
]


def run_at_once(target) -> list:
    """``target`` in ``WRITERS`` threads started together; what each raised (None: nothing)."""
    barrier = threading.Barrier(WRITERS)
    outcomes: list = [None] * WRITERS

    def work(number: int) -> None:
        try:
            barrier.wait()
            target()
        except Exception as error:  # collected, asserted below
            outcomes[number] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def expected_rows(page, horizon) -> list[tuple]:
    middle = horizon.start + (horizon.end - horizon.start) / 2
    events = EventPage.objects.filter(pk=page.pk).prefetch_related("overrides")
    items = occurrences_of(events, horizon.start, middle) + [
        i for i in occurrences_of(events, middle, horizon.end) if i.start >= middle
    ]
    return [(i.start, i.original_start) for i in items]


def rows(page) -> list[tuple]:
    found = IndexedOccurrence.objects.filter(page_id=page.pk).order_by("start")
    return list(found.values_list("start", "original_start"))


def test_concurrent_first_builds_and_extensions_write_each_occurrence_once(site_root):
    index = add_page(site_root, EventIndexPage, title="Termine", slug="termine")
    start = datetime(2026, 1, 8, 16, 30, tzinfo=BERLIN)
    pages = [
        add_event(
            index,
            f"Reihe {n}",
            start + timedelta(days=n),
            start + timedelta(days=n, hours=1),
            "RRULE:FREQ=WEEKLY",
            slug=f"reihe-{n}",
        )
        for n in range(5)
    ]
    # a new installation: no horizon, nothing indexed
    OccurrenceHorizon.objects.all().delete()
    IndexedEvent.objects.all().delete()
    IndexedOccurrence.objects.all().delete()

    assert run_at_once(occurrence_index.extend) == [None] * WRITERS
    horizon = OccurrenceHorizon.objects.get()
    for page in pages:
        assert rows(page) == expected_rows(page, horizon)

    # a month later, every server's cron fires at once
    later = horizon.updated_at + timedelta(days=30)
    assert run_at_once(lambda: occurrence_index.extend(now=later)) == [None] * WRITERS
    horizon = OccurrenceHorizon.objects.get()
    for page in pages:
        assert rows(page) == expected_rows(page, horizon)
