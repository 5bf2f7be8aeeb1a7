"""Concrete models of offers: the audience snippet and the two page types."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from ..localization import synchronized, translatable
from ..slugs import AbstractNamedSnippet
from .abstract import AbstractOfferIndexPage, AbstractOfferPage


class Audience(AbstractNamedSnippet):
    """Who an offer is for (administration, politics, civil society, …); sites add their own."""

    slug_clash_message = _("Another audience in this language has this slug.")

    sort_order = models.IntegerField(_("sort order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]

    # wagtail-localize: name and slug per language, the order shared.
    override_translatable_fields = [*translatable("name", "slug"), *synchronized("sort_order")]

    class Meta(AbstractNamedSnippet.Meta):
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")


class OfferIndexPage(AbstractOfferIndexPage):
    """“All offers”: a filterable listing of the offer pages below it."""

    subpage_types = ["kokreative_offers.OfferPage"]

    class Meta:
        verbose_name = _("offer index page")
        verbose_name_plural = _("offer index pages")


class OfferPage(AbstractOfferPage):
    """One offer of the programme."""

    parent_page_types = ["kokreative_offers.OfferIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("offer page")
        verbose_name_plural = _("offer pages")
