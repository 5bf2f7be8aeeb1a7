from django.utils.translation import gettext_lazy as _

from .. import capabilities


class KokreativeConsultationsConfig(capabilities.CapabilityConfig):
    """Consultation forms: form pages on wagtail.contrib.forms, spam guard, notifications, API."""

    name = "kokreative_wagtail.consultations"
    label = "kokreative_consultations"
    verbose_name = _("Kokreative Kommune: consultations")
    default_auto_field = "django.db.models.BigAutoField"
    needs_apps = (("wagtail.contrib.forms", "wagtail.contrib.forms"),)
