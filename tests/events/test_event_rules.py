"""No editor input can break the calendar: every rule class is rejected at save, and a series
stored anyway (shell, import, migration) is isolated: skipped with one warning, every other
event still served with status 200, the event's own page calm, the admin flagging it."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone
from io import StringIO
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurrence
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from kokreative_wagtail.events import occurrence_index, rules
from kokreative_wagtail.events.models import EventIndexPage, EventPage
from kokreative_wagtail.events.series import get_zone, series_for

from ..factories import add_page, create_programme
from .factories import contributed_inlines, create_event, create_event_index

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
UTC = timezone.utc
API = "/api/kokreative/v1/occurrences"


def soon(days: int, hour: int = 16, minute: int = 30) -> datetime:
    today = datetime.now(BERLIN).date() + timedelta(days=days)
    return datetime(today.year, today.month, today.day, hour, minute, tzinfo=BERLIN)


# Each rule class the issue measured (and its relatives), with the problem code validation
# names. ``start`` replaces the event's start where the class is about the start.
CASES = [
    ("bysetpos-0", "RRULE:FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0", "bysetpos"),
    ("bysetpos-1000", "RRULE:FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1000", "bysetpos"),
    ("byhour-25", "RRULE:FREQ=DAILY;BYHOUR=25", "byhour"),
    ("byminute-60", "RRULE:FREQ=DAILY;BYMINUTE=60", "byminute"),
    ("bysecond-61", "RRULE:FREQ=DAILY;BYSECOND=61", "bysecond"),
    ("bymonth-13", "RRULE:FREQ=YEARLY;BYMONTH=13", "bymonth"),
    ("bymonthday-32", "RRULE:FREQ=MONTHLY;BYMONTHDAY=32", "bymonthday"),
    ("bymonthday-0", "RRULE:FREQ=MONTHLY;BYMONTHDAY=0", "bymonthday"),
    ("byyearday-367", "RRULE:FREQ=YEARLY;BYYEARDAY=367", "byyearday"),
    ("byweekno-54", "RRULE:FREQ=YEARLY;BYWEEKNO=54;BYDAY=MO", "byweekno"),
    ("byday-9mo-monthly", "RRULE:FREQ=MONTHLY;BYDAY=9MO", "byday_ordinal_monthly"),
    ("byday-60mo-yearly", "RRULE:FREQ=YEARLY;BYDAY=60MO", "byday_ordinal_yearly"),
    ("byday-20mo-in-month", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=20MO", "byday_ordinal_monthly"),
    ("byday-2mo-weekly", "RRULE:FREQ=WEEKLY;BYDAY=2MO", "byday_ordinal_frequency"),
    ("byday-ordinal-weekno", "RRULE:FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO", "byday_ordinal_weekno"),
    ("byyearday-monthly", "RRULE:FREQ=MONTHLY;BYYEARDAY=100", "byyearday_frequency"),
    ("byweekno-monthly", "RRULE:FREQ=MONTHLY;BYWEEKNO=10", "byweekno_frequency"),
    ("interval-huge", "RRULE:FREQ=WEEKLY;INTERVAL=1000000000", "interval"),
    ("interval-0", "RRULE:FREQ=WEEKLY;INTERVAL=0", "interval"),
    ("count-huge", "RRULE:FREQ=WEEKLY;COUNT=99999999999999999999", "count"),
    ("count-0", "RRULE:FREQ=WEEKLY;COUNT=0", "count"),
    ("until-9999", "RRULE:FREQ=WEEKLY;UNTIL=99991231T235959Z", "until_range"),
    ("until-before-start", "RRULE:FREQ=WEEKLY;UNTIL=20000101T000000Z", "until_before_start"),
    ("rdate-9999", "RDATE:99991231T235959Z", "rdate_range"),
    ("exdate-0001", "RRULE:FREQ=WEEKLY\nEXDATE:00010101T000000Z", "exdate_range"),
    ("hourly", "RRULE:FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30", "frequency"),
    ("minutely", "RRULE:FREQ=MINUTELY", "frequency"),
    ("secondly", "RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30", "frequency"),
    (
        "times-per-day",
        "RRULE:FREQ=DAILY;BYHOUR=8,9,10,11,12,13;BYMINUTE=0,15,30,45,50",
        "times_per_day",
    ),
    ("weekly-bymonthday", "RRULE:FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=30", "bymonthday_frequency"),
    ("never-daily", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "no_occurrence"),
    ("never-yearly", "RRULE:FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31", "no_occurrence"),
    ("start-0001", "RRULE:FREQ=WEEKLY", "date_range"),
]
START_CASES = {"start-0001": datetime(1, 1, 1, tzinfo=UTC)}
#: Codes only expansion finds. Stored anyway, such a series is not skipped (telling would
#: cost an expansion of years per request): it is expanded within the window's bounds and
#: gives its start, the one date it has. ``kokreative_check_events`` lists it.
FOUND_BY_EXPANSION = {"no_occurrence", "all_excluded"}
IDS = [case[0] for case in CASES]


def series_of(text: str, start: datetime | None = None):
    start = start or soon(3)
    event = SimpleNamespace(
        pk=1,
        recurrence=recurrence.deserialize(text),
        start=start,
        end=start + timedelta(minutes=90),
        time_zone="Europe/Berlin",
        all_day=False,
    )
    return series_for(event)


# --- validation ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "text", "code"), CASES, ids=IDS)
def test_validation_names_each_problem(name, text, code):
    found = rules.validate(series_of(text, START_CASES.get(name)))
    assert code in [p.code for p in found], [str(p) for p in found]


@pytest.mark.parametrize(("name", "text", "code"), CASES, ids=IDS)
def test_full_clean_rejects_each_rule_on_its_field_in_german(site_root, name, text, code):
    index = add_page(site_root, EventIndexPage, title="Termine", slug="termine")
    start = START_CASES.get(name, soon(3))
    page = EventPage(
        title="Kaputt",
        slug="kaputt",
        start=start,
        end=start + timedelta(minutes=90),
        recurrence=recurrence.deserialize(text),
    )
    page.path, page.depth = index.path + "0001", index.depth + 1  # full_clean needs a place
    with translation.override("de"), pytest.raises(ValidationError) as caught:
        page.full_clean()
    errors = caught.value.message_dict
    field = "start" if code == "date_range" else "recurrence"
    assert field in errors, errors
    expected = next(p for p in rules.validate(series_of(text, START_CASES.get(name))))
    with translation.override("de"):
        german = expected.message
    assert german in errors[field]
    assert german != str(expected)  # translated, not the English text


def test_the_german_message_of_a_rule_without_dates():
    found = rules.validate(series_of("RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"))
    with translation.override("de"):
        assert found[0].message.startswith("Diese Regel ergibt keinen Termin")


@pytest.mark.parametrize(
    "text",
    [
        "RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH",
        "RRULE:FREQ=MONTHLY;BYDAY=-1FR",
        "RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        "RRULE:FREQ=MONTHLY;BYMONTHDAY=31",
        "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
        "RRULE:FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO",
        "RRULE:FREQ=YEARLY;BYDAY=20MO",
        "RRULE:FREQ=DAILY;BYHOUR=10,14;BYMINUTE=0",
        "RRULE:FREQ=WEEKLY;COUNT=1000",
        "RRULE:FREQ=DAILY;INTERVAL=1000",
        "RRULE:FREQ=WEEKLY;UNTIL=21991231T000000Z",
        "RDATE:21000101T100000Z",
    ],
)
def test_sound_rules_pass(text):
    assert rules.validate(series_of(text)) == []


def test_an_exdate_removing_every_date_is_rejected():
    start = soon(3)
    second = start + timedelta(weeks=1)
    text = (
        "RRULE:FREQ=WEEKLY;COUNT=2\n"
        f"EXDATE:{start.astimezone(UTC):%Y%m%dT%H%M%SZ}\n"
        f"EXDATE:{second.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    )
    assert [p.code for p in rules.validate(series_of(text, start))] == ["all_excluded"]


def test_several_rules_are_numbered():
    found = rules.validate(series_of("RRULE:FREQ=WEEKLY\nRRULE:FREQ=DAILY;BYHOUR=25"))
    assert [(p.code, p.rule) for p in found] == [("byhour", 2)]
    assert str(found[0]).startswith("Rule 2: ")


def test_directory_like_and_unknown_zones_fall_back():
    assert get_zone("Europe") == ZoneInfo("Europe/Berlin")  # a directory of the zone database
    assert get_zone("../../etc/passwd") == ZoneInfo("Europe/Berlin")
    assert get_zone("Mars/Olympus") == ZoneInfo("Europe/Berlin")
    assert get_zone("America/New_York") == ZoneInfo("America/New_York")


# --- isolation -------------------------------------------------------------------------------


@pytest.fixture
def calendar(site_root):
    """An index with a sound weekly series and a second series to break."""
    index = create_event_index(site_root)
    sound = create_event(
        index, soon(2, 10, 0), rule="RRULE:FREQ=WEEKLY", minutes=60, title="Infosalon", slug="info"
    )
    broken = create_event(
        index,
        soon(3),
        rule="RRULE:FREQ=WEEKLY;INTERVAL=4;BYDAY=TH",
        title="Kaputte Reihe",
        slug="kaputte-reihe",
    )
    programme = create_programme(site_root)
    programme.body = [("upcoming_events", {"heading": "Termine", "count": 5})]
    programme.save_revision().publish()
    return SimpleNamespace(index=index, sound=sound, broken=broken, programme=programme)


def store_anyway(page, name: str, text: str) -> None:
    """Write the rule (and start) past validation, as the shell or an import would."""
    fields = {"recurrence": text}
    if name in START_CASES:
        fields["start"] = START_CASES[name]
        fields["end"] = START_CASES[name] + timedelta(hours=1)
    EventPage.objects.filter(pk=page.pk).update(**fields)
    # the daily index extension finds the page changed behind its back and writes it anew
    occurrence_index.extend()


def stored_text(page) -> str:
    """The recurrence column as stored (the ORM would parse it)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT recurrence FROM {EventPage._meta.db_table} WHERE page_ptr_id = %s", [page.pk]
        )
        return cursor.fetchone()[0]


