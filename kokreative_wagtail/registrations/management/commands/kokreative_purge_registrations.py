"""Delete registrations past their retention (``registrations.purge``), for sites without the
consultations app, whose ``kokreative_purge_submissions`` does it too. Prints counts only."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ...purge import purge


class Command(BaseCommand):
    help = (
        "Delete registrations REGISTRATION_RETENTION_DAYS after their date and unconfirmed ones "
        "after REGISTRATION_CONFIRM_HOURS (kokreative_purge_submissions does it as well)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        verb = "Would delete" if dry_run else "Deleted"
        for what, count in purge(dry_run=dry_run).items():
            self.stdout.write(f"{verb} {count} {what}.")
