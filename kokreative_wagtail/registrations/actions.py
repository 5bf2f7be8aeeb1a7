"""Confirming and cancelling by the links' tokens, for the HTML pages and the JSON API."""

from __future__ import annotations

from django.utils import timezone

from . import dates, seats
from .choices import Mode
from .tokens import Purpose, read_token


def _event_page(registration):
    return registration.page.specific


def seats_of(registration) -> tuple[int, bool]:
    """Seats of the registration's date and whether a waiting list is kept."""
    page = _event_page(registration)
    options = dates.options_for(page)
    if options is None:
        return 0, False
    return dates.seats_of_date(
        page, options, registration.date.original_start
    ), options.waiting_list


def closed_for(registration) -> bool:
    """Whether the registration's date no longer takes registrations (past, cancelled, closed)."""
    page = _event_page(registration)
    if not page.live or dates.options_for(page) is None:
        return True
    state = dates.date_state(page, registration.date.original_start, now=timezone.now())
    return state is None or state.state in (
        dates.State.CLOSED,
        dates.State.CANCELLED,
        dates.State.NOT_OPEN,
    )


def find(token: str, purpose: Purpose):
    """The registration a token names for ``purpose``, else ``None``."""
    public_id = read_token(token, purpose)
    if public_id is None:
        return None
    return seats.Registration.objects.filter(public_id=public_id).select_related("date").first()


def confirm(token: str) -> seats.Change | None:
    public_id = read_token(token, Purpose.CONFIRM)
    if public_id is None:
        return None
    return seats.confirm(public_id, seats_of=seats_of, closed_for=closed_for)


def cancel(token: str) -> seats.Change | None:
    public_id = read_token(token, Purpose.CANCEL)
    if public_id is None:
        return None
    return seats.cancel(public_id, seats_of=seats_of)


def is_series(registration) -> bool:
    options = dates.options_for(_event_page(registration))
    return registration.date.is_series or (options is not None and options.mode == Mode.SERIES)
