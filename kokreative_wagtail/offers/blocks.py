"""The offer-list block: offers picked by hand, or the latest N of a kind and/or element."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from .choices import OfferKind


class OfferListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=255)
    mode = blocks.ChoiceBlock(
        label=_("Which offers"),
        choices=[("latest", _("The latest offers, filtered")), ("manual", _("Chosen by hand"))],
        default="latest",
    )
    offers = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="kokreative_offers.OfferPage"),
        label=_("Offers chosen by hand"),
        required=False,
        default=[],
    )
    kind = blocks.ChoiceBlock(label=_("Kind"), choices=OfferKind.choices, required=False)
    element = SnippetChooserBlock("kokreative_wagtail.Element", label=_("Element"), required=False)
    count = blocks.IntegerBlock(label=_("Number of offers"), default=3, min_value=1, max_value=24)

    def clean(self, value):
        value = super().clean(value)
        if value.get("mode") == "manual" and not [p for p in value.get("offers") or [] if p]:
            raise blocks.StructBlockValidationError(
                block_errors={"offers": ValidationError(_("Choose at least one offer."))}
            )
        return value

    def get_offers(self, value, page=None, request=None) -> list:
        """The offers to show: live, public, of the page's (or request's) site and language."""
        from wagtail.models import Site

        from ..api_utils import active_language_code
        from .queries import in_site_q, live_offers, with_teaser_data

        queryset = live_offers()
        count = value.get("count") or 3
        if value.get("mode") == "manual":
            ids = [p.pk for p in value.get("offers") or [] if p is not None]
            found = {o.pk: o for o in with_teaser_data(queryset.filter(pk__in=ids))}
            return [found[pk] for pk in ids if pk in found][:count]
        if value.get("kind"):
            queryset = queryset.filter(kind=value["kind"])
        if value.get("element") is not None:
            queryset = queryset.filter(elements=value["element"])
        if page is not None and getattr(page, "locale_id", None):
            queryset = queryset.filter(locale_id=page.locale_id)
            site = page.get_site()
        else:
            queryset = queryset.filter(locale__language_code__iexact=active_language_code())
            site = Site.find_for_request(request) if request is not None else None
        if site is not None:
            queryset = queryset.filter(in_site_q(site))
        newest = F("first_published_at").desc(nulls_last=True)
        return list(with_teaser_data(queryset).order_by(newest, "path")[:count])

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent = parent_context or {}
        # the request's site scopes the offers where the block is rendered without a page
        context["offers"] = self.get_offers(value, parent.get("page"), parent.get("request"))
        return context

    def get_api_representation(self, value, context=None):
        from .serializers import list_translations, offer_representation

        request = (context or {}).get("request")
        offers = self.get_offers(value, request=request)
        translations = list_translations(offers)
        return {
            "heading": value.get("heading") or "",
            "offers": [offer_representation(o, request, translations) for o in offers],
        }

    class Meta:
        icon = "list-ul"
        label = _("Offer list")
        template = "kokreative_wagtail/offers/blocks/offer_list.html"
