"""Delete consultation form submissions older than each site's retention (``retention_days``),
and what every other installed capability app purges (its ``"purge"`` provider: registrations).

Run it daily (cron, a systemd timer, a scheduled task of the platform). It prints counts only,
never what a submission contains.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Page, Site, get_page_models

from .... import capabilities
from ....models import KokreativeSettings
from ....queries import site_root_url_paths
from ...abstract import ConsultationFormPageMixin


def consultation_page_types():

    models = [m for m in get_page_models() if issubclass(m, ConsultationFormPageMixin)]
    return list(ContentType.objects.get_for_models(*models).values()) if models else []


class Command(BaseCommand):
    help = (
        "Delete submissions of consultation forms older than the retention days of the site "
        "settings (Kokreative Kommune settings), and registrations past their retention."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only count what would be deleted; delete nothing.",
        )

    def handle(self, *args, dry_run: bool = False, **options):

        now = timezone.now()
        pages = Page.objects.filter(content_type__in=consultation_page_types())
        # The deepest site root wins for a page (sites may nest); pages in no site follow the
        # default site. A site's pages in other languages sit below its root's translations;
        # where a translation of one site's root is another site's root (a site per language),
        # the page belongs to the site whose own root it lies under.
        sites = sorted(Site.objects.select_related("root_page"), key=lambda s: -s.root_page.depth)
        default_site = next((s for s in sites if s.is_default_site), None)
        roots = {s.pk: site_root_url_paths(s) for s in sites}
        by_site: dict[int | None, list[int]] = {}
        for page_id, url_path in pages.values_list("pk", "url_path"):
            matches = [
                (root.count("/"), root == s.root_page.url_path, s)
                for s in sites
                for root in roots[s.pk]
                if url_path.startswith(root)
            ]
            site = max(matches, key=lambda m: m[:2])[2] if matches else default_site
            by_site.setdefault(site.pk if site else None, []).append(page_id)

        total = 0
        for site in [*sites, None]:
            page_ids = by_site.get(site.pk if site else None)
            if not page_ids:
                continue
            retention = (
                KokreativeSettings.for_site(site).retention_days
                if site is not None
                else KokreativeSettings._meta.get_field("retention_days").default
            )
            cutoff = now - timedelta(days=retention)
            old = FormSubmission.objects.filter(page_id__in=page_ids, submit_time__lt=cutoff)
            if dry_run:
                count = old.count()
            else:
                with transaction.atomic():
                    count, _ = old.delete()
            total += count
            name = site.site_name or site.hostname if site is not None else "-"
            verb = "Would delete" if dry_run else "Deleted"
            self.stdout.write(
                f"{verb} {count} form submission(s) older than {retention} days on site {name}."
            )
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(f"{total} form submission(s) {verb} in total.")
        self.purge_others(now, dry_run)

    def purge_others(self, now, dry_run: bool) -> None:
        """Run the ``"purge"`` provider of every installed capability app; print its counts."""
        verb = "Would delete" if dry_run else "Deleted"
        for purge in capabilities.all_providers("purge"):
            for what, count in purge(now=now, dry_run=dry_run).items():
                self.stdout.write(f"{verb} {count} {what}.")
