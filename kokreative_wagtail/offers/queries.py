"""Query building shared by the listing page, the block, element pages and the API.

Everything a teaser shows is fetched in a fixed number of queries, whatever the number of offers.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Prefetch, QuerySet
from wagtail.images import get_image_model

from ..conf import get_setting
from ..images import rendition_specs
from ..models import Element
from ..queries import in_site_q, public_q

#: The offer page model ``live_offers`` lists by default. Looked up in the app registry, not
#: imported: the abstract pages use this module, and the concrete models import them.
OFFER_PAGE_MODEL = "kokreative_offers.OfferPage"


def with_teaser_data(queryset: QuerySet, rendition: str | None = None) -> QuerySet:
    """Join the teaser image and prefetch audiences, elements and the teaser renditions (the
    main one and its ``srcset`` variants, see ``images.rendition_specs``)."""
    audience_model = queryset.model._meta.get_field("audiences").related_model
    specs = rendition_specs(rendition or get_setting("TEASER_RENDITION"))
    rendition_model = get_image_model().get_rendition_model()
    return queryset.select_related("teaser_image", "locale").prefetch_related(
        Prefetch("audiences", queryset=audience_model.objects.all()),
        Prefetch("elements", queryset=Element.objects.select_related("locale")),
        Prefetch(
            "teaser_image__renditions",
            queryset=rendition_model.objects.filter(filter_spec__in=specs),
        ),
    )


def live_offers(model=None) -> QuerySet:
    """Live, public offers of ``model`` (default: our ``OfferPage``)."""
    if model is None:
        model = apps.get_model(OFFER_PAGE_MODEL)
    return model.objects.live().filter(public_q())


def offers_for_element(page, request=None, limit: int = 6) -> list:
    """Offers of ``page``'s site and language tagged with its element, for element pages."""
    element = getattr(page, "element", None)
    if element is None:
        return []
    site = page.get_site()
    queryset = live_offers().filter(elements=element, locale_id=page.locale_id)
    if site is not None:
        queryset = queryset.filter(in_site_q(site))
    return list(with_teaser_data(queryset).order_by("path")[:limit])
