"""List event pages whose dates cannot be served: broken rules stored past validation, and
changes to single dates that name no date of their series (they change nothing).

Such a page is left out of every listing, feed and API (with a warning in the log each time);
this command finds them all at once, with the same checks the editor's form applies. With
``--check`` it exits with status 1 when it finds any, for monitoring (like ``makemigrations
--check``).
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils.translation import override

from ...models import EventPage


class Command(BaseCommand):
    help = (
        "List event pages whose repetition rule or dates cannot be expanded (left out of "
        "listings, feeds and the API), with what is wrong and where to edit them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Exit with status 1 when any such event page is found.",
        )

    def handle(self, *args, check: bool = False, **options):

        found = 0
        pages = (
            EventPage.objects.defer("body")
            .prefetch_related("overrides")
            .order_by("path")
            .iterator(chunk_size=200)
        )
        with override("en"):
            for page in pages:
                problems = page.validate_schedule(overrides=True)
                if not problems:
                    continue
                found += 1
                state = "live" if page.live else "draft"
                edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
                self.stdout.write(f"Event page {page.pk} ({state}) {page.title!r} {edit}")
                for problem in problems:
                    self.stdout.write(f"  - {problem.field}: {problem}")
        if found:
            self.stdout.write(f"{found} event page(s) with dates that cannot be served.")
        else:
            self.stdout.write("Every event page's dates can be served.")
        if check and found:
            sys.exit(1)
