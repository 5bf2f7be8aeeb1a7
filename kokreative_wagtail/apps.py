from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KokreativeWagtailConfig(AppConfig):
    """Core app: element taxonomy, programme and element pages, shared blocks, settings, API."""

    name = "kokreative_wagtail"
    label = "kokreative_wagtail"
    verbose_name = _("Kokreative Kommune")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
