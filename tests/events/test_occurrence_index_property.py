"""Property test: the stored index equals the pure expansion, for random rules, overrides and
windows, and paging through it by offset or by cursor has no repeats and no gaps.

It runs in every database pass of the suite (SQLite, and PostgreSQL under CI).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import recurrence
from django.db import transaction
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from kokreative_wagtail.events import occurrence_index, rules
from kokreative_wagtail.events.models import EventIndexPage, EventPage, OccurrenceHorizon
from kokreative_wagtail.events.occurrence_index import Day, OccurrenceWindow
from kokreative_wagtail.events.series import occurrences_of, series_for, sort_key
from tests.factories import add_page

from .factories import add_event
from .test_event_rules_property import ZONES, sound_rules

UTC = timezone.utc
BERLIN = ZoneInfo("Europe/Berlin")


def shape(items) -> list[tuple]:
    return [
        (i.event.pk, i.start, i.end, i.original_start, i.cancelled, i.moved, i.note) for i in items
    ]


@pytest.fixture
def ground(site_root):
    """An index page with a plain weekly series, and a fresh horizon around today."""
    occurrence_index.extend(rebuild_all=True)
    index = add_page(site_root, EventIndexPage, title="Termine", slug="termine")
    weekly = datetime(2026, 1, 5, 16, 30, tzinfo=BERLIN)
    add_event(
        index, "Wöchentlich", weekly, weekly + timedelta(hours=1), "RRULE:FREQ=WEEKLY", slug="w"
    )
    return index, OccurrenceHorizon.objects.get()


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # each example publishes pages
)
@given(
    rule=sound_rules(),
    start_days=st.integers(-500, 500),
    hour=st.sampled_from([0, 2, 16]),
    minutes=st.integers(0, 3000),
    zone=st.sampled_from(ZONES),
    cancel=st.integers(0, 40),
    move=st.integers(0, 40),
    move_by=st.integers(-3000, 3000),
    window_offset=st.floats(0, 1),
    window_days=st.integers(1, 400),
    limit=st.integers(1, 40),
)
def test_property_index_equals_pure_expansion(
    ground,
    rule,
    start_days,
    hour,
    minutes,
    zone,
    cancel,
    move,
    move_by,
    window_offset,
    window_days,
    limit,
):
    index, horizon = ground
    tz = ZoneInfo(zone)
    start = datetime(2026, 12, 1, hour, 30, tzinfo=tz) + timedelta(days=start_days)
    value = recurrence.Recurrence(rrules=[rule])
    probe = EventPage(start=start, end=start + timedelta(minutes=minutes), time_zone=zone)
    probe.recurrence, probe.all_day = value, False
    assume(rules.validate(series_for(probe)) == [])
    with transaction.atomic():
        page = add_event(
            index, "Zufall", start, start + timedelta(minutes=minutes), zone=zone, slug="z"
        )
        page.recurrence = value
        page.save()
        dates = occurrences_of([page], horizon.start, horizon.start + timedelta(days=700))
        overrides = []
        if dates:
            overrides.append(
                {"original_start": dates[cancel % len(dates)].start, "action": "cancel"}
            )
            moved = dates[move % len(dates)].start
            if moved != overrides[0]["original_start"]:
                overrides.append(
                    {
                        "original_start": moved,
                        "action": "move",
                        "new_start": moved + timedelta(minutes=move_by),
                        "note": "verlegt",
                    }
                )
        for override in overrides:
            page.overrides.create(locale=page.locale, **override)

        span = horizon.end - horizon.start - timedelta(days=window_days)
        window_start = horizon.start + span * window_offset
        window_end = window_start + timedelta(days=window_days)
        events = index.get_events()
        expected = occurrences_of(
            events.prefetch_related("overrides"), window_start, window_end, limit=10**6
        )
        window = OccurrenceWindow(events, window_start, window_end)
        assert window.indexed
        assert window.count() == len(expected)
        # again, the whole days of a window of two or more from the cache
        assert OccurrenceWindow(events, window_start, window_end).count() == len(expected)

        by_offset = []
        for offset in range(0, len(expected) + limit, limit):
            by_offset += window.page(offset, limit)
        assert shape(by_offset) == shape(expected)

        by_cursor, following = [], window.page(0, limit)
        while following:
            by_cursor += following
            assert following.more == (len(by_cursor) < len(expected))
            following = window.after(sort_key(following[-1]), limit)
        assert shape(by_cursor) == shape(expected)

        # the month view's read: per day the first few and how many there are
        per_day = limit % 4 + 1
        days = [
            Day(
                (window_start + timedelta(days=i)).date(),
                window_start + timedelta(days=i),
                min(window_start + timedelta(days=i + 1), window_end),
            )
            for i in range(min(window_days, 40))
        ]
        computed = OccurrenceWindow(events, window_start, window_end)
        computed._indexed = False
        found = window.by_day(days, per_day)
        reference = computed.by_day(days, per_day)
        assert {d: (shape(s), n) for d, (s, n) in found.items()} == {
            d: (shape(s), n) for d, (s, n) in reference.items()
        }
        transaction.set_rollback(True)
