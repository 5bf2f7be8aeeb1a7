"""Send the notification e-mails of the outbox that are due (cron, every minute).

For sites without a task worker, and the safety net of those with one: whatever a task could not
send (mail server down, queue down) goes out here, once its next attempt has come. Prints counts
only, never addresses or contents.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ...outbox.sending import Outcome, send_due


class Command(BaseCommand):
    help = (
        "Send the notification e-mails that are due (pending, next attempt reached) and "
        "reschedule those that fail. Run it every minute from cron."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--limit",
            type=int,
            default=None,
            help="Send at most this many e-mails in this run (default: all that are due).",
        )

    def handle(self, *args, limit: int | None = None, **options) -> None:
        counts = send_due(limit=limit)
        self.stdout.write(
            f"Sent {counts[Outcome.SENT]} notification e-mail(s); "
            f"{counts[Outcome.RETRY]} failed and will be retried, "
            f"{counts[Outcome.FAILED]} failed for the last time, "
            f"{counts[Outcome.SKIPPED]} taken by another worker."
        )
