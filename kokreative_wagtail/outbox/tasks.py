"""The task that sends one outbox row, through Wagtail's task backend (django-tasks).

It gets the row's id only, never personal data, and never raises for a failed send: the outbox
records the failure and its next attempt, so a task backend's own FAILED state (which is never
retried) plays no part. A backend that can defer tasks gets the retry enqueued for the next
attempt; otherwise ``kokreative_send_notifications`` (cron) picks it up.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

try:  # Wagtail 7.x and 8.x define their tasks with django-tasks.
    from django_tasks import task
except ImportError:  # pragma: no cover - a future Wagtail on Django's own tasks framework
    from django.tasks import task

from .models import Notification
from .sending import Outcome, deliver, deliver_in_request

logger = logging.getLogger(__name__)


@task()
def send_notification(notification_id: int) -> str:
    """Send one outbox row if it is due and not claimed elsewhere; returns the outcome."""
    outcome = deliver(notification_id)
    if outcome is Outcome.RETRY:
        enqueue_retry(notification_id)
    return outcome.value


def enqueue_retry(notification_id: int) -> None:
    """Enqueue the next attempt on a backend that can run a task later; else leave it to cron."""
    try:
        if not send_notification.get_backend().supports_defer:
            return
        run_after = (
            Notification.objects.filter(pk=notification_id)
            .values_list("next_attempt_at", flat=True)
            .first()
        )
        if run_after is not None:
            send_notification.using(run_after=run_after).enqueue(notification_id)
    except Exception as exc:  # the site's task backend, its own errors: the row stays pending
        logger.error(
            "Could not enqueue the retry of notification e-mail %s (%s).",
            notification_id,
            type(exc).__name__,
        )


def store(cause, message, *, page_id: int | None = None, kind: str | None = None) -> Notification:
    """Render ``message`` (an ``EmailMessage``) into the outbox for ``cause``; call it inside the
    transaction that stores the cause, then :func:`schedule` the row's id."""
    return Notification.objects.create(
        content_type=ContentType.objects.get_for_model(cause, for_concrete_model=False),
        object_id=str(cause.pk),
        page_id=page_id,
        kind=kind or Notification.Kind.CONFIRMATION,
        from_email=message.from_email or "",
        recipients=list(message.to),
        reply_to=list(message.reply_to),
        subject=str(message.subject),
        body=str(message.body),
        attachments=[
            {"filename": name, "content": str(content), "mimetype": mimetype}
            for name, content, mimetype in message.attachments
        ],
    )


def runs_in_request() -> bool:
    """Whether the task backend runs tasks at once, in the request that enqueues them."""
    try:
        from django_tasks.backends.immediate import ImmediateBackend
    except ImportError:  # pragma: no cover - a future Wagtail on Django's own tasks
        return False
    try:
        return isinstance(send_notification.get_backend(), ImmediateBackend)
    except Exception:  # no or a broken task backend (the site's, own errors): enqueue reports it
        return False


def schedule(ids: Iterable[int]) -> None:
    """Send the rows once they are committed: in the request over one connection with the
    immediate task backend (``deliver_in_request``), else a task per row; never fail the caller.

    A broken task queue or mail server loses nothing: the rows stay pending for the command.
    """
    ids = list(ids)

    def enqueue() -> None:
        if runs_in_request():
            try:
                deliver_in_request(ids)
            except Exception as exc:  # the database or the site's e-mail backend: rows stay pending
                logger.error("Sending notification e-mails failed (%s).", type(exc).__name__)
            return
        for pk in ids:
            try:
                send_notification.enqueue(pk)
            except Exception as exc:  # the site's task backend raises its own errors
                logger.error(
                    "Could not enqueue notification e-mail %s (%s); it stays pending for "
                    "kokreative_send_notifications.",
                    pk,
                    type(exc).__name__,
                )

    if ids:
        transaction.on_commit(enqueue)


def requeue(notification: Notification) -> None:
    """Make a row due now (an editor's "send again") and enqueue it."""
    Notification.objects.filter(pk=notification.pk).exclude(status=Notification.Status.SENT).update(
        status=Notification.Status.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        locked_until=None,
    )
    schedule([notification.pk])
