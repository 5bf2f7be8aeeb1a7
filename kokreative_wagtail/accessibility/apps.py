from django.utils.translation import gettext_lazy as _

from .. import capabilities

_TAGS = "kokreative_wagtail.accessibility.templatetags.kokreative_accessibility"


class KokreativeAccessibilityConfig(capabilities.CapabilityConfig):
    """Leichte Sprache pages, the DGS video block, the accessibility statement and its check."""

    name = "kokreative_wagtail.accessibility"
    label = "kokreative_accessibility"
    verbose_name = _("Kokreative Kommune: accessibility")
    default_auto_field = "django.db.models.BigAutoField"
    # The sign-language video is a consent-gated embed: it builds on the consent app's block.
    needs_apps = (("kokreative_wagtail.consent", "kokreative_wagtail.consent"),)
    # For the core's tags, so a base template needs no {% load %} of ours (nothing without us).
    providers = {
        "easy_language_link": f"{_TAGS}:render_easy_language_link",
        "easy_language_start": f"{_TAGS}:render_easy_language_start",
        "accessibility_statement_link": f"{_TAGS}:render_statement_link",
    }

    def ready(self) -> None:
        super().ready()
        from . import signals  # noqa: F401  (forgets the cached links when pages change)
