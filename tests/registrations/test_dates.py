"""Where each date stands (``dates.py``): seats left, waiting list, full, closed, not open yet,
cancelled; a single date's own seats; a moved date keeps its registrations."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from kokreative_wagtail.events.choices import OverrideAction
from kokreative_wagtail.registrations import dates, seats
from kokreative_wagtail.registrations.dates import State

from .factories import COP_RULE, create_registration_event, next_thursday, person

pytestmark = pytest.mark.django_db


def take(page, state, count, *, waiting_list=True):
    for number in range(count):
        seats.register(
            page=page,
            original_start=state.original_start,
            seats=state.seats,
            waiting_list=waiting_list,
            double_opt_in=False,
            person=person(100 + number),
        )


def test_seats_left_then_waiting_list_then_full_without_one():
    page = create_registration_event(seats=2)
    [state] = dates.date_states(page)
    with translation.override("en"):
        assert (state.state, state.seats_left, state.label) == (State.OPEN, 2, "2 seats left")
    take(page, state, 2)
    [state] = dates.date_states(page)
    assert (state.state, state.seats_left, state.taken) == (State.WAITING_LIST, 0, 2)
    assert state.accepts
    with translation.override("de"):
        assert state.label == "Warteliste"

    other = create_registration_event(
        title="Workshop", index=page.get_parent(), seats=1, waiting_list=False
    )
    [state] = dates.date_states(other)
    take(other, state, 1, waiting_list=False)
    [state] = dates.date_states(other)
    with translation.override("en"):
        assert (state.state, state.accepts, state.label) == (State.FULL, False, "Fully booked")


def test_registration_window_relative_to_the_date():
    start = next_thursday(days_ahead=20)
    page = create_registration_event(start=start, opens_days_before=10, closes_hours_before=2)
    now = timezone.now()
    [state] = dates.date_states(page, now=now)
    assert state.state == State.NOT_OPEN and not state.accepts
    assert state.opens_at == start - timedelta(days=10)
    [state] = dates.date_states(page, now=start - timedelta(days=9))
    assert state.state == State.OPEN
    [state] = dates.date_states(page, now=start - timedelta(hours=1))
    assert state.state == State.CLOSED and state.closes_at == start - timedelta(hours=2)


def test_a_single_date_has_its_own_seats_and_a_cancelled_date_takes_none():
    first = next_thursday()
    second, third = first + timedelta(weeks=4), first + timedelta(weeks=8)
    page = create_registration_event(
        start=first,
        rule=COP_RULE,
        seats=20,
        overrides=(
            {"original_start": second, "action": OverrideAction.DETAILS, "seats": 5},
            {"original_start": third, "action": OverrideAction.CANCEL},
        ),
    )
    states = {state.original_start: state for state in dates.date_states(page)}
    assert states[first].seats == 20
    assert states[second].seats == 5
    assert states[third].state == State.CANCELLED and not states[third].accepts
    assert dates.date_state(page, second).seats == 5


def test_a_moved_date_keeps_its_registrations():
    first = next_thursday()
    page = create_registration_event(start=first, rule=COP_RULE, seats=3)
    state = dates.date_state(page, first)
    take(page, state, 2)
    moved = first + timedelta(days=1, hours=1)
    page.overrides.create(
        original_start=first, action=OverrideAction.MOVE, new_start=moved, locale=page.locale
    )
    page.save_revision().publish()
    state = dates.date_state(page, first)
    assert (state.start, state.taken, state.seats_left) == (moved, 2, 1)


def test_a_date_the_event_does_not_have_is_none():
    page = create_registration_event()
    [state] = dates.date_states(page)
    assert dates.date_state(page, state.original_start + timedelta(minutes=30)) is None
    assert dates.date_state(page, None) is None  # no series registration on a date event


def test_an_unpublished_event_takes_no_registrations():
    page = create_registration_event()
    page.unpublish()
    page.refresh_from_db()
    [state] = dates.date_states(page)
    assert state.state == State.CLOSED