def warnings_about(caplog, page) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and f"Event page {page.pk} " in r.getMessage()
    ]


@pytest.mark.parametrize(("name", "text", "code"), CASES, ids=IDS)
def test_a_series_stored_anyway_is_isolated_everywhere(client, calendar, caplog, name, text, code):
    caplog.set_level(logging.WARNING)
    store_anyway(calendar.broken, name, text)
    sound, broken, index = calendar.sound, calendar.broken, calendar.index

    # the occurrences API: 200, the other series served; one warning naming the page (written
    # when the index left it out, or when the request computed without the index)
    response = client.get(API)
    assert response.status_code == 200
    items = response.json()["items"]
    if code in FOUND_BY_EXPANSION:
        # bounded, not skipped: only the start, the one date the series has
        dates = [i["start"] for i in items if i["event"]["title"] == broken.title]
        assert dates == [broken.start.astimezone(UTC).isoformat().replace("+00:00", "Z")]
        return
    assert {item["event"]["title"] for item in items} == {sound.title}
    assert len(warnings_about(caplog, broken)) == 1
    assert "Kaputte Reihe" in warnings_about(caplog, broken)[0]

    # the index's list, month and past views
    month = soon(2).strftime("%Y-%m")
    for query in ("", f"?view=month&month={month}", "?past=1"):
        response = client.get(index.url + query)
        assert response.status_code == 200, query
        html = response.content.decode()
        assert "Kaputte Reihe" not in html, query
        if query != "?past=1":
            assert "Infosalon" in html, query

    # the event's own page: base data and a calm note; the other event's page as always
    response = client.get(broken.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "kk-note" in html and "Kaputte Reihe" in html
    assert 'event.ics"' not in html
    assert client.get(sound.url).status_code == 200

    # API v2: listing and detail answer; the broken series gives no dates and no rule
    listing = client.get(
        "/api/v2/pages/",
        {"type": "kokreative_events.EventPage", "fields": "upcoming_occurrences,recurrence_rule"},
    )
    assert listing.status_code == 200
    by_id = {item["id"]: item for item in listing.json()["items"]}
    assert by_id[broken.pk]["upcoming_occurrences"] == []
    assert by_id[broken.pk]["recurrence_rule"] == ""
    assert by_id[sound.pk]["upcoming_occurrences"]
    assert client.get(f"/api/v2/pages/{broken.pk}/").status_code == 200

    # the feeds
    feed = client.get(index.url + "feed.ics")
    assert feed.status_code == 200
    summaries = {
        str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    }
    assert summaries == {sound.title}
    assert client.get(broken.url + "event.ics").status_code == 200

    # the upcoming-events block, in HTML and in API v2
    response = client.get(calendar.programme.url)
    assert response.status_code == 200
    assert "Infosalon" in response.content.decode()
    body = client.get(f"/api/v2/pages/{calendar.programme.pk}/").json()["body"]
    assert {o["event"]["title"] for o in body[0]["value"]["occurrences"]} == {sound.title}


@pytest.mark.parametrize(
    ("name", "text"),
    [("bysetpos-0", CASES[0][1]), ("unreadable", "garbage"), ("start-0001", "RRULE:FREQ=WEEKLY")],
)
def test_the_admin_flags_a_stored_broken_series(admin_client, calendar, name, text):
    store_anyway(calendar.broken, name, text)
    edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=(calendar.broken.pk,)))
    assert edit.status_code == 200
    html = edit.content.decode()
    assert "help-critical" in html
    assert "kann nicht angezeigt werden" in html or "können nicht angezeigt werden" in html
    explorer = admin_client.get(reverse("wagtailadmin_explore", args=(calendar.index.pk,)))
    assert explorer.status_code == 200
    # the page list flags it by its title; the sound series is not flagged
    listing = explorer.content.decode()
    assert "Kaputte Reihe (Termine können nicht angezeigt werden)" in listing
    assert "Infosalon (Termine" not in listing
    sound_edit = admin_client.get(reverse("wagtailadmin_pages:edit", args=(calendar.sound.pk,)))
    assert "help-critical" not in sound_edit.content.decode()


