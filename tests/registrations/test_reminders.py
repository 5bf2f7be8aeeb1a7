"""Reminders before a date: once per person and date, for confirmed registrations only."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from kokreative_wagtail.events.models import OccurrenceOverride
from kokreative_wagtail.outbox.models import Notification
from kokreative_wagtail.registrations import mails, reminders, seats
from kokreative_wagtail.registrations.choices import Status
from kokreative_wagtail.registrations.models import Registration

from .factories import create_registration_event, create_series_event, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch):
    calls = []
    original = mails.queue

    def spy(registration, kind, extra=None):
        if kind == mails.Kind.REMINDER:
            calls.append((registration.pk, extra["occurrence"].original_start))
        original(registration, kind, extra)

    monkeypatch.setattr(mails, "queue", spy)
    return calls


def register(page, number, original_start, double_opt_in=False, seats_=20):
    registration = seats.register(
        page=page,
        original_start=original_start,
        seats=seats_,
        waiting_list=True,
        double_opt_in=double_opt_in,
        person=person(number),
    ).registration
    # registered well before the reminder window
    Registration.objects.filter(pk=registration.pk).update(
        confirmed_at=registration.created_at - timedelta(days=30)
    )
    return registration


def test_confirmed_people_are_reminded_once_within_the_window(sent):
    page = create_registration_event(seats=1, reminder_hours_before=24)
    confirmed = register(page, 1, page.start, seats_=1)
    register(page, 2, page.start, seats_=1)  # waiting: no reminder
    register(page, 3, page.start, double_opt_in=True)  # pending: none

    assert reminders.send_reminders(now=page.start - timedelta(hours=25)) == 0
    now = page.start - timedelta(hours=23)
    assert reminders.send_reminders(now=now, dry_run=True) == 1
    assert sent == []
    assert reminders.send_reminders(now=now) == 1
    assert sent == [(confirmed.pk, page.start)]
    assert Notification.for_cause(confirmed).count() == 2  # confirmation + reminder
    assert reminders.send_reminders(now=now + timedelta(hours=1)) == 0  # once
    assert reminders.send_reminders(now=page.start + timedelta(minutes=1)) == 0  # begun


def test_no_reminder_when_switched_off(sent):
    page = create_registration_event(reminder_hours_before=0)
    register(page, 1, page.start)
    assert reminders.send_reminders(now=page.start - timedelta(hours=1)) == 0
    assert sent == []


def test_a_cancelled_date_is_not_reminded(sent):
    page = create_registration_event(reminder_hours_before=24)
    register(page, 1, page.start)
    page.overrides.add(OccurrenceOverride(original_start=page.start, action="cancel"))
    page.save_revision().publish()
    assert reminders.send_reminders(now=page.start - timedelta(hours=1)) == 0
    assert sent == []


def test_an_unpublished_event_is_not_reminded(sent):
    page = create_registration_event(reminder_hours_before=24)
    register(page, 1, page.start)
    page.unpublish()
    assert reminders.send_reminders(now=page.start - timedelta(hours=1)) == 0
    assert sent == []


def test_who_confirmed_inside_the_window_is_not_reminded(sent):
    page = create_registration_event(reminder_hours_before=24)
    late = register(page, 1, page.start)
    Registration.objects.filter(pk=late.pk).update(confirmed_at=page.start - timedelta(hours=2))
    assert reminders.send_reminders(now=page.start - timedelta(hours=1)) == 0


def test_a_claimed_reminder_is_not_sent_again_by_a_second_server(sent):
    page = create_registration_event(reminder_hours_before=24)
    registration = register(page, 1, page.start)
    # another server claimed it between our look-up and our claim
    Registration.objects.filter(pk=registration.pk).update(reminded_for=page.start)
    assert reminders.send_reminders(now=page.start - timedelta(hours=1)) == 0
    assert sent == []


def test_series_registrations_are_reminded_for_each_date(sent):
    page = create_series_event(mode="series", reminder_hours_before=48)
    registration = register(page, 1, None)
    first, second = (o for o in page.get_upcoming_occurrences(limit=2))
    assert reminders.send_reminders(now=first.start - timedelta(hours=47)) == 1
    assert reminders.send_reminders(now=first.start - timedelta(hours=46)) == 0
    assert reminders.send_reminders(now=second.start - timedelta(hours=1)) == 1
    assert sent == [
        (registration.pk, first.original_start),
        (registration.pk, second.original_start),
    ]
    registration.refresh_from_db()
    assert registration.reminded_for == second.original_start
    assert registration.status == Status.CONFIRMED


def test_the_command_prints_a_count_only(sent):
    out = StringIO()
    call_command("kokreative_send_registration_reminders", "--dry-run", stdout=out)
    assert out.getvalue() == "0 reminder(s) due; none sent (dry run).\n"
    call_command("kokreative_send_registration_reminders", stdout=out)
    assert "0 reminder(s) queued." in out.getvalue()
