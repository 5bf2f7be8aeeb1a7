"""A change to one occurrence ("Termin") must name a real date of the series.

An override is matched by the exact start of its occurrence: one typed as 16:00 for a 16:30
series was published with a success message and changed nothing.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from html import unescape
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import recurrence
from django.urls import reverse
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from kokreative_wagtail.events.models import OccurrenceOverride
from kokreative_wagtail.events.overrides import (
    check_start,
    original_start_error,
    override_errors,
    starts_after,
    starts_before,
    suggested_starts,
)
from kokreative_wagtail.events.series import series_for

from ..html_audit import audit_html
from .factories import contributed_inlines, create_event, create_event_index

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
UTC = timezone.utc
MONTHLY_THURSDAY = "RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH"
WEEKLY_THURSDAY = "RRULE:FREQ=WEEKLY;BYDAY=TH"


def event_like(start, rule="", zone="Europe/Berlin", minutes=90, all_day=False):
    return SimpleNamespace(
        pk=1,
        start=start,
        end=start + timedelta(minutes=minutes),
        time_zone=zone,
        all_day=all_day,
        recurrence=recurrence.deserialize(rule) if rule else None,
    )


def series(start, rule="", **kwargs):
    return series_for(event_like(start, rule, **kwargs))


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def error(value, start, rule="", language="de", **kwargs) -> str | None:
    with translation.override(language):
        return original_start_error(series(start, rule, **kwargs), value)


# --- the pure helper ---------------------------------------------------------------------------


def test_a_real_date_of_the_series_matches():
    cop = series(berlin(2026, 1, 15, 16, 30), MONTHLY_THURSDAY)
    assert check_start(cop, berlin(2027, 1, 14, 16, 30)).matches
    assert check_start(cop, berlin(2026, 1, 15, 16, 30)).matches  # the first date
    assert check_start(cop, berlin(2027, 1, 14, 16, 30).astimezone(UTC)).matches  # any zone
    assert error(berlin(2027, 1, 14, 16, 30), berlin(2026, 1, 15, 16, 30), MONTHLY_THURSDAY) is None


def test_a_wrong_time_names_the_real_dates_before_and_after_it():
    start = berlin(2026, 1, 15, 16, 30)
    check = check_start(series(start, MONTHLY_THURSDAY), berlin(2027, 1, 14, 16, 0))
    assert not check.matches
    assert check.before == berlin(2026, 12, 17, 16, 30)
    assert check.after == berlin(2027, 1, 14, 16, 30)
    german = error(berlin(2027, 1, 14, 16, 0), start, MONTHLY_THURSDAY)
    # the typed date and the real ones, in the event's local time, as German writes them
    assert "14.01.2027" in german and "16:00" in german
    assert german.index("17.12.2026 16:30") < german.index("14.01.2027 16:30")
    english = error(berlin(2027, 1, 14, 16, 0), start, MONTHLY_THURSDAY, language="en")
    assert english == (
        "The series has no date on 01/14/2027 at 4 p.m. "
        "The nearest dates: 12/17/2026 4:30 p.m., 01/14/2027 4:30 p.m."
    )


def test_a_wrong_day_is_an_error_too():
    start = berlin(2026, 1, 15, 16, 30)
    german = error(berlin(2027, 1, 21, 16, 30), start, MONTHLY_THURSDAY)
    assert "14.01.2027 16:30, 11.02.2027 16:30" in german


def test_a_date_after_until_names_only_the_last_date():
    rule = "RRULE:FREQ=WEEKLY;BYDAY=TH;UNTIL=20270301T000000Z"
    start = berlin(2027, 1, 7, 16, 30)
    check = check_start(series(start, rule), berlin(2027, 6, 10, 16, 30))
    assert (check.matches, check.before, check.after) == (False, berlin(2027, 2, 25, 16, 30), None)
    english = error(berlin(2027, 6, 10, 16, 30), start, rule, language="en")
    assert english.endswith("The nearest date: 02/25/2027 4:30 p.m.")
    assert check_start(series(start, rule), berlin(2027, 2, 25, 16, 30)).matches


def test_an_excluded_date_is_not_a_date_of_the_series():
    rule = f"{WEEKLY_THURSDAY}\nEXDATE:20270114T153000Z"
    start = berlin(2027, 1, 7, 16, 30)
    check = check_start(series(start, rule), berlin(2027, 1, 14, 16, 30))
    assert (check.matches, check.before, check.after) == (
        False,
        berlin(2027, 1, 7, 16, 30),
        berlin(2027, 1, 21, 16, 30),
    )


def test_a_one_off_event():
    start = berlin(2027, 1, 14, 16, 30)
    assert check_start(series(start), start).matches
    check = check_start(series(start), berlin(2027, 1, 14, 16, 0))
    assert (check.matches, check.before, check.after) == (False, None, start)
    english = error(berlin(2027, 1, 14, 16, 0), start, language="en")
    assert english == (
        "The event has no date on 01/14/2027 at 4 p.m. The nearest date: 01/14/2027 4:30 p.m."
    )
    assert check_start(series(start), berlin(2027, 1, 15, 16, 30)).before == start


def test_a_weekly_berlin_series_keeps_1630_across_the_switch_to_summer_time():
    # the last Sunday of March 2027 is the 28th: Thursday the 25th is CET, 1 April is CEST
    weekly = series(berlin(2027, 1, 7, 16, 30), WEEKLY_THURSDAY)
    assert check_start(weekly, datetime(2027, 3, 25, 15, 30, tzinfo=UTC)).matches
    assert check_start(weekly, datetime(2027, 4, 1, 14, 30, tzinfo=UTC)).matches
    # 15:30 UTC was 16:30 before the switch; on 1 April it is 17:30, no date of the series
    wrong = datetime(2027, 4, 1, 15, 30, tzinfo=UTC)
    check = check_start(weekly, wrong)
    assert (check.before, check.after) == (berlin(2027, 4, 1, 16, 30), berlin(2027, 4, 8, 16, 30))
    with translation.override("de"):
        message = original_start_error(weekly, wrong)
    assert "01.04.2027" in message and "17:30" in message  # the typed date, in local time
    assert "01.04.2027 16:30, 08.04.2027 16:30" in message


def test_searches_are_bounded_for_endless_series_and_absurd_years():
    daily = series(berlin(2026, 1, 1, 9, 0), "RRULE:FREQ=DAILY")
    far = berlin(2190, 6, 1, 9, 30)
    check = check_start(daily, far)
    assert (check.before, check.after) == (berlin(2190, 6, 1, 9, 0), berlin(2190, 6, 2, 9, 0))
    assert not check_start(daily, berlin(9999, 1, 1, 9, 0)).nearest
    # a series starting more than the horizon after the typed date: nothing to name
    assert not check_start(series(berlin(2040, 1, 1, 9, 0)), berlin(2026, 1, 1, 9, 0)).nearest
    # a dense rule does not run away (every minute of every day)
    dense = series(
        berlin(2026, 1, 1, 0, 0),
        "RRULE:FREQ=DAILY;BYHOUR="
        + ",".join(map(str, range(24)))
        + ";BYMINUTE="
        + ",".join(map(str, range(60))),
        minutes=0,
    )
    assert len(starts_before(dense, berlin(2026, 6, 1, 0, 0, 30), 3)) == 3
    assert len(starts_after(dense, berlin(2026, 6, 1, 0, 0, 30), 3)) == 3


def test_an_all_day_series_has_its_dates_at_local_midnight():
    days = series(berlin(2027, 1, 7), WEEKLY_THURSDAY, minutes=24 * 60, all_day=True)
    assert check_start(days, berlin(2027, 4, 1)).matches  # "01.04.2027" reads as midnight
    assert check_start(days, berlin(2027, 4, 1, 9, 0)).before == berlin(2027, 4, 1)


def test_a_rule_that_cannot_be_expanded_is_left_to_its_own_validation():
    broken = event_like(berlin(2027, 1, 7, 16, 30), "RRULE:FREQ=MONTHLY;BYHOUR=30")
    assert override_errors(broken, [SimpleNamespace(original_start=berlin(2027, 1, 8))]) == {}


def test_override_errors_by_position():
    event = event_like(berlin(2027, 1, 7, 16, 30), WEEKLY_THURSDAY)
    overrides = [
        SimpleNamespace(original_start=berlin(2027, 1, 14, 16, 30)),
        SimpleNamespace(original_start=berlin(2027, 1, 14, 16, 0)),
        SimpleNamespace(original_start=None),  # left to the field's own "required"
        OccurrenceOverride(original_start=berlin(2027, 1, 15, 16, 30), action="cancel"),
    ]
    with translation.override("de"):
        errors = override_errors(event, overrides)
    assert sorted(errors) == [1, 3]
    assert "14.01.2027 16:30, 21.01.2027 16:30" in errors[3]
    assert override_errors(SimpleNamespace(start=None), overrides) == {}


def test_suggested_dates_are_the_last_five_and_the_next_thirty():
    weekly = series(berlin(2026, 1, 1, 16, 30), "RRULE:FREQ=WEEKLY")
    now = berlin(2026, 6, 4, 16, 30)  # a date of the series: it is among the next ones
    dates = suggested_starts(weekly, now)
    assert len(dates) == 35
    assert dates[0] == berlin(2026, 4, 30, 16, 30)
    assert dates[4] == berlin(2026, 5, 28, 16, 30)
    assert dates[5] == now
    assert dates == sorted(dates)
    assert {d.astimezone(BERLIN).strftime("%H:%M") for d in dates} == {"16:30"}
    one_off = series(berlin(2026, 1, 1, 16, 30))
    assert suggested_starts(one_off, now) == [berlin(2026, 1, 1, 16, 30)]


# --- the page editor ---------------------------------------------------------------------------


@pytest.fixture
def event_index(site_root):
    return create_event_index(site_root)


def weekly_event(index, start, rule=WEEKLY_THURSDAY, zone="Europe/Berlin"):
    return create_event(index, start, rule=rule, time_zone=zone)


def edit_data(page, overrides, start="2027-01-07 16:30", end="2027-01-07 18:00", initial=0):
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "teaser": "",
            "start": start,
            "end": end,
            "time_zone": page.time_zone,
            "recurrence": WEEKLY_THURSDAY,
            "body": streamfield([]),
            "online_link_visibility": "registered",
            **contributed_inlines(),
            "overrides": inline_formset(
                [
                    {
                        "action": "cancel",
                        "new_start": "",
                        "new_end": "",
                        "location_name": "",
                        "location_address": "",
                        "note": "",
                        **override,
                    }
                    for override in overrides
                ],
                initial=initial,
            ),
            "action-publish": "publish",
        }
    )


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


@pytest.mark.django_db
def test_a_wrong_date_is_a_form_error_and_nothing_is_saved(admin_client, event_index):
    page = weekly_event(event_index, berlin(2027, 1, 7, 16, 30))
    revisions = page.revisions.count()
    response = admin_client.post(
        edit_url(page), edit_data(page, [{"original_start": "2027-01-14 16:00", "note": "Ferien"}])
    )
    assert response.status_code == 200
    [child] = response.context["form"].formsets["overrides"].forms
    [message] = child.errors["original_start"]
    assert "14.01.2027 16:30" in message and "07.01.2027 16:30" in message
    assert message in unescape(response.content.decode())
    page.refresh_from_db()
    assert page.overrides.count() == 0
    assert page.revisions.count() == revisions


@pytest.mark.django_db
def test_a_real_date_saves(admin_client, event_index):
    page = weekly_event(event_index, berlin(2027, 1, 7, 16, 30))
    response = admin_client.post(
        edit_url(page), edit_data(page, [{"original_start": "14.01.2027 16:30", "note": "Ferien"}])
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page.refresh_from_db()
    [override] = page.overrides.all()
    assert override.original_start == berlin(2027, 1, 14, 16, 30)
    items = page.get_occurrences(berlin(2027, 1, 1), berlin(2027, 2, 1))
    assert [o.cancelled for o in items] == [False, True, False, False]


@pytest.mark.django_db
def test_the_submitted_series_counts_not_the_stored_one(admin_client, event_index):
    page = weekly_event(event_index, berlin(2027, 1, 7, 16, 30))
    # the series moves to 17:00 in the same save: a change at 17:00 is right, one at 16:30 not
    moved = {"start": "2027-01-07 17:00", "end": "2027-01-07 18:30"}
    wrong = admin_client.post(
        edit_url(page), edit_data(page, [{"original_start": "2027-01-14 16:30"}], **moved)
    )
    assert wrong.status_code == 200
    assert (
        "14.01.2027 17:00"
        in wrong.context["form"].formsets["overrides"].forms[0].errors["original_start"][0]
    )
    right = admin_client.post(
        edit_url(page), edit_data(page, [{"original_start": "2027-01-14 17:00"}], **moved)
    )
    assert right.status_code == 302
    page.refresh_from_db()
    assert [o.original_start for o in page.overrides.all()] == [berlin(2027, 1, 14, 17, 0)]


@pytest.mark.django_db
def test_deleted_and_empty_changes_are_not_checked(admin_client, event_index):
    page = weekly_event(event_index, berlin(2027, 1, 7, 16, 30))
    data = edit_data(page, [{"original_start": "2027-01-14 16:00", "DELETE": "1"}])
    assert admin_client.post(edit_url(page), data).status_code == 302
    page.refresh_from_db()
    assert page.overrides.count() == 0


@pytest.mark.django_db
def test_an_events_own_zone_is_used_for_the_check_and_the_message(admin_client, event_index):
    page = weekly_event(
        event_index, datetime(2027, 1, 7, 18, 0, tzinfo=NEW_YORK), zone="America/New_York"
    )
    data = edit_data(
        page,
        [{"original_start": "2027-01-14 18:00"}],
        start="2027-01-07 18:00",
        end="2027-01-07 19:30",
    )
    assert admin_client.post(edit_url(page), data).status_code == 302
    data = edit_data(
        page,
        [{"original_start": "2027-01-14 12:00"}],
        start="2027-01-07 18:00",
        end="2027-01-07 19:30",
    )
    response = admin_client.post(edit_url(page), data)
    message = response.context["form"].formsets["overrides"].forms[0].errors["original_start"][0]
    assert "14.01.2027 18:00" in message  # New York's wall time, not Berlin's (midnight)


def datalist_values(html: str, input_id: str) -> list[str]:
    match = re.search(rf'<datalist id="{input_id}-dates">(.*?)</datalist>', html, re.S)
    assert match, f"no datalist for {input_id}"
    return [unescape(v) for v in re.findall(r'<option value="([^"]*)"', match.group(1))]


@pytest.mark.django_db
def test_the_field_offers_the_real_dates_near_today(admin_client, event_index):
    today = datetime.now(BERLIN).date()
    thursday = today + timedelta(days=(3 - today.weekday()) % 7)  # today or the next Thursday
    first = datetime(thursday.year, thursday.month, thursday.day, 16, 30, tzinfo=BERLIN)
    first -= timedelta(weeks=10)
    page = weekly_event(event_index, first)
    page.overrides.add(OccurrenceOverride(original_start=first + timedelta(weeks=1)))
    page.save_revision().publish()
    html = admin_client.get(edit_url(page)).content.decode()

    # the template Wagtail copies for "add a change", and the stored change
    for input_id in ("id_overrides-__prefix__-original_start", "id_overrides-0-original_start"):
        assert f'list="{input_id}-dates"' in html
        values = datalist_values(html, input_id)
        assert len(values) == 35
        # exactly the text the field shows: German in the German admin, read back as typed
        starts = [datetime.strptime(v, "%d.%m.%Y %H:%M").replace(tzinfo=BERLIN) for v in values]
        now = datetime.now(BERLIN)
        assert [s for s in starts if s < now] == [first + timedelta(weeks=w) for w in range(5, 10)]
        assert starts[5] >= now and starts == sorted(starts)
        assert starts[-1] == starts[5] + timedelta(weeks=29)
    shown = re.search(r'id="id_overrides-0-original_start"[^>]*value="([^"]*)"', html) or re.search(
        r'value="([^"]*)"[^>]*id="id_overrides-0-original_start"', html
    )
    assert shown and shown.group(1) == (first + timedelta(weeks=1)).strftime("%d.%m.%Y %H:%M")


@pytest.mark.django_db
def test_a_new_event_has_no_dates_to_offer(admin_client, event_index):
    url = reverse("wagtailadmin_pages:add", args=("kokreative_events", "eventpage", event_index.pk))
    html = admin_client.get(url).content.decode()
    assert "id_overrides-__prefix__-original_start" in html
    assert "<datalist" not in html


# --- the event page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_moved_occurrence_shows_its_original_date(client, event_index):
    today = datetime.now(BERLIN).date() + timedelta(days=1)
    thursday = today + timedelta(days=(3 - today.weekday()) % 7)
    first = datetime(thursday.year, thursday.month, thursday.day, 16, 30, tzinfo=BERLIN)
    page = weekly_event(event_index, first)
    original = first + timedelta(weeks=2)
    page.overrides.add(
        OccurrenceOverride(
            original_start=original,
            action="move",
            new_start=original + timedelta(days=1, hours=-6),
            new_end=original + timedelta(days=1, hours=-5),
        )
    )
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    iso = original.isoformat()
    shown = original.strftime("%d.%m.%Y, %H:%M")
    badge = rf'<strong class="kk-badge">[^<]*<time datetime="{re.escape(iso)}">{re.escape(shown)}<'
    assert re.search(badge, html), html
    assert html.count("kk-badge") == 1  # only the moved one
    assert audit_html(html).problems() == []


@pytest.mark.django_db
def test_the_original_date_is_in_the_events_own_zone(client, event_index):
    today = datetime.now(NEW_YORK).date() + timedelta(days=1)
    thursday = today + timedelta(days=(3 - today.weekday()) % 7)
    first = datetime(thursday.year, thursday.month, thursday.day, 20, 0, tzinfo=NEW_YORK)
    page = weekly_event(event_index, first, zone="America/New_York")
    page.overrides.add(
        OccurrenceOverride(
            original_start=first,
            action="move",
            new_start=first + timedelta(hours=1),
            new_end=first + timedelta(hours=2),
        )
    )
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    # 20:00 in New York is 02:00 the next day in Berlin, the site's zone: the page shows the
    # event's wall times (it names the zone), the new time and the original one alike
    assert (
        f'<time datetime="{first.isoformat()}">{first.strftime("%d.%m.%Y, %H:%M")}</time>' in html
    )
    moved = first + timedelta(hours=1)
    assert f'<time datetime="{moved.isoformat()}">' in html
    assert f"{moved.day}. " in html and ", 21:00</time>" in html and "(America/New_York)" in html
    assert audit_html(html).problems() == []
