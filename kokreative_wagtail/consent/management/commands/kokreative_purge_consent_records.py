from datetime import timedelta

from cookie_consent.models import LogItem
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from ....conf import get_setting
from ...models import ConsentRecord


class Command(BaseCommand):
    help = (
        "Delete consent records older than KOKREATIVE['CONSENT_RECORD_RETENTION_DAYS'] "
        "(and django-cookie-consent's log items of the same age)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted."
        )

    def handle(self, *args, dry_run: bool = False, **options):

        days = get_setting("CONSENT_RECORD_RETENTION_DAYS")
        cutoff = timezone.now() - timedelta(days=days)
        records = ConsentRecord.objects.filter(created__lt=cutoff)
        log_items = LogItem.objects.filter(created__lt=cutoff)
        counts = {"records": records.count(), "log_items": log_items.count(), "days": days}
        if dry_run:
            message = _(
                "Would delete %(records)d consent records and %(log_items)d log items older "
                "than %(days)d days."
            )
        else:
            records.delete()
            log_items.delete()
            message = _(
                "Deleted %(records)d consent records and %(log_items)d log items older than "
                "%(days)d days."
            )
        self.stdout.write(message % counts)
