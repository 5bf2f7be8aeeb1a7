from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KokreativeConsentConfig(AppConfig):
    """Consent: django-cookie-consent with our banner, gated embeds, pseudonymous record, API."""

    name = "kokreative_wagtail.consent"
    label = "kokreative_consent"
    verbose_name = _("Kokreative Kommune: consent")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (clears the cached groups when editors change them)
