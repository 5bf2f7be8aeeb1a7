from django.utils.translation import gettext_lazy as _

from .. import capabilities


class KokreativeOffersConfig(capabilities.CapabilityConfig):
    """Offers: offer pages, filterable listings, the offer-list block and the offers API."""

    name = "kokreative_wagtail.offers"
    label = "kokreative_offers"
    verbose_name = _("Kokreative Kommune: offers")
    default_auto_field = "django.db.models.BigAutoField"
    public_read_operations = frozenset({"list_offers"})
    providers = {
        "element_offers": "kokreative_wagtail.offers.providers:element_offers",
        "structured_data": "kokreative_wagtail.offers.structured_data:structured_data",
        "offer_facets": "kokreative_wagtail.offers.facets:OFFER_FACETS",
    }
