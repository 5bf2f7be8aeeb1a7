"""The task that sends one outbox row, through Wagtail's task backend (django-tasks).

It gets the row's id only, never personal data, and never raises for a failed send: the outbox
records the failure and its next attempt, so a task backend's own FAILED state (which is never
retried) plays no part. A backend that can defer tasks gets the retry enqueued for the next
attempt; otherwise ``kokreative_send_notifications`` (cron) picks it up.
"""

from __future__ import annotations

import logging

try:  # Wagtail 7.x and 8.x define their tasks with django-tasks.
    from django_tasks import task
except ImportError:  # pragma: no cover - a future Wagtail on Django's own tasks framework
    from django.tasks import task

from .models import Notification
from .sending import Outcome, deliver

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
    except Exception as exc:  # the row stays pending for the command
        logger.error(
            "Could not enqueue the retry of notification e-mail %s (%s).",
            notification_id,
            type(exc).__name__,
        )
