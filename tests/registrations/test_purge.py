"""Registrations are deleted after their retention, with their mails (data protection)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from kokreative_wagtail import capabilities
from kokreative_wagtail.outbox.models import Notification
from kokreative_wagtail.registrations import purge, seats
from kokreative_wagtail.registrations.choices import Status
from kokreative_wagtail.registrations.models import Registration, RegistrationDate

from .factories import create_registration_event, create_series_event, person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def connected(settings):
    purge.connect()  # the app's ready() connects it (idempotent: dispatch_uid)
    settings.KOKREATIVE = {"REGISTRATION_RETENTION_DAYS": 30, "REGISTRATION_CONFIRM_HOURS": 72}


def register(page, number, original_start, double_opt_in=False):
    return seats.register(
        page=page,
        original_start=original_start,
        seats=20,
        waiting_list=True,
        double_opt_in=double_opt_in,
        person=person(number),
    ).registration


def counts(result):
    return {key: result[label] for key, label in purge.LABELS.items()}


def test_a_dates_registrations_go_after_the_retention_with_their_mails():
    page = create_registration_event()
    registration = register(page, 1, page.start)
    assert Notification.for_cause(registration).exists()
    just_before = page.start + timedelta(days=29, hours=23)
    assert counts(purge.purge(now=just_before))["past_dates"] == 0

    after = page.start + timedelta(days=30, hours=1)
    assert counts(purge.purge(now=after, dry_run=True))["past_dates"] == 1
    assert Registration.objects.count() == 1
    result = counts(purge.purge(now=after))
    assert result["past_dates"] == 1 and result["empty_dates"] == 1
    assert not Registration.objects.exists() and not RegistrationDate.objects.exists()
    assert not Notification.for_cause(registration).exists()


def test_a_moved_date_counts_from_its_new_time():
    page = create_registration_event()
    register(page, 1, page.start)
    RegistrationDate.objects.update(notified_start=page.start + timedelta(days=10))
    assert counts(purge.purge(now=page.start + timedelta(days=31)))["past_dates"] == 0
    assert counts(purge.purge(now=page.start + timedelta(days=41)))["past_dates"] == 1


def test_unconfirmed_registrations_go_after_the_confirmation_hours():
    page = create_registration_event()
    pending = register(page, 1, page.start, double_opt_in=True)
    confirmed = register(page, 2, page.start)
    now = timezone.now()
    assert counts(purge.purge(now=now + timedelta(hours=71)))["unconfirmed"] == 0
    assert counts(purge.purge(now=now + timedelta(hours=73)))["unconfirmed"] == 1
    assert list(Registration.objects.all()) == [confirmed]
    assert not Notification.for_cause(pending).exists()


def test_a_running_series_keeps_its_people_and_drops_old_cancellations():
    page = create_series_event(mode="series")
    kept = register(page, 1, None)
    gone = register(page, 2, None)
    seats.cancel(gone.public_id, seats_of=lambda r: (20, True))
    later = timezone.now() + timedelta(days=31)
    result = counts(purge.purge(now=later))
    assert result["cancelled_in_series"] == 1 and result["ended_series"] == 0
    assert list(Registration.objects.all()) == [kept]


def test_an_ended_series_goes_after_its_last_date():
    start = timezone.now() - timedelta(days=200)
    page = create_registration_event(start=start, rule="RRULE:FREQ=WEEKLY;COUNT=3", mode="series")
    row = seats.date_row(page.translation_key, None)
    Registration.objects.create(
        date=row, page=page, name="A", email="a@example.org", status=Status.CONFIRMED
    )
    assert counts(purge.purge(now=start + timedelta(days=14 + 29)))["ended_series"] == 0
    assert counts(purge.purge(now=start + timedelta(days=14 + 31)))["ended_series"] == 1
    assert not Registration.objects.exists()


def test_the_registrations_app_declares_its_purge():
    assert purge.purge in capabilities.all_providers("purge")


@pytest.mark.parametrize(
    "command", ["kokreative_purge_submissions", "kokreative_purge_registrations"]
)
def test_the_purge_commands_purge_registrations(command):
    page = create_registration_event(start=timezone.now() - timedelta(days=40))
    row = seats.date_row(page.translation_key, page.start)
    Registration.objects.create(date=row, page=page, name="Kim", email="kim@example.org")
    out = StringIO()
    call_command(command, "--dry-run", stdout=out)
    assert "Would delete 1 registration(s) of dates past the retention." in out.getvalue()
    assert Registration.objects.count() == 1
    call_command(command, stdout=out)
    assert "Deleted 1 registration(s) of dates past the retention." in out.getvalue()
    assert not Registration.objects.exists()
    assert "kim@example.org" not in out.getvalue() and "Kim" not in out.getvalue()
