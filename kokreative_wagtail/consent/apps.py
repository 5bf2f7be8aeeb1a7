from django.utils.translation import gettext_lazy as _

from .. import capabilities

_TAGS = "kokreative_wagtail.consent.templatetags.kokreative_consent"


class KokreativeConsentConfig(capabilities.CapabilityConfig):
    """Consent: django-cookie-consent with our banner, gated embeds, pseudonymous record, API."""

    name = "kokreative_wagtail.consent"
    label = "kokreative_consent"
    verbose_name = _("Kokreative Kommune: consent")
    default_auto_field = "django.db.models.BigAutoField"
    needs_apps = (("cookie_consent", "cookie_consent"),)
    endpoint_urls = "kokreative_wagtail.consent.urls"
    public_read_operations = frozenset({"list_cookie_groups"})
    providers = {
        "consent_banner": f"{_TAGS}:render_banner",
        "consent_settings_link": f"{_TAGS}:render_settings_link",
    }

    def ready(self) -> None:
        super().ready()
        from . import signals  # noqa: F401  (clears the cached groups when editors change them)
