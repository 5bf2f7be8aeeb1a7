"""Mixins and abstract pages of offers; no concrete model here, so sites can import it freely."""

from __future__ import annotations

from django.apps import apps
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.forms import CheckboxSelectMultiple
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel
from wagtail.api import APIField
from wagtail.models import Page
from wagtail.search import index

from ..abstract import KokreativePageMixin, easy_language_summary_field, intro_field
from ..admin_forms import KokreativePageForm
from ..blocks.stream import PageStreamFieldSerializer
from ..fields import KokreativeStreamField
from ..hook_names import OFFER_PAGE_CONTEXT
from ..localization import synchronized, translatable
from ..serializers import ImageField
from ..serializers import RichTextField as RichTextAPIField
from .choices import OfferFormat, OfferKind
from .filters import OfferFilterSet
from .queries import OFFER_PAGE_MODEL, with_teaser_data
from .serializers import AudiencesField, ChoiceLabelField, ElementsField


class OfferPageMixin(KokreativePageMixin):
    """One offer: a training, an in-house format or a community of practice."""

    #: Element and audience checkboxes list the page's language only.
    base_form_class = KokreativePageForm

    kind = models.CharField(
        _("kind"),
        max_length=32,
        choices=OfferKind.choices,
        default=OfferKind.TRAINING,
        help_text=_("Shown above the title; visitors can filter the offer listing by it."),
    )
    teaser = models.TextField(
        _("teaser"),
        max_length=500,
        blank=True,
        help_text=_("Two or three sentences for listings and search results."),
    )
    teaser_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("teaser image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown at the top of the offer page and with its teaser in listings."),
    )
    audiences = ParentalManyToManyField(
        "kokreative_offers.Audience",
        verbose_name=_("audiences"),
        blank=True,
        related_name="+",
        help_text=_("Who the offer is for; visitors can filter the offer listing by it."),
    )
    format = models.CharField(
        _("format"),
        max_length=16,
        choices=OfferFormat.choices,
        default=OfferFormat.ON_SITE,
        help_text=_(
            "Whether the offer takes place on site, online or both; visitors can filter by it."
        ),
    )
    elements = ParentalManyToManyField(
        "kokreative_wagtail.Element",
        verbose_name=_("elements"),
        blank=True,
        related_name="+",
        help_text=_(
            "The offer is listed on the pages of these elements; the offer listing can be "
            "filtered by them."
        ),
    )
    duration = models.CharField(
        _("duration"), max_length=100, blank=True, help_text=_("For example “two days”.")
    )
    group_size = models.CharField(
        _("group size"), max_length=100, blank=True, help_text=_("For example “8 to 20 people”.")
    )
    cost = models.CharField(
        _("cost"), max_length=255, blank=True, help_text=_("For example “on request”.")
    )
    body = KokreativeStreamField(
        blank=True,
        verbose_name=_("body"),
        help_text=_("The main content of the page, built from content blocks."),
    )
    contact_name = models.CharField(
        _("contact person"),
        max_length=255,
        blank=True,
        help_text=_(
            "The contact box appears only with a name; role, e-mail and phone complete it."
        ),
    )
    contact_role = models.CharField(
        _("role of the contact person"),
        max_length=255,
        blank=True,
        help_text=_("For example “project lead”."),
    )
    contact_email = models.EmailField(
        _("contact e-mail"), blank=True, help_text=_("Shown on the page as an e-mail link.")
    )
    contact_phone = models.CharField(
        _("contact phone"),
        max_length=50,
        blank=True,
        help_text=_("Shown on the page as a link for calling, for example “+49 30 1234567”."),
    )
    consultation_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("consultation page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Usually the consultation form page."),
    )
    consultation_link_label = models.CharField(
        _("consultation button label"),
        max_length=100,
        blank=True,
        help_text=_("Leave empty for “Arrange a consultation”."),
    )
    easy_language_summary = easy_language_summary_field()

    content_panels = [
        *Page.content_panels,
        FieldPanel("teaser"),
        FieldPanel("teaser_image"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("format")]),
                FieldPanel("audiences", widget=CheckboxSelectMultiple),
                FieldPanel("elements", widget=CheckboxSelectMultiple),
                FieldRowPanel([FieldPanel("duration"), FieldPanel("group_size")]),
                FieldPanel("cost"),
            ],
            heading=_("Facts"),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("contact_name"), FieldPanel("contact_role")]),
                FieldRowPanel([FieldPanel("contact_email"), FieldPanel("contact_phone")]),
            ],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [PageChooserPanel("consultation_page"), FieldPanel("consultation_link_label")],
            heading=_("Call to consultation"),
        ),
        MultiFieldPanel(
            [FieldPanel("easy_language_summary")],
            heading=_("Easy language"),
            classname="collapsed",
        ),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("teaser"),
        index.SearchField("body"),
        index.AutocompleteField("teaser"),
        index.FilterField("kind"),
        index.FilterField("format"),
    ]

    api_fields = [
        APIField("kind"),
        APIField("kind_label", serializer=ChoiceLabelField("kind")),
        APIField("format"),
        APIField("format_label", serializer=ChoiceLabelField("format")),
        APIField("teaser"),
        APIField("teaser_image", serializer=ImageField("TEASER_RENDITION")),
        APIField("audiences", serializer=AudiencesField()),
        APIField("elements", serializer=ElementsField()),
        APIField("duration"),
        APIField("group_size"),
        APIField("cost"),
        APIField("body", serializer=PageStreamFieldSerializer()),
        APIField("contact_name"),
        APIField("contact_role"),
        APIField("contact_email"),
        APIField("contact_phone"),
        APIField("consultation_url"),
        APIField("consultation_link_label"),
        APIField("easy_language_summary"),
    ]

    kokreative_template = "kokreative_wagtail/offers/offer_page.html"

    localized_relations = ("audiences", "elements", "consultation_page")
    # wagtail-localize: texts and the body are translated; facts, relations and contact data
    # follow the source. The price text is kept too, but a translator may override it
    # ("auf Anfrage" → "on request"); so may the contact person's name.
    override_translatable_fields = (
        synchronized(
            "kind",
            "format",
            "teaser_image",
            "audiences",
            "elements",
            "contact_email",
            "contact_phone",
            "consultation_page",
            overridable=False,
        )
        + synchronized("cost", "contact_name")
        + translatable("easy_language_summary")
    )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The events app adds the series that deliver this offer ("event_series").
        for fn in hooks.get_hooks(OFFER_PAGE_CONTEXT):
            fn(self, request, context)
        return context

    class Meta:
        abstract = True


