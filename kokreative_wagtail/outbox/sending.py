"""Claim, send and reschedule outbox rows; shared by the task and the management command.

Exactly once: a row is claimed by a conditional UPDATE (pending, due, not claimed by a live
worker) before its mail goes out, and marked sent afterwards only by the claim's holder. No
transaction stays open while the mail server is talked to. A worker that dies between the mail
server's "accepted" and the database write leaves a claim that expires after ``CLAIM_SECONDS``;
only then can that one mail go out a second time.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
from enum import Enum

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..conf import get_setting
from .models import Notification

logger = logging.getLogger(__name__)

#: Seconds a connection to the mail server may block when ``EMAIL_TIMEOUT`` is not set, so a
#: server that accepts and never answers cannot hold a visitor's request or a worker for long.
DEFAULT_EMAIL_TIMEOUT = 10

#: Delays before the 2nd, 3rd, … attempt; the last one repeats.
BACKOFF = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=12),
)

#: A claim outlives any single send (each socket operation is bounded by the timeout).
CLAIM_SECONDS = 600


class Outcome(str, Enum):
    SENT = "sent"
    RETRY = "retry"  # failed, pending again with a later next attempt
    FAILED = "failed"  # failed for the last time
    SKIPPED = "skipped"  # not due, already sent, or claimed by another worker


def backoff(attempts: int) -> datetime.timedelta:
    """Delay after the ``attempts``-th failed attempt."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def email_timeout() -> float:
    timeout = getattr(settings, "EMAIL_TIMEOUT", None)
    return timeout if timeout else DEFAULT_EMAIL_TIMEOUT


def open_connection():
    """The site's e-mail backend, with a timeout if it has one and none is configured."""
    connection = get_connection(fail_silently=False)
    if hasattr(connection, "timeout") and not connection.timeout:
        connection.timeout = email_timeout()
    return connection


def due(now: datetime.datetime | None = None) -> models.QuerySet[Notification]:
    """Pending rows whose next attempt has come and that no live worker holds."""
    now = now or timezone.now()
    return Notification.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        Q(locked_until__isnull=True) | Q(locked_until__lt=now),
        status=Notification.Status.PENDING,
    )


def claim(pk: int) -> datetime.datetime | None:
    """Claim one due row; returns the claim (its expiry) or None when it is not ours to send."""
    now = timezone.now()
    until = now + datetime.timedelta(seconds=CLAIM_SECONDS)
    claimed = due(now).filter(pk=pk).update(locked_until=until)
    return until if claimed == 1 else None


def build_message(notification: Notification, connection=None) -> EmailMessage:
    message = EmailMessage(
        subject=notification.subject,
        body=notification.body,
        from_email=notification.from_email or None,
        to=list(notification.recipients),
        reply_to=list(notification.reply_to) or None,
        connection=connection,
    )
    for attachment in notification.attachments or ():
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return message


def deliver(pk: int, connection=None) -> Outcome:
    """Send one row if it is due and ours; record the outcome without anything personal."""
    until = claim(pk)
    if until is None:
        return Outcome.SKIPPED
    mine = Notification.objects.filter(pk=pk, locked_until=until)
    notification = mine.first()
    if notification is None:  # deleted with its submission since the claim
        return Outcome.SKIPPED
    try:
        build_message(notification, connection or open_connection()).send(fail_silently=False)
    except Exception as exc:  # the site's e-mail backend, its own errors; may quote addresses
        attempts = notification.attempts + 1
        error = type(exc).__name__
        if attempts >= get_setting("NOTIFICATION_MAX_ATTEMPTS"):
            mine.update(
                status=Notification.Status.FAILED,
                attempts=attempts,
                last_error=error,
                next_attempt_at=None,
                locked_until=None,
            )
            logger.error(
                "Notification e-mail %s failed for the last time (%s, attempt %s); "
                "an editor can send it again in the admin.",
                pk,
                error,
                attempts,
            )
            return Outcome.FAILED
        next_attempt = timezone.now() + backoff(attempts)
        mine.update(
            attempts=attempts, last_error=error, next_attempt_at=next_attempt, locked_until=None
        )
        logger.warning(
            "Sending notification e-mail %s failed (%s, attempt %s); next attempt at %s.",
            pk,
            error,
            attempts,
            next_attempt.isoformat(timespec="seconds"),
        )
        return Outcome.RETRY
    mine.update(
        status=Notification.Status.SENT,
        attempts=notification.attempts + 1,
        sent_at=timezone.now(),
        next_attempt_at=None,
        locked_until=None,
    )
    return Outcome.SENT


def send_due(limit: int | None = None) -> dict[Outcome, int]:
    """Send every due row over one connection; returns counts per outcome."""
    counts = dict.fromkeys(Outcome, 0)
    ids = list(due().order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    if not ids:
        return counts
    connection = open_connection()
    try:
        for pk in ids:
            counts[deliver(pk, connection)] += 1
    finally:
        with contextlib.suppress(Exception):  # a broken connection is counted in the outcomes
            connection.close()
    return counts


def deliver_in_request(ids: list[int]) -> None:
    """Send a request's rows over one connection, giving up at the first failure.

    The visitor's request waits for one mail server timeout at most, whatever the server does
    (refuses, accepts and never answers, raises): the rows not tried yet stay pending with the
    failed row's next attempt, for the worker or ``kokreative_send_notifications``.
    """
    connection = open_connection()
    try:
        for index, pk in enumerate(ids):
            if deliver(pk, connection) in (Outcome.RETRY, Outcome.FAILED):
                later = Notification.objects.filter(pk=pk).values_list(
                    "next_attempt_at", flat=True
                ).first() or timezone.now() + backoff(1)
                Notification.objects.filter(
                    pk__in=ids[index + 1 :], status=Notification.Status.PENDING
                ).update(next_attempt_at=later)
                return
    finally:
        with contextlib.suppress(Exception):
            connection.close()
