"""The dates of an event page people can register for, and where each stands.

A date is named by its series start (``original_start``, RECURRENCE-ID): a moved date stays the
same date with the same registrations. With registration for the whole series there is one
"date" (``original_start`` ``None``) whose seats cover every date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..events.series import occurrence_at
from .choices import Mode, Status
from .models import Registration, RegistrationOptions
from .seats import scope_of

#: How many upcoming dates the event page and the API offer.
UPCOMING_DATES = 12
#: How far ahead they are looked for.
HORIZON = timedelta(days=366)


class State:
    """Where a date stands for someone who wants to register (stable API values)."""

    OPEN = "open"  # seats left
    WAITING_LIST = "waiting_list"  # full, a waiting list is kept
    FULL = "full"  # full, no waiting list
    CLOSED = "closed"  # registration has closed (or the date is cancelled or past)
    NOT_OPEN = "not_open"  # registration opens later
    CANCELLED = "cancelled"  # the date is cancelled


@dataclass
class DateState:
    original_start: datetime | None  # None: the whole series
    start: datetime | None  # current start (moved dates: the new one); series: the next date
    end: datetime | None
    seats: int
    taken: int
    waiting: int
    state: str
    opens_at: datetime | None
    closes_at: datetime | None
    occurrence: object = None

    @property
    def seats_left(self) -> int:
        return max(self.seats - self.taken, 0)

    @property
    def scope(self) -> str:
        return scope_of(self.original_start)

    @property
    def accepts(self) -> bool:
        """Whether a registration is taken now (a seat or the waiting list)."""
        return self.state in (State.OPEN, State.WAITING_LIST)

    @property
    def label(self) -> str:
        if self.state == State.OPEN:
            return ngettext("%(count)d seat left", "%(count)d seats left", self.seats_left) % {
                "count": self.seats_left
            }
        return {
            State.WAITING_LIST: _("Waiting list"),
            State.FULL: _("Fully booked"),
            State.CLOSED: _("Registration closed"),
            State.NOT_OPEN: _("Registration not open yet"),
            State.CANCELLED: _("Cancelled"),
        }[self.state]


def options_for(page) -> RegistrationOptions | None:
    """The page's registration settings, or ``None`` when it takes no registrations."""
    if not hasattr(page, "registration_options"):
        return None
    return next(iter(page.registration_options.all()), None)


def own_seats(page) -> dict[datetime, int]:
    """The seats of the single dates that have their own (their change's "Seats"), by original
    start: the overrides read once for a list of dates, not once per date."""
    seats: dict[datetime, int] = {}
    for override in page.overrides.all():
        if override.original_start is not None and override.seats is not None:
            seats.setdefault(override.original_start, override.seats)
    return seats


def seats_of_date(
    page,
    options: RegistrationOptions,
    original_start: datetime | None,
    own: dict[datetime, int] | None = None,
) -> int:
    """The options' seats, or a single date's own (its change's "Seats"); ``own``: the page's
    ``own_seats`` where the caller has them."""
    if original_start is not None and options.mode == Mode.DATE:
        own = own_seats(page) if own is None else own
        return own.get(original_start, options.seats)
    return options.seats


def _counts(page) -> dict[str, tuple[int, int]]:
    """Confirmed and waiting registrations per date scope, in one query."""
    rows = (
        Registration.objects.filter(
            date__event_key=page.translation_key,
            status__in=(Status.CONFIRMED, Status.WAITING),
        )
        .values_list("date__scope", "status")
        .annotate(n=Count("pk"))
    )
    counts: dict[str, list[int]] = {}
    for scope, status, n in rows:
        pair = counts.setdefault(scope, [0, 0])
        pair[0 if status == Status.CONFIRMED else 1] += n
    return {scope: (pair[0], pair[1]) for scope, pair in counts.items()}


def _window(options, start: datetime, first_start: datetime) -> tuple[datetime | None, datetime]:
    reference = first_start if options.mode == Mode.SERIES else start
    opens = (
        reference - timedelta(days=options.opens_days_before)
        if options.opens_days_before is not None
        else None
    )
    return opens, start - timedelta(hours=options.closes_hours_before)


def _state(options, occurrence, seats, taken, opens, closes, now, live: bool) -> str:
    if occurrence is not None and occurrence.cancelled:
        return State.CANCELLED
    if not live or occurrence is None or now >= closes:
        return State.CLOSED
    if opens is not None and now < opens:
        return State.NOT_OPEN
    if taken < seats:
        return State.OPEN
    return State.WAITING_LIST if options.waiting_list else State.FULL


def date_states(page, options=None, now=None, limit: int = UPCOMING_DATES) -> list[DateState]:
    """The next dates (or the series) with seats and state, for the page and the API."""
    options = options or options_for(page)
    if options is None:
        return []
    now = now or timezone.now()
    counts = _counts(page)
    live = bool(page.live)
    upcoming = page.get_occurrences(now, now + HORIZON)
    if options.mode == Mode.SERIES:
        following = [o for o in upcoming if not o.cancelled]
        closes_after = now + timedelta(hours=options.closes_hours_before)
        nxt = next((o for o in following if o.start > closes_after), None)
        taken, waiting = counts.get(scope_of(None), (0, 0))
        opens, closes = _window(options, nxt.start if nxt else now, page.start)
        state = _state(options, nxt, options.seats, taken, opens, closes, now, live)
        return [
            DateState(
                None,
                nxt.start if nxt else None,
                nxt.end if nxt else None,
                options.seats,
                taken,
                waiting,
                state,
                opens,
                closes if nxt else None,
                nxt,
            )
        ]
    own = own_seats(page)
    return [
        _date_state(page, options, occurrence, counts, now, live, own)
        for occurrence in upcoming[:limit]
    ]


def _date_state(page, options, occurrence, counts, now, live, own=None) -> DateState:
    original = occurrence.original_start
    seats = seats_of_date(page, options, original, own)
    taken, waiting = counts.get(scope_of(original), (0, 0))
    opens, closes = _window(options, occurrence.start, page.start)
    state = _state(options, occurrence, seats, taken, opens, closes, now, live)
    return DateState(
        original,
        occurrence.start,
        occurrence.end,
        seats,
        taken,
        waiting,
        state,
        opens,
        closes,
        occurrence,
    )


def date_state(page, original_start: datetime | None, options=None, now=None) -> DateState | None:
    """Where one date stands; ``None`` when the event has no such date (or mode mismatch)."""
    options = options or options_for(page)
    if options is None:
        return None
    now = now or timezone.now()
    if options.mode == Mode.SERIES:
        if original_start is not None:
            return None
        return date_states(page, options, now)[0]
    if original_start is None:
        return None
    occurrence = occurrence_at(page, original_start)
    if occurrence is None:
        return None
    return _date_state(page, options, occurrence, _counts(page), now, bool(page.live))
