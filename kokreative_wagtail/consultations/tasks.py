"""E-mails of a submission, sent through Wagtail's task backend (django-tasks).

With the default immediate backend the task runs in the request, after the submission is
committed; a site moves it to a worker by configuring ``TASKS`` (see docs/forms.md). The task
gets ids only, never personal data, so nothing personal sits in a task queue or its logs.
"""

from __future__ import annotations

import logging

from django.db import transaction

try:  # Wagtail 7.x and 8.x define their tasks with django-tasks.
    from django_tasks import task
except ImportError:  # pragma: no cover - a future Wagtail on Django's own tasks framework
    from django.tasks import task

logger = logging.getLogger(__name__)


class NotificationError(Exception):
    """Sending failed; the message names the submission and the error class, nothing personal."""


@task()
def send_submission_emails(page_id: int, submission_id: int) -> None:
    """Send the notification (and, if the page asks for it, the confirmation) of a submission.

    A failure is re-raised without its original message and traceback context: an SMTP error
    can quote addresses, and task backends log failures.
    """
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).first()
    page = page.specific if page is not None else None
    if page is None or not hasattr(page, "send_submission_emails"):
        return
    submission = page.get_submissions().filter(pk=submission_id).first()
    if submission is None:  # deleted (or purged) before the worker got to it
        return
    failures = page.send_submission_emails(submission)
    if failures:
        failed = ", ".join(failures)
        message = f"Sending e-mails of form submission {submission_id} failed: {failed}"
        logger.warning(message)
        raise NotificationError(message)


def schedule_submission_emails(page_id: int, submission_id: int) -> None:
    """Enqueue the e-mails once the submission is committed; never let this fail the request."""

    def enqueue() -> None:
        try:
            send_submission_emails.enqueue(page_id, submission_id)
        except Exception as exc:  # a broken queue must not lose or fail the submission
            logger.error(
                "Could not enqueue the e-mails of form submission %s (%s).",
                submission_id,
                type(exc).__name__,
            )

    transaction.on_commit(enqueue)
