from django.utils.translation import gettext_lazy as _

from .. import capabilities


class KokreativeRegistrationsConfig(capabilities.CapabilityConfig):
    """Registration for the dates of event pages: seats, waiting list, double opt-in, API.

    Builds on the events app (its pages and dates) and on Wagtail's form builder (extra fields).
    """

    name = "kokreative_wagtail.registrations"
    label = "kokreative_registrations"
    verbose_name = _("Kokreative Kommune: registrations")
    default_auto_field = "django.db.models.BigAutoField"
    needs_apps = (
        ("kokreative_wagtail.events", "kokreative_wagtail.events"),
        ("wagtail.contrib.forms", "wagtail.contrib.forms"),
    )
    endpoint_urls = "kokreative_wagtail.registrations.endpoint_urls"
    providers = {
        "event_page_panels": "kokreative_wagtail.registrations.panels:event_page_panels",
        "event_page_context": "kokreative_wagtail.registrations.page:event_page_context",
        "event_page_post": "kokreative_wagtail.registrations.page:event_page_post",
        "purge": "kokreative_wagtail.registrations.purge:purge",
    }

    def ready(self) -> None:
        super().ready()
        # Django's rule: receivers that import models connect once the registry is ready
        from . import changes, purge

        changes.connect()
        purge.connect()
