from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KokreativeOffersConfig(AppConfig):
    """Offers: offer pages, filterable listings, the offer-list block and the offers API."""

    name = "kokreative_wagtail.offers"
    label = "kokreative_offers"
    verbose_name = _("Kokreative Kommune: offers")
    default_auto_field = "django.db.models.BigAutoField"