class AbstractOfferPage(OfferPageMixin, Page):
    class Meta:
        abstract = True


class OfferIndexPageMixin(KokreativePageMixin):
    """Lists the offers below it with filters, search, sorting and pagination."""

    intro = intro_field()
    empty_text = models.TextField(
        _("text when nothing is found"),
        blank=True,
        help_text=_("Leave empty for a standard text suggesting to remove filters."),
    )
    per_page = models.PositiveSmallIntegerField(
        _("offers per page"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "How many offers one page of the listing shows (1 to 100); the rest follow on the "
            "next pages."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("empty_text"),
        FieldPanel("per_page"),
    ]

    search_fields = [*Page.search_fields, index.SearchField("intro")]

    api_fields = [
        APIField("intro", serializer=RichTextAPIField()),
        APIField("empty_text"),
        APIField("per_page"),
    ]

    kokreative_template = "kokreative_wagtail/offers/offer_index_page.html"

    override_translatable_fields = synchronized("per_page")

    #: The FilterSet class of the listing; swap it to add filters.
    filter_class = None

    def get_offer_model(self):
        """The page type listed; override for a subclassed offer page."""
        return apps.get_model(OFFER_PAGE_MODEL)

    def get_filter_class(self):
        if self.filter_class is not None:
            return self.filter_class
        return OfferFilterSet

    def get_offers(self):
        """Live, public offers below this page, with what their teasers show prefetched."""
        model = self.get_offer_model()
        return with_teaser_data(model.objects.child_of(self).live().public())

    def get_filterset(self, request):
        return self.get_filter_class()(
            request.GET or None, queryset=self.get_offers(), request=request, locale=self.locale
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filterset = self.get_filterset(request)
        paginator = Paginator(filterset.qs, self.per_page)
        page_obj = paginator.get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            {
                "filterset": filterset,
                "filter_form": filterset.form,
                "paginator": paginator,
                "page_obj": page_obj,
                "page_range": paginator.get_elided_page_range(page_obj.number),
                "offers": page_obj.object_list,
                "filter_querystring": query.urlencode(),
                "is_filtered": any(
                    value for key, values in query.lists() if key != "sort" for value in values
                ),
            }
        )
        return context

    class Meta:
        abstract = True


class AbstractOfferIndexPage(OfferIndexPageMixin, Page):
    class Meta:
        abstract = True
