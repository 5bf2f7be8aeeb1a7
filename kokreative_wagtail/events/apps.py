from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KokreativeEventsConfig(AppConfig):
    """Events and series: recurring events in their own time zone, overrides, feeds, API."""

    name = "kokreative_wagtail.events"
    label = "kokreative_events"
    verbose_name = _("Kokreative Kommune: events")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import index_triggers

        index_triggers.connect()
