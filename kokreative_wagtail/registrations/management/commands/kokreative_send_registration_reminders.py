"""Queue the reminders of dates that begin soon: run it every 15 minutes or hourly (cron, a
systemd timer, a scheduled task of the platform).

Safe on several app servers at once: each reminder is claimed in the database before it is
queued, so a second run sends nothing twice. It prints a count, never who is reminded.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ...reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Send reminders to confirmed registrations of dates that begin within the reminder "
        "time of their event. Run it every 15 minutes or hourly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count the reminders that are due."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        count = send_reminders(dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"{count} reminder(s) due; none sent (dry run).")
        else:
            self.stdout.write(f"{count} reminder(s) queued.")
