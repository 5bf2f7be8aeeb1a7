"""An organiser moves a person to another date of the same event.

Both dates' rows are locked, in the order of their primary keys (two editors moving people in
opposite directions at once would otherwise wait for each other for ever). Under the locks the
target date must have a free seat after its own waiting list was served (nobody waiting there is
overtaken); the person is then confirmed there, and the seat they leave goes to the first on the
old date's waiting list (``seats.promote``). The mails go into the outbox in the same
transaction.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..events.series import occurrence_at
from . import mails
from .choices import ACTIVE, Mode, Status
from .dates import options_for, seats_of_date
from .models import Registration, RegistrationDate
from .seats import Change, RegistrationError, confirmed_count, date_row, promote

#: Who can be moved: those who confirmed their address (a pending one holds no seat yet).
MOVABLE = (Status.CONFIRMED, Status.WAITING)


class MoveRefused(RegistrationError):
    code = "move_refused"
    message = _("The person could not be moved.")


class NoSuchDate(MoveRefused):
    code = "no_such_date"
    message = _("The event has no such date, or it is cancelled or over.")


class SameDate(MoveRefused):
    code = "same_date"
    message = _("The person is already registered for this date.")


class NotMovable(MoveRefused):
    code = "not_movable"
    message = _(
        "Only confirmed people and people on the waiting list can be moved; this registration "
        "is cancelled or its e-mail address is not confirmed yet."
    )


class TargetFull(MoveRefused):
    code = "target_full"
    status = 409
    message = _("The other date has no free seat. Add seats to it or cancel someone there first.")


class AlreadyThere(MoveRefused):
    code = "already_there"
    status = 409
    message = _("This e-mail address is already registered for the other date.")


def _seats(page, options, row: RegistrationDate) -> int:
    return seats_of_date(page, options, row.original_start)


def _check_target(page, to_original_start: datetime, now: datetime) -> None:
    """The target must be a held, future date of the page's series (a move names a date by its
    series start, as registrations do)."""
    occurrence = occurrence_at(page, to_original_start)
    if occurrence is None or occurrence.cancelled or occurrence.start <= now:
        raise NoSuchDate


def move(registration: Registration, to_original_start: datetime, *, page=None) -> Change:
    """Move ``registration`` to the date of the same event starting (in the series) at
    ``to_original_start``; it is confirmed there. Returns the change with whom the freed seat
    went to. Raises a ``MoveRefused`` subclass (a clear message for the editor) otherwise.

    ``page`` is the event page whose settings count (the registration's own by default).
    """
    page = page or registration.page.specific
    options = options_for(page)
    if options is None or options.mode != Mode.DATE:
        raise NoSuchDate
    now = timezone.now()
    _check_target(page, to_original_start, now)
    target_row = date_row(page.translation_key, to_original_start)
    with transaction.atomic():
        source_pk = registration.date_id
        if source_pk == target_row.pk:
            raise SameDate
        locked = {
            row.pk: row
            for row in (
                RegistrationDate.objects.select_for_update().get(pk=pk)
                for pk in sorted((source_pk, target_row.pk))
            )
        }
        source, target = locked[source_pk], locked[target_row.pk]
        registration.refresh_from_db()
        if registration.date_id != source.pk:  # moved meanwhile by someone else
            raise NotMovable
        if registration.status not in MOVABLE:
            raise NotMovable
        if Registration.objects.filter(
            date=target, email__iexact=registration.email, status__in=ACTIVE
        ).exists():
            raise AlreadyThere
        target_seats = _seats(page, options, target)
        promote(target, target_seats)  # seats added there go to its own waiting list first
        if confirmed_count(target) >= target_seats:
            raise TargetFull
        held_seat = registration.status == Status.CONFIRMED
        moved_from = source.original_start
        registration.date = target
        registration.status = Status.CONFIRMED
        registration.waiting_since = None
        registration.reminded_for = None
        registration.confirmed_at = registration.confirmed_at or now
        registration.save()
        mails.queue(registration, mails.Kind.MOVED_BY_EDITOR, {"moved_from": moved_from})
        promoted = promote(source, _seats(page, options, source)) if held_seat else []
    return Change(registration, promoted)
