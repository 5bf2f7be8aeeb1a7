"""What the events app asks of offers by name (``CapabilityConfig.providers["offer_facets"]``):
the kinds and audiences events can be filtered by through the offer they deliver (the
calendar feed's ``audience`` and ``kind``). The events app knows no offer model."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Exists, OuterRef, QuerySet

from .choices import OfferKind
from .queries import OFFER_PAGE_MODEL


class OfferFacets:
    """The offer properties an event filter may ask about."""

    def kinds(self) -> list[str]:
        """The values of ``kind``."""
        return list(OfferKind.values)

    def audiences(self) -> QuerySet:
        """All audiences (every language; each with ``slug``, ``locale`` and
        ``translation_key``), unevaluated: the caller narrows and counts inside its query."""
        # the registry's model: the abstract pages use this package's modules
        return apps.get_model("kokreative_offers", "Audience").objects.all()

    def offers(self, *, audience_keys: QuerySet | None = None, kinds: list[str] = ()) -> QuerySet:
        """Offer pages (every language, unevaluated) with any of ``kinds`` (all without) and
        any audience whose translation key is in ``audience_keys`` (all with ``None``)."""
        model = apps.get_model(OFFER_PAGE_MODEL)
        offers = model.objects.all()
        if kinds:
            offers = offers.filter(kind__in=list(kinds))
        if audience_keys is not None:
            field = model._meta.get_field("audiences")
            through = field.remote_field.through
            related = through.objects.filter(
                **{
                    field.m2m_field_name(): OuterRef("pk"),
                    f"{field.m2m_reverse_field_name()}__translation_key__in": audience_keys,
                }
            )
            offers = offers.filter(Exists(related))
        return offers


#: The provider (``providers = {"offer_facets": "kokreative_wagtail.offers.facets:OFFER_FACETS"}``).
OFFER_FACETS = OfferFacets()
