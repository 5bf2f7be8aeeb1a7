from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KokreativeConsultationsConfig(AppConfig):
    """Consultation forms: form pages on wagtail.contrib.forms, spam guard, notifications, API."""

    name = "kokreative_wagtail.consultations"
    label = "kokreative_consultations"
    verbose_name = _("Kokreative Kommune: consultations")
    default_auto_field = "django.db.models.BigAutoField"
