"""Registered people are told when their date is cancelled or moved or the event withdrawn."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Locale

from kokreative_wagtail.events.models import OccurrenceOverride
from kokreative_wagtail.outbox.models import Notification
from kokreative_wagtail.registrations import changes, dates, mails, purge, seats
from kokreative_wagtail.registrations.choices import Status
from kokreative_wagtail.registrations.models import Registration, RegistrationDate

from .factories import create_registration_event, create_series_event, next_thursday, person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def connected():
    # the app's ready() connects them (idempotent: dispatch_uid)
    changes.connect()
    purge.connect()


@pytest.fixture
def sent(monkeypatch):
    """``(registration pk, kind, extra)`` of every mail queued, still stored in the outbox."""
    calls = []
    original = mails.queue

    def spy(registration, kind, extra=None):
        calls.append((registration.pk, kind, extra or {}))
        original(registration, kind, extra)

    monkeypatch.setattr(mails, "queue", spy)
    return calls


def register(page, number, original_start=None, seats_=20):
    if original_start is None:
        original_start = dates.date_states(page)[0].original_start
    return seats.register(
        page=page,
        original_start=original_start,
        seats=seats_,
        waiting_list=True,
        double_opt_in=False,
        person=person(number),
    ).registration


def change_date(page, original_start, **fields):
    page.overrides.add(OccurrenceOverride(original_start=original_start, **fields))
    page.save_revision().publish()
    page.refresh_from_db()


def kinds(calls):
    return sorted((pk, kind) for pk, kind, _extra in calls)


def test_a_cancelled_date_is_told_once_to_each_registered_person(sent):
    page = create_registration_event(seats=1)
    first, second = register(page, 1, seats_=1), register(page, 2, seats_=1)
    assert second.status == Status.WAITING
    sent.clear()
    outbox_before = Notification.objects.count()

    change_date(page, page.start, action="cancel")

    assert kinds(sent) == [
        (first.pk, mails.Kind.DATE_CANCELLED),
        (second.pk, mails.Kind.DATE_CANCELLED),
    ]
    assert Notification.objects.count() == outbox_before + 2  # in the durable outbox
    assert RegistrationDate.objects.get().notified_cancelled

    page.save_revision().publish()  # publishing again tells nobody anything new
    assert len(sent) == 2


def test_cancelled_people_are_not_told(sent):
    page = create_registration_event()
    kept, gone = register(page, 1), register(page, 2)
    seats.cancel(gone.public_id, seats_of=lambda r: (20, True))
    sent.clear()
    change_date(page, page.start, action="cancel")
    assert kinds(sent) == [(kept.pk, mails.Kind.DATE_CANCELLED)]


def test_a_moved_date_is_told_once_with_its_new_time(sent):
    page = create_registration_event()
    registration = register(page, 1)
    sent.clear()
    new_start = page.start + timedelta(days=1, hours=1)

    change_date(page, page.start, action="move", new_start=new_start)

    assert kinds(sent) == [(registration.pk, mails.Kind.DATE_MOVED)]
    extra = sent[0][2]
    assert extra["occurrence"].start == new_start
    assert extra["previous_start"] == page.start
    assert RegistrationDate.objects.get().notified_start == new_start
    page.save_revision().publish()
    assert len(sent) == 1

    # moved once more: told again, with the time they were told last as the previous one
    overrides = list(page.overrides.all())
    overrides[0].new_start = new_start + timedelta(hours=2)
    page.overrides.set(overrides)
    page.save_revision().publish()
    assert len(sent) == 2
    assert sent[1][2]["previous_start"] == new_start


def test_a_date_moved_before_anyone_registered_is_not_told_as_a_move(sent):
    start = next_thursday()
    page = create_registration_event(
        start=start,
        overrides=(
            {"original_start": start, "action": "move", "new_start": start + timedelta(hours=1)},
        ),
    )
    register(page, 1, original_start=start)
    sent.clear()
    page.save_revision().publish()
    assert sent == []


def test_a_cancellation_taken_back_is_told(sent):
    page = create_registration_event()
    registration = register(page, 1)
    change_date(page, page.start, action="cancel")
    page.overrides.set([])
    page.save_revision().publish()
    assert kinds(sent)[-1] == (registration.pk, mails.Kind.DATE_MOVED)
    assert sent[-1][2]["reinstated"] is True
    assert not RegistrationDate.objects.get().notified_cancelled


def test_a_past_date_is_not_told(sent):
    page = create_registration_event()
    registration = register(page, 1)
    sent.clear()
    later = timezone.now() + timedelta(days=400)
    assert changes.notify_changes(page, now=later) == 0
    page.overrides.add(OccurrenceOverride(original_start=page.start, action="cancel"))
    page.save()
    assert changes.notify_changes(page, now=later) == 0
    assert changes.notify_changes(page) == 1  # the same change, told while the date is ahead
    assert kinds(sent) == [(registration.pk, mails.Kind.DATE_CANCELLED)]


def test_series_registrations_are_told_of_each_changed_date(sent):
    page = create_series_event(mode="series")
    people = [register(page, n, original_start=None) for n in (1, 2)]
    sent.clear()
    following = [o.original_start for o in page.get_upcoming_occurrences(limit=3)]

    change_date(page, following[1], action="cancel")
    assert kinds(sent) == sorted((r.pk, mails.Kind.DATE_CANCELLED) for r in people)
    change_date(page, following[2], action="move", new_start=following[2] + timedelta(days=1))
    assert len(sent) == 4
    assert {kind for _pk, kind, _extra in sent[2:]} == {mails.Kind.DATE_MOVED}
    page.save_revision().publish()
    assert len(sent) == 4
    # the seats stay on the series' row; the dates only remember what was told
    assert Registration.objects.filter(date__original_start__isnull=False).count() == 0


def test_unpublishing_tells_everyone_registered_for_a_date_to_come(sent):
    page = create_registration_event()
    active, cancelled = register(page, 1), register(page, 2)
    seats.cancel(cancelled.public_id, seats_of=lambda r: (20, True))
    sent.clear()
    page.unpublish()
    assert kinds(sent) == [(active.pk, mails.Kind.EVENT_WITHDRAWN)]
    active.refresh_from_db()
    assert active.status == Status.CONFIRMED  # kept: the organisers still see who it was


def test_unpublishing_a_past_event_tells_nobody(sent):
    start = timezone.now() - timedelta(days=3)
    page = create_registration_event(start=start)
    row = seats.date_row(page.translation_key, start)
    Registration.objects.create(date=row, page=page, name="A", email="a@example.org")
    page.unpublish()
    assert sent == []


def test_deleting_a_live_event_tells_them_and_the_mail_survives(sent):
    page = create_registration_event()
    register(page, 1)
    sent.clear()
    before = Notification.objects.count()
    page.delete()
    assert [kind for _pk, kind, _extra in sent] == []  # not through queue: detached from them
    assert Registration.objects.count() == 0  # gone with their page
    withdrawn = Notification.objects.filter(page__isnull=True)
    assert withdrawn.count() == 1
    assert withdrawn.get().recipients == ["person1@example.org"]
    assert Notification.objects.count() == 1 and before >= 1  # the old mails went with them


def test_translations_share_the_dates_and_tell_each_person_once(sent):
    page = create_registration_event()
    english_locale = Locale.objects.get_or_create(language_code="en")[0]
    english = page.copy_for_translation(english_locale, copy_parents=True)
    english.save_revision().publish()
    german_person = register(page, 1)
    english_person = register(english.specific, 2)
    assert german_person.date_id == english_person.date_id  # the same seats
    sent.clear()

    change_date(page, page.start, action="cancel")
    english.save_revision().publish()  # the translation, not yet synchronised: nothing undone

    assert kinds(sent) == [
        (german_person.pk, mails.Kind.DATE_CANCELLED),
        (english_person.pk, mails.Kind.DATE_CANCELLED),
    ]
    # each in the language of the page the person registered on
    mail_of_english_person = Notification.for_cause(english_person).latest("pk")
    assert mail_of_english_person.page_id == english.pk


def test_a_one_off_event_given_another_start_keeps_its_people_and_tells_them(sent):
    page = create_registration_event()
    registration = register(page, 1)
    sent.clear()
    old_start = page.start
    page.start, page.end = old_start + timedelta(days=2), page.end + timedelta(days=2)
    page.save_revision().publish()
    page.refresh_from_db()

    assert kinds(sent) == [(registration.pk, mails.Kind.DATE_MOVED)]
    assert sent[0][2]["previous_start"] == old_start
    row = RegistrationDate.objects.get()
    assert (row.original_start, row.notified_start) == (page.start, page.start)
    assert dates.date_states(page)[0].taken == 1  # still counted on the new date
    page.save_revision().publish()
    assert len(sent) == 1
