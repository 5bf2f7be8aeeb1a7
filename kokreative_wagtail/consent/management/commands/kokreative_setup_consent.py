from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ...setup import setup_default_groups
from ...state import clear_groups_cache


class Command(BaseCommand):
    help = "Create the default cookie groups that are missing (existing groups stay as they are)."

    def handle(self, *args, **options):
        created = setup_default_groups()
        clear_groups_cache()
        if created:
            self.stdout.write(_("Created cookie groups: %(names)s") % {"names": ", ".join(created)})
        else:
            self.stdout.write(_("All default cookie groups exist already."))
