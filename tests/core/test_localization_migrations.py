"""The migrations that make occurrence changes translatable fill in existing rows.

Form fields use the same three steps (consultations 0002–0004).
"""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

EVENTS = "kokreative_events"
LAST = "0004_occurrenceoverride_locale_required"


@pytest.mark.django_db(transaction=True)
def test_existing_occurrence_changes_get_their_page_locale_and_own_keys(site_root):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from kokreative_wagtail.events.models import EventIndexPage
    from tests.factories import add_page

    from ..events.factories import add_event

    index = add_page(site_root, EventIndexPage, title="Termine", slug="termine")
    start = datetime(2026, 1, 8, 15, 30, tzinfo=ZoneInfo("UTC"))
    page = add_event(
        index,
        "Reihe",
        start,
        start,
        "RRULE:FREQ=WEEKLY",
        overrides=[{"original_start": start, "action": "cancel"}] * 2,
    )

    executor = MigrationExecutor(connection)
    executor.migrate([(EVENTS, "0001_initial")])
    executor.loader.build_graph()
    executor.migrate([(EVENTS, LAST)])
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT translation_key, locale_id FROM {EVENTS}_occurrenceoverride "
                "WHERE page_id = %s",
                [page.pk],
            )
            rows = cursor.fetchall()
    finally:  # the later migrations back, for the tests after this one
        executor.loader.build_graph()
        # every app forward: rolling events back also unapplied the apps built on it
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert len(rows) == 2
    assert len({str(uuid.UUID(str(key))) for key, _locale in rows}) == 2
    assert {locale for _key, locale in rows} == {page.locale_id}
