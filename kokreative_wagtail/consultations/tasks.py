"""E-mails of a submission: stored in the outbox with it, sent through Wagtail's task backend.

``store_submission_emails`` renders them into the outbox (``kokreative_wagtail.outbox``) in the
transaction that stores the submission; ``schedule_notifications`` enqueues one task per e-mail
after the commit. With the default immediate backend the task runs in the request, after the
commit, bounded by the mail timeout; a site moves it to a worker by configuring ``TASKS`` (see
docs/forms.md). Tasks get ids only, never personal data, so nothing personal sits in a task queue
or its logs. Failed e-mails are retried by the outbox, never lost.
"""

from __future__ import annotations

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Page

from ..outbox.models import Notification
from ..outbox.sending import deliver
from ..outbox.tasks import schedule as schedule_notifications

try:  # Wagtail 7.x and 8.x define their tasks with django-tasks.
    from django_tasks import task
except ImportError:  # pragma: no cover - a future Wagtail on Django's own tasks framework
    from django.tasks import task

__all__ = ["schedule_notifications", "send_submission_emails", "store_submission_emails"]

logger = logging.getLogger(__name__)


def store_submission_emails(page, submission) -> list[Notification]:
    """Render the page's e-mails of ``submission`` into the outbox (call inside its transaction)."""

    content_type = ContentType.objects.get_for_model(submission, for_concrete_model=False)
    return [
        Notification.objects.create(
            content_type=content_type,
            object_id=str(submission.pk),
            page_id=page.pk,
            kind=kind,
            from_email=message.from_email or "",
            recipients=list(message.to),
            reply_to=list(message.reply_to),
            subject=str(message.subject),
            body=str(message.body),
        )
        for kind, message in page.build_submission_emails(submission)
    ]


@task()
def send_submission_emails(page_id: int, submission_id: int) -> None:
    """Send the pending outbox e-mails of a submission.

    Kept for tasks enqueued before the outbox existed: a submission without outbox rows gets
    them now. Failures are recorded in the outbox (error class only) and retried from there.
    """

    page = Page.objects.filter(pk=page_id).first()
    page = page.specific if page is not None else None
    if page is None or not hasattr(page, "build_submission_emails"):
        return
    submission = page.get_submissions().filter(pk=submission_id).first()
    if submission is None:  # deleted (or purged) before the worker got to it
        return
    with transaction.atomic():
        if not Notification.for_cause(submission).exists():
            store_submission_emails(page, submission)
    for pk in Notification.for_cause(submission).values_list("pk", flat=True):
        deliver(pk)