def test_saving_a_stored_broken_series_again_keeps_its_text(calendar):
    store_anyway(calendar.broken, "byhour-25", "RRULE:FREQ=DAILY;BYHOUR=25")
    page = EventPage.objects.get(pk=calendar.broken.pk)
    with pytest.raises(ValidationError):
        page.save()  # Wagtail cleans on save: the rule is refused, not stored again silently
    # a revision serializes the page: django-recurrence itself would refuse BYHOUR=25
    page.save_revision(clean=False)
    page.save(clean=False)
    assert "BYHOUR=25" in stored_text(page)


def test_a_garbage_rule_survives_a_revision(calendar):
    store_anyway(calendar.broken, "unreadable", "garbage")
    page = EventPage.objects.get(pk=calendar.broken.pk)
    revision = page.save_revision(clean=False)
    assert revision.content["recurrence"] == "garbage"
    assert revision.as_object().schedule_problems[0].code == "unreadable"


def test_the_command_lists_broken_series(calendar):
    out = StringIO()
    call_command("kokreative_check_events", stdout=out)
    assert "Every event page" in out.getvalue()
    store_anyway(calendar.broken, "never-daily", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30")
    out = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("kokreative_check_events", "--check", stdout=out)
    assert exit_.value.code == 1
    text = out.getvalue()
    assert f"Event page {calendar.broken.pk} (live) 'Kaputte Reihe'" in text
    assert "This rule gives no date" in text
    assert "Infosalon" not in text
    assert "1 event page(s)" in text


def test_an_exhausted_budget_skips_the_series(client, calendar, caplog, monkeypatch):
    """A series that runs past its budget of rule steps is skipped like a broken one."""
    from kokreative_wagtail.events import occurrences

    EventPage.objects.filter(pk=calendar.broken.pk).update(
        recurrence="RRULE:FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23"
    )
    monkeypatch.setattr(occurrences, "MAX_ITERATIONS", 100)  # a week of 24 a day
    caplog.set_level(logging.WARNING)
    occurrence_index.extend()  # the daily run finds the changed rule: its rows go
    response = client.get(API)
    assert response.status_code == 200
    titles = [item["event"]["title"] for item in response.json()["items"]]
    assert "Kaputte Reihe" not in titles and "Infosalon" in titles
    assert any("rule steps" in w for w in warnings_about(caplog, calendar.broken))


def test_an_unknown_zone_stored_anyway_falls_back(client, calendar):
    EventPage.objects.filter(pk=calendar.broken.pk).update(time_zone="Europe")
    assert client.get(calendar.broken.url).status_code == 200
    response = client.get(API)
    assert response.status_code == 200
    assert "Kaputte Reihe" in {item["event"]["title"] for item in response.json()["items"]}
    page = EventPage.objects.get(pk=calendar.broken.pk)
    with pytest.raises(ValidationError) as caught:
        page.full_clean()
    assert "time_zone" in caught.value.message_dict


def admin_post_data(rule: str, start: str = "14.01.2027 16:30", end: str = "14.01.2027 18:00"):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    return nested_form_data(
        {
            "title": "Reihe",
            "slug": "reihe",
            "teaser": "",
            "start": start,
            "end": end,
            "time_zone": "Europe/Berlin",
            "recurrence": rule,
            "body": streamfield([]),
            "online_link_visibility": "registered",
            **contributed_inlines(),
            "overrides": inline_formset([]),
            "action-publish": "publish",
        }
    )


@pytest.mark.parametrize(
    ("rule", "fragment"),
    [
        ("RRULE:FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0", "nicht 0"),
        ("RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", "Diese Regel ergibt keinen Termin"),
        ("RRULE:FREQ=WEEKLY;UNTIL=99991231T235959Z", "2199"),
    ],
)
def test_the_admin_refuses_a_bad_rule_with_the_message_at_the_field(
    admin_client, site_root, rule, fragment
):
    from html import unescape

    index = add_page(site_root, EventIndexPage, title="Termine", slug="termine")
    url = reverse("wagtailadmin_pages:add", args=("kokreative_events", "eventpage", index.pk))
    response = admin_client.post(url, admin_post_data(rule))
    assert response.status_code == 200  # the form again, not a redirect and never a 500
    assert fragment in unescape(response.content.decode())
    assert not EventPage.objects.filter(slug="reihe").exists()


def test_a_moved_date_keeps_its_original_date_in_the_block_api(client, calendar):
    from kokreative_wagtail.events.models import OccurrenceOverride

    sound = calendar.sound
    first = sound.get_upcoming_occurrences(limit=1)[0]
    sound.overrides.add(
        OccurrenceOverride(
            original_start=first.start, action="move", new_start=first.start + timedelta(hours=2)
        )
    )
    sound.save_revision().publish()
    body = client.get(f"/api/v2/pages/{calendar.programme.pk}/").json()["body"]
    [moved] = [o for o in body[0]["value"]["occurrences"] if o["moved"]]
    assert moved["original_start"] == f"{first.start.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
    new_start = (first.start + timedelta(hours=2)).astimezone(UTC)
    assert moved["start"] == f"{new_start:%Y-%m-%dT%H:%M:%SZ}"


def test_the_command_lists_changes_naming_no_date(calendar):
    from kokreative_wagtail.events.models import OccurrenceOverride

    first = calendar.sound.get_upcoming_occurrences(limit=1)[0]
    OccurrenceOverride.objects.create(
        page=calendar.sound,
        locale_id=calendar.sound.locale_id,
        original_start=first.start - timedelta(minutes=30),  # 09:30 for a 10:00 series
        action="cancel",
    )
    out = StringIO()
    call_command("kokreative_check_events", stdout=out)
    text = out.getvalue()
    assert f"Event page {calendar.sound.pk} (live) 'Infosalon'" in text
    assert "overrides: Change 1: The series has no date on" in text


@pytest.mark.parametrize("text", ["RRULE:FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0", "garbage"])
def test_api_v3_serves_a_broken_series_without_dates(client, calendar, text):
    pytest.importorskip("wagtail.api.v3.api", reason="Wagtail's API v3 exists from Wagtail 8 on")
    store_anyway(calendar.broken, "v3", text)
    response = client.get(f"/api/v3/pages/{calendar.broken.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["upcoming_occurrences"] == [] and data["recurrence_rule"] == ""
    sound = client.get(f"/api/v3/pages/{calendar.sound.pk}/").json()
    assert sound["upcoming_occurrences"]
