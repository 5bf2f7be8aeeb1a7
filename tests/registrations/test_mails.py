"""The e-mails of registrations and their .ics attachment (``mails.py``, ``ics.py``)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import icalendar
import pytest
from django.utils import timezone
from wagtail.models import Locale

from kokreative_wagtail.events.choices import OnlineLinkVisibility, OverrideAction
from kokreative_wagtail.events.models import OccurrenceOverride
from kokreative_wagtail.outbox.models import Notification
from kokreative_wagtail.registrations import dates, mails, seats
from kokreative_wagtail.registrations.choices import Status

from .factories import BERLIN, create_registration_event, create_series_event, person
from .helpers import de

pytestmark = pytest.mark.django_db

WEEKLY = "RRULE:FREQ=WEEKLY;BYDAY=TH"


def _register(page, number=1, *, original=None, double_opt_in=False, seats_=5):
    if original is None:
        original = dates.date_states(page)[0].original_start
    return seats.register(
        page=page,
        original_start=original,
        seats=seats_,
        waiting_list=True,
        double_opt_in=double_opt_in,
        person=person(number),
    ).registration


def _calendar(message) -> icalendar.Calendar:
    assert len(message.attachments) == 1
    name, text, mimetype = message.attachments[0]
    assert name.endswith(".ics") and mimetype == "text/calendar"
    return icalendar.Calendar.from_ical(text)


def _events(calendar) -> list:
    return list(calendar.walk("VEVENT"))


def _stored_calendars(registration) -> list[icalendar.Calendar]:
    rows = Notification.objects.filter(object_id=str(registration.pk)).order_by("pk")
    return [
        icalendar.Calendar.from_ical(row.attachments[0]["content"])
        for row in rows
        if row.attachments
    ]


def test_pending_mail_has_the_confirm_and_the_cancel_link_and_no_calendar():
    page = create_registration_event()
    registration = _register(page, double_opt_in=True)
    message = mails.build(registration, mails.Kind.PENDING)
    assert message.to == ["person1@example.org"]
    assert "Infosalon" in message.subject and "\n" not in message.subject
    assert "/registrations/confirm/" in message.body
    assert "/registrations/cancel/" in message.body
    assert "16:30" in message.body  # the date in the event's zone
    assert message.attachments == []


def test_confirmed_mail_carries_the_date_in_the_events_zone():
    page = create_registration_event()
    page.title = "Kunst & Kultur"
    page.save_revision().publish()
    registration = _register(page)
    assert registration.status == Status.CONFIRMED
    message = mails.build(registration, mails.Kind.CONFIRMED)
    assert "Kunst & Kultur" in message.subject and "Kunst & Kultur" in message.body  # no &amp;
    assert "/registrations/cancel/" in message.body
    assert "/registrations/confirm/" not in message.body
    calendar = _calendar(message)
    assert calendar["METHOD"] == "PUBLISH"
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    (event,) = _events(calendar)
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute) == (16, 30)
    assert start == registration.date.original_start
    assert event["STATUS"] == "CONFIRMED"
    assert str(event["SUMMARY"]) == "Kunst & Kultur"


def _last_sunday_of_march(year: int) -> date:
    day = date(year, 3, 31)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def test_16_30_berlin_stays_16_30_across_the_dst_change():
    year = timezone.now().year + 1
    switch = _last_sunday_of_march(year)
    before = datetime.combine(switch - timedelta(days=3), datetime.min.time(), BERLIN)
    before = before.replace(hour=16, minute=30)
    after = before + timedelta(days=7)  # the same wall time a week later (Python's aware
    # arithmetic within one zone keeps the wall time), after the switch
    page = create_registration_event(rule=WEEKLY, start=before)
    starts = []
    for number, original in enumerate((before, after), start=1):
        registration = _register(page, number, original=original)
        (event,) = _events(_calendar(mails.build(registration, mails.Kind.CONFIRMED)))
        starts.append(event.decoded("DTSTART"))
        assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert [(s.hour, s.minute) for s in starts] == [(16, 30), (16, 30)]
    assert [s.utcoffset() for s in starts] == [timedelta(hours=1), timedelta(hours=2)]


def test_uid_stays_and_sequence_grows_a_moved_date_updates_the_same_entry():
    page = create_registration_event(rule=WEEKLY)
    original = dates.date_states(page)[0].original_start
    registration = _register(page, original=original)  # the CONFIRMED mail is queued
    new_start = original + timedelta(hours=2)
    page.overrides.add(
        OccurrenceOverride(original_start=original, action=OverrideAction.MOVE, new_start=new_start)
    )
    page.save_revision().publish()  # publishing tells the people registered (changes.py)
    registration.refresh_from_db()
    first, second = (_events(c)[0] for c in _stored_calendars(registration))
    assert first["UID"] == second["UID"]
    assert second["SEQUENCE"] > first["SEQUENCE"]
    assert second.decoded("DTSTART") == new_start
    assert second.decoded("DTSTART").astimezone(BERLIN).hour == 18
    body = Notification.objects.filter(object_id=str(registration.pk)).order_by("pk").last().body
    assert "16:30" in body and "18:30" in body  # old and new time
    # another registration for the same date has its own entry
    other = _register(page, 2, original=original)
    (other_event,) = _stored_calendars(other)[0].walk("VEVENT")
    assert other_event["UID"] != first["UID"]


def test_a_cancelled_date_is_sent_as_cancelled():
    page = create_registration_event(rule=WEEKLY)
    original = dates.date_states(page)[0].original_start
    registration = _register(page, original=original)
    page.overrides.add(OccurrenceOverride(original_start=original, action=OverrideAction.CANCEL))
    page.save_revision().publish()
    first, cancelled = (_events(c)[0] for c in _stored_calendars(registration))
    assert cancelled["STATUS"] == "CANCELLED"
    assert cancelled["UID"] == first["UID"]


def test_no_calendar_without_a_seat_and_no_cancellation_for_an_entry_never_sent():
    page = create_registration_event(seats=1)
    _register(page, 1, seats_=1)
    waiting = _register(page, 2, seats_=1)
    assert waiting.status == Status.WAITING
    assert mails.build(waiting, mails.Kind.WAITING).attachments == []
    assert mails.build(waiting, mails.Kind.DATE_MOVED).attachments == []
    waiting.status = Status.CANCELLED
    assert mails.build(waiting, mails.Kind.CANCELLED).attachments == []


def test_the_online_link_only_for_people_with_a_seat_where_it_is_sent_to_them():
    page = create_registration_event(seats=1)
    page.online_url = "https://meet.example.org/raum"
    page.online_link_visibility = OnlineLinkVisibility.REGISTERED
    page.save_revision().publish()
    confirmed = _register(page, 1, seats_=1)
    waiting = _register(page, 2, seats_=1)
    assert "https://meet.example.org/raum" in mails.build(confirmed, mails.Kind.CONFIRMED).body
    assert "https://meet.example.org/raum" not in mails.build(waiting, mails.Kind.WAITING).body
    page.online_link_visibility = OnlineLinkVisibility.LATER
    page.online_link_visible_from = timezone.now() + timedelta(days=30)
    page.save_revision().publish()
    confirmed.refresh_from_db()
    assert "meet.example.org" not in mails.build(confirmed, mails.Kind.CONFIRMED).body


def test_promotion_says_a_seat_came_free():
    page = create_registration_event(seats=1)
    first = _register(page, 1, seats_=1)
    waiting = _register(page, 2, seats_=1)
    change = seats.cancel(first.public_id, seats_of=lambda r: (1, True))
    assert [r.pk for r in change.promoted] == [waiting.pk]
    row = Notification.objects.filter(object_id=str(waiting.pk)).order_by("pk").last()
    assert de("A seat came free for you: %(title)s", title="Infosalon") == row.subject
    assert row.attachments and "/registrations/cancel/" in row.body


def test_series_registration_gets_the_series():
    page = create_series_event(mode="series", seats=5)
    registration = _register(page, original=None)
    calendar = _calendar(mails.build(registration, mails.Kind.CONFIRMED))
    (master,) = _events(calendar)
    assert "RRULE" in master
    assert master["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert (
        de("Your registration covers every date of the series.")
        in mails.build(registration, mails.Kind.CONFIRMED).body
    )


def test_english_page_registration_gets_english_mails():
    page = create_registration_event()
    english = Locale.objects.create(language_code="en")
    translated = page.copy_for_translation(english, copy_parents=True)
    translated.title = "Info salon"
    translated.save_revision().publish()
    translated.refresh_from_db()
    registration = _register(translated)
    assert registration.page_id == translated.pk
    english_mail = mails.build(registration, mails.Kind.CONFIRMED)
    assert english_mail.subject == "Registration confirmed: Info salon"
    assert "Date: Thursday" in english_mail.body
    german = _register(page, 2)
    german_mail = mails.build(german, mails.Kind.CONFIRMED)
    assert "Donnerstag" in german_mail.body and "Thursday" not in german_mail.body
