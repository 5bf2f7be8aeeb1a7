"""Who gets a seat: every decision is made in the database, under the date's row lock.

Registering (without double opt-in), confirming an address, cancelling and promoting from the
waiting list each lock the ``RegistrationDate`` row (``SELECT … FOR UPDATE``) and count the
confirmed registrations inside that transaction, so two app servers deciding about the last seat
at once queue on the lock: the second sees the first's seat. A unique constraint keeps one
active registration per address and date, also when two requests race. The e-mails of a
change are stored in the outbox in the same transaction (``mails.queue``), so none is lost.

SQLite ignores ``FOR UPDATE``; it serialises writing transactions itself.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from datetime import timezone as dt_timezone

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import mails
from .choices import ACTIVE, Status
from .models import Registration, RegistrationDate

#: ``datetime.UTC`` is Python 3.11+; the package supports 3.10.
UTC = dt_timezone.utc

SERIES_SCOPE = "series"
#: How a date's scope writes its start: UTC, to the second (``2027-01-14T15:30:00Z``).
SCOPE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class RegistrationError(Exception):
    """A registration that cannot be taken; ``code`` is stable for API clients."""

    code = "invalid"
    status = 400
    message = _("The registration could not be taken.")

    def __str__(self) -> str:
        return str(self.message)


class Closed(RegistrationError):
    code = "closed"
    status = 409
    message = _("Registration for this date is closed.")


class Full(RegistrationError):
    code = "full"
    status = 409
    message = _("This date is fully booked.")


class AlreadyRegistered(RegistrationError):
    code = "already_registered"
    status = 409
    message = _(
        "This e-mail address is already registered for this date. The e-mail we sent has a "
        "link to cancel."
    )


@dataclass
class Change:
    """What a decision did: the registration and whom it moved up from the waiting list."""

    registration: Registration
    promoted: list[Registration] = field(default_factory=list)


def scope_of(original_start: datetime | None) -> str:
    if original_start is None:
        return SERIES_SCOPE
    return original_start.astimezone(UTC).strftime(SCOPE_FORMAT)


def parse_scope(scope: str) -> datetime | None:
    """The start a scope names (``None`` for the series); ``ValueError`` for anything else."""
    if scope == SERIES_SCOPE:
        return None
    if not isinstance(scope, str) or len(scope) > 20:
        raise ValueError(scope)
    return datetime.strptime(scope, SCOPE_FORMAT).replace(tzinfo=UTC)


def date_row(event_key: uuid.UUID, original_start: datetime | None) -> RegistrationDate:
    """The row of a date, created on first use (two requests creating it at once both get it)."""
    scope = scope_of(original_start)
    row = RegistrationDate.objects.filter(event_key=event_key, scope=scope).first()
    if row is not None:
        return row
    RegistrationDate.objects.bulk_create(
        [
            RegistrationDate(
                event_key=event_key,
                scope=scope,
                original_start=original_start,
                notified_start=original_start,
            )
        ],
        ignore_conflicts=True,
    )
    return RegistrationDate.objects.get(event_key=event_key, scope=scope)


def lock(row: RegistrationDate) -> RegistrationDate:
    """Take the date's row lock for the rest of the transaction."""
    return RegistrationDate.objects.select_for_update().get(pk=row.pk)


def confirmed_count(row: RegistrationDate) -> int:
    return Registration.objects.filter(date=row, status=Status.CONFIRMED).count()


def allocate(row: RegistrationDate, seats: int, waiting_list: bool) -> Status:
    """The status a seat-seeking registration gets now (call under the row lock).

    Seats that came free without a promotion (an editor added seats) go to the waiting list
    first: nobody overtakes those waiting.
    """
    promote(row, seats)
    if confirmed_count(row) < seats:
        return Status.CONFIRMED
    return Status.WAITING if waiting_list else Status.FULL


def _set_status(registration: Registration, status: Status, now: datetime) -> None:
    registration.status = status
    if status == Status.WAITING and registration.waiting_since is None:
        registration.waiting_since = now


