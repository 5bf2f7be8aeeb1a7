"""Seats, waiting list and promotion decided under the date's lock (``seats.py``)."""

from __future__ import annotations

import pytest

from kokreative_wagtail.outbox.models import Notification
from kokreative_wagtail.registrations import dates, seats
from kokreative_wagtail.registrations.choices import Status

from .factories import create_registration_event, create_series_event, person

pytestmark = pytest.mark.django_db


def _register(page, number, *, double_opt_in=False, seats_=2, waiting_list=True):
    original = dates.date_states(page)[0].original_start
    return seats.register(
        page=page,
        original_start=original,
        seats=seats_,
        waiting_list=waiting_list,
        double_opt_in=double_opt_in,
        person=person(number),
    ).registration


def test_seats_then_waiting_list_then_promotion_in_order():
    page = create_registration_event(seats=2)
    first, second, third, fourth = (_register(page, n) for n in range(1, 5))
    assert [r.status for r in (first, second, third, fourth)] == [
        Status.CONFIRMED,
        Status.CONFIRMED,
        Status.WAITING,
        Status.WAITING,
    ]
    change = seats.cancel(first.public_id, seats_of=lambda r: (2, True))
    assert change.registration.status == Status.CANCELLED
    assert [r.pk for r in change.promoted] == [third.pk]  # the first on the list, not the last
    third.refresh_from_db()
    assert third.status == Status.CONFIRMED
    # every change left its e-mail in the outbox, with the cause
    assert Notification.objects.count() == 4 + 1 + 1


def test_same_address_twice_is_refused_without_a_second_row():
    page = create_registration_event(seats=2)
    _register(page, 1)
    with pytest.raises(seats.AlreadyRegistered):
        _register(page, 1)
    assert page.pk and seats.Registration.objects.count() == 1


def test_without_waiting_list_a_full_date_refuses():
    page = create_registration_event(seats=1, waiting_list=False)
    _register(page, 1, seats_=1, waiting_list=False)
    with pytest.raises(seats.Full):
        _register(page, 2, seats_=1, waiting_list=False)


def test_double_opt_in_holds_no_seat_until_confirmed():
    page = create_registration_event(seats=1)
    pending = _register(page, 1, double_opt_in=True, seats_=1)
    assert pending.status == Status.PENDING
    confirmed = _register(page, 2, seats_=1)  # the seat is still free
    assert confirmed.status == Status.CONFIRMED
    change = seats.confirm(
        pending.public_id, seats_of=lambda r: (1, True), closed_for=lambda r: False
    )
    assert change.registration.status == Status.WAITING
    again = seats.confirm(
        pending.public_id, seats_of=lambda r: (1, True), closed_for=lambda r: False
    )
    assert again.registration.status == Status.WAITING  # confirming twice changes nothing


def test_the_series_has_one_date_for_all():
    page = create_series_event(mode="series", seats=5)
    states = dates.date_states(page)
    assert len(states) == 1
    assert states[0].original_start is None and states[0].state == dates.State.OPEN
    assert states[0].start is not None  # the next date of the series
