"""What is kept per version of the occurrence index: the whole days of a window's count and the
rendered month grid. Every write, and every change of who may see which event where (a move, a
deletion, a view restriction, a site), gives a new version; nothing kept under an old one is
shown again."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone as dj_timezone
from wagtail.models import Page, PageViewRestriction, Site

from kokreative_wagtail.events.models import EventIndexPage, EventPage, OccurrenceHorizon
from kokreative_wagtail.events.occurrence_index import OccurrenceWindow
from tests.factories import add_page

from .factories import add_event
from .test_occurrence_index import computed

BERLIN = ZoneInfo("Europe/Berlin")
API = "/api/kokreative/v1/occurrences"


@pytest.fixture
def monday(horizon) -> datetime:
    """10:00 on the Monday of next week, Berlin time."""
    day = dj_timezone.localtime(dj_timezone.now(), BERLIN).replace(
        hour=10, minute=0, second=0, microsecond=0
    ) + timedelta(days=7)
    return day - timedelta(days=day.weekday())


@pytest.fixture
def series(event_index, monday) -> list[EventPage]:
    """Four weekly series and a daily one, from next Monday on."""
    pages = [
        add_event(
            event_index,
            f"Reihe {number}",
            monday + timedelta(days=number, hours=number),
            monday + timedelta(days=number, hours=number + 1),
            "RRULE:FREQ=WEEKLY",
            slug=f"reihe-{number}",
        )
        for number in range(4)
    ]
    pages.append(
        add_event(
            event_index,
            "Täglich",
            monday - timedelta(hours=2),
            monday + timedelta(hours=30),  # two days long: runs into windows
            "RRULE:FREQ=DAILY;COUNT=90",
            slug="taeglich",
        )
    )
    return pages


def version() -> str:
    return OccurrenceHorizon.objects.get().updated_at.isoformat()


# --- the version ------------------------------------------------------------------------------


def test_a_view_restriction_gives_a_new_version(series):
    before = version()
    restriction = PageViewRestriction.objects.create(page=series[0], restriction_type="login")
    assert version() != before
    before = version()
    restriction.delete()
    assert version() != before


def test_a_site_change_gives_a_new_version(series):
    before = version()
    site = Site.objects.get(is_default_site=True)
    site.hostname = "kommune.example.org"
    site.save()
    assert version() != before


def test_moving_a_page_gives_a_new_version(series, event_index):
    other = add_page(event_index.get_parent(), EventIndexPage, title="Archiv", slug="archiv")
    before = version()
    Page.objects.get(pk=series[0].pk).move(other, pos="last-child")
    assert version() != before


def test_deleting_an_event_gives_a_new_version(series):
    before = version()
    Page.objects.get(pk=series[1].pk).delete()
    assert version() != before


def test_an_unrelated_save_keeps_the_version(series, site_root):
    before = version()
    site_root.title = "Start"
    site_root.save()
    assert version() == before


# --- counts -----------------------------------------------------------------------------------


def test_counts_are_exact_for_random_windows_cold_and_from_the_cache(series, event_index):
    """Against the pure expansion: windows starting and ending at any minute, shorter and longer
    than the two whole days from which on days are kept; each counted twice (the second time
    the whole days come from the cache)."""
    generator = random.Random(18)
    events = event_index.get_events()
    base = series[0].start - timedelta(days=3)
    for _ in range(40):
        start = base + timedelta(minutes=generator.randrange(0, 60 * 24 * 40))
        end = start + timedelta(minutes=generator.randrange(1, 60 * 24 * 70))
        expected = len(computed(events, start, end))
        for attempt in ("cold", "cached"):
            window = OccurrenceWindow(events, start, end)
            assert window.indexed
            assert window.count() == expected, (start, end, attempt)


def test_a_window_moving_with_now_counts_its_whole_days_once(
    series, event_index, django_assert_num_queries
):
    events = event_index.get_events()
    start = series[0].start + timedelta(hours=5, minutes=17)
    OccurrenceWindow(events, start, start + timedelta(days=90)).count()
    later = start + timedelta(minutes=20)  # the same whole days
    window = OccurrenceWindow(events, later, later + timedelta(days=90))
    with django_assert_num_queries(2):  # the horizon; the two ends (the days from the cache)
        count = window.count()
    assert count == len(computed(events, later, later + timedelta(days=90)))


def test_a_restricted_event_leaves_the_kept_count(series, event_index):
    events = event_index.get_events()
    start = series[0].start - timedelta(hours=1)
    end = start + timedelta(days=30)
    before = OccurrenceWindow(events, start, end).count()
    PageViewRestriction.objects.create(page=series[4], restriction_type="login")
    after = OccurrenceWindow(event_index.get_events(), start, end).count()
    assert after == len(computed(event_index.get_events(), start, end)) < before


def test_the_api_count_follows_a_new_event(client, series, event_index, monday):
    params = {"from": monday.date().isoformat(), "limit": 5}
    first = client.get(API, params).json()
    midnight = monday.replace(hour=0)
    window = (midnight, midnight + timedelta(days=90))
    assert first["count"] == len(computed(event_index.get_events(), *window))
    add_event(event_index, "Neu", monday + timedelta(days=20), monday + timedelta(days=20, hours=1))
    assert client.get(API, params).json()["count"] == first["count"] + 1


# --- the month grid ---------------------------------------------------------------------------


@pytest.fixture
def month_of(series, monday) -> str:
    return (monday + timedelta(days=14)).strftime("%Y-%m")


@pytest.fixture
def grid_reads(monkeypatch) -> list:
    """The months whose days were read from the index (``OccurrenceWindow.by_day`` calls)."""
    calls = []
    original = OccurrenceWindow.by_day

    def counting(self, days, per_day):
        calls.append(days[0].date if days else None)
        return original(self, days, per_day)

    monkeypatch.setattr(OccurrenceWindow, "by_day", counting)
    return calls


def month(client, index, month_text, **params):
    response = client.get(index.url, {"view": "month", "month": month_text, **params})
    assert response.status_code == 200
    return response.content.decode()


def grid(html: str) -> str:
    start = html.index('<table class="kk-calendar">')
    return html[start : html.index("</table>", start)]


def test_the_month_grid_is_read_once_per_version(client, event_index, month_of, grid_reads):
    first = month(client, event_index, month_of)
    second = month(client, event_index, month_of)
    assert len(grid_reads) == 1
    assert grid(first) == grid(second)
    assert "Reihe 2" in grid(second)


def test_publishing_an_event_shows_at_once_in_the_grid(
    client, event_index, series, month_of, grid_reads
):
    month(client, event_index, month_of)
    page = EventPage.objects.get(pk=series[2].pk)
    page.title = "Werkstatt umbenannt"
    page.save_revision().publish()
    html = month(client, event_index, month_of)
    assert "Werkstatt umbenannt" in html and "Reihe 2" not in html
    assert len(grid_reads) == 2


def test_a_restriction_a_move_and_a_deletion_show_at_once_in_the_grid(
    client, event_index, series, month_of
):
    assert "Reihe 1" in month(client, event_index, month_of)
    restriction = PageViewRestriction.objects.create(page=series[1], restriction_type="login")
    assert "Reihe 1" not in month(client, event_index, month_of)
    restriction.delete()
    assert "Reihe 1" in month(client, event_index, month_of)

    other = add_page(event_index.get_parent(), EventIndexPage, title="Archiv", slug="archiv")
    Page.objects.get(pk=series[1].pk).move(other, pos="last-child")
    assert "Reihe 1" not in month(client, event_index, month_of)

    Page.objects.get(pk=series[3].pk).delete()
    assert "Reihe 3" not in month(client, event_index, month_of)


def test_each_filter_and_month_has_its_own_grid(client, event_index, month_of, grid_reads):
    month(client, event_index, month_of)
    following = f"{int(month_of[:4]) + (month_of[5:] == '12')}-{int(month_of[5:]) % 12 + 1:02d}"
    month(client, event_index, following)
    assert len(grid_reads) == 2
    # an unknown element is a form error and otherwise ignored: the unfiltered grid
    html = month(client, event_index, month_of, element="gibt-es-nicht")
    assert len(grid_reads) == 2
    assert "Reihe 2" in html


def test_without_a_cache_time_every_grid_is_read(
    client, event_index, month_of, grid_reads, settings
):
    settings.KOKREATIVE = {**getattr(settings, "KOKREATIVE", {}), "MONTH_GRID_CACHE_SECONDS": 0}
    month(client, event_index, month_of)
    month(client, event_index, month_of)
    assert len(grid_reads) == 2


def test_a_month_beyond_the_horizon_is_computed_every_time(
    client, event_index, horizon, grid_reads
):
    beyond = (horizon.end + timedelta(days=40)).strftime("%Y-%m")
    month(client, event_index, beyond)
    month(client, event_index, beyond)
    assert len(grid_reads) == 2
