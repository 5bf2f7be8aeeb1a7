"""Move the stored occurrence index with time: run it daily (cron, a systemd timer, a scheduled
task of the platform).

Safe on several app servers at once: writers queue on the index's horizon row, and a second run
finds nothing left to do. ``--rebuild`` writes every event anew (after changing
``OCCURRENCE_INDEX_PAST_DAYS``/``…_FUTURE_DAYS``, or to repair).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from ...occurrence_index import extend


class Command(BaseCommand):
    help = (
        "Extend the stored occurrence index of events to the configured horizon, build events "
        "not indexed yet and drop the past. Run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="Write the occurrences of every event anew."
        )

    def handle(self, *args, rebuild: bool = False, **options):

        result = extend(rebuild_all=rebuild)
        self.stdout.write(
            f"Occurrence index {result.start:%Y-%m-%d} to {result.end:%Y-%m-%d}: "
            f"{result.built} events built, {result.extended} extended, {result.removed} removed, "
            f"{result.rows} occurrences written."
        )
