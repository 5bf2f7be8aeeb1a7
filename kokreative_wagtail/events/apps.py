from django.utils.translation import gettext_lazy as _

from .. import capabilities
from .recurrence_app import RECURRENCE_CONFIG


class KokreativeEventsConfig(capabilities.CapabilityConfig):
    """Events and series: recurring events in their own time zone, overrides, feeds, API."""

    name = "kokreative_wagtail.events"
    label = "kokreative_events"
    verbose_name = _("Kokreative Kommune: events")
    default_auto_field = "django.db.models.BigAutoField"
    # through our config, so django-recurrence's models keep the keys of its migrations
    needs_apps = (("recurrence", RECURRENCE_CONFIG),)
    page_urls = "kokreative_wagtail.events.page_urls"
    public_read_operations = frozenset({"list_occurrences"})
    providers = {
        "element_page_sections": "kokreative_wagtail.events.subscriptions:element_page_sections",
        "structured_data": "kokreative_wagtail.events.structured_data:structured_data",
        "offer_course_instances": "kokreative_wagtail.events.structured_data:course_instances",
    }

    def ready(self) -> None:
        super().ready()
        # Django's rule: signal receivers that touch models connect once the registry is ready
        from . import index_triggers

        index_triggers.connect()