def register(
    *,
    page,
    original_start: datetime | None,
    seats: int,
    waiting_list: bool,
    double_opt_in: bool,
    person: dict,
) -> Change:
    """Take a registration of ``person`` (name, email, organisation, data) for a date.

    With double opt-in it waits for the address to be confirmed and holds no seat; otherwise it
    is confirmed, put on the waiting list, or refused (``Full``). Raises ``AlreadyRegistered``
    for an address already registered for the date.
    """
    email = person["email"].strip()
    with transaction.atomic():
        row = lock(date_row(page.translation_key, original_start))
        if Registration.objects.filter(date=row, email__iexact=email, status__in=ACTIVE).exists():
            raise AlreadyRegistered
        now = timezone.now()
        registration = Registration(
            date=row,
            page_id=page.pk,
            name=person["name"],
            email=email,
            organisation=person.get("organisation", ""),
            data=person.get("data") or {},
        )
        if double_opt_in:
            registration.status = Status.PENDING
        else:
            status = allocate(row, seats, waiting_list)
            if status == Status.FULL:
                raise Full
            registration.confirmed_at = now
            _set_status(registration, status, now)
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:  # the same address in a race: the other request won
            raise AlreadyRegistered from None
        mails.queue(registration, mails.Kind.for_status(registration.status))
    return Change(registration)


def confirm(public_id: uuid.UUID, *, seats_of, closed_for) -> Change | None:
    """Confirm a pending registration's address: a seat, the waiting list, or fully booked.

    ``seats_of(registration)`` gives its date's seats and whether a waiting list is kept,
    ``closed_for(registration)`` whether registration has closed for the date meanwhile.
    Confirming twice changes nothing. ``None`` when no registration has this id.
    """
    with transaction.atomic():
        registration = Registration.objects.filter(public_id=public_id).first()
        if registration is None:
            return None
        lock(registration.date)
        registration.refresh_from_db()
        if registration.status != Status.PENDING:
            return Change(registration)
        now = timezone.now()
        registration.confirmed_at = now
        if closed_for(registration):
            status = Status.FULL
        else:
            seats, waiting_list = seats_of(registration)
            status = allocate(registration.date, seats, waiting_list)
        _set_status(registration, status, now)
        registration.save()
        mails.queue(registration, mails.Kind.for_status(status))
    return Change(registration)


def cancel(public_id: uuid.UUID, *, seats_of, by_editor: bool = False) -> Change | None:
    """Cancel a registration; a freed seat goes to the first on the waiting list.

    Cancelling twice changes nothing. ``None`` when no registration has this id.
    """
    with transaction.atomic():
        registration = Registration.objects.filter(public_id=public_id).first()
        if registration is None:
            return None
        row = lock(registration.date)
        registration.refresh_from_db()
        if registration.status not in ACTIVE:
            return Change(registration)
        held_seat = registration.status == Status.CONFIRMED
        registration.status = Status.CANCELLED
        registration.save()
        mails.queue(
            registration, mails.Kind.CANCELLED_BY_EDITOR if by_editor else mails.Kind.CANCELLED
        )
        promoted = promote(row, *seats_of(registration)) if held_seat else []
    return Change(registration, promoted)


def promote(row: RegistrationDate, seats: int, waiting_list: bool = True) -> list[Registration]:
    """Give free seats to the waiting list in order and tell each one (call under the lock)."""
    free = seats - confirmed_count(row)
    if free <= 0:
        return []
    promoted = list(
        Registration.objects.filter(date=row, status=Status.WAITING).order_by(
            "waiting_since", "pk"
        )[:free]
    )
    for registration in promoted:
        registration.status = Status.CONFIRMED
        registration.save(update_fields=["status", "changed_at"])
        mails.queue(registration, mails.Kind.PROMOTED)
    return promoted


def promote_date(row: RegistrationDate, seats: int) -> list[Registration]:
    """Fill seats an editor added (more seats, a cancellation in the admin)."""
    with transaction.atomic():
        return promote(lock(row), seats)
