"""Mixins and abstract pages of the core app.

Copy of the ``wagtail.contrib.forms`` layering: a mixin (abstract model, no ``Page`` base) holds
fields, panels, ``api_fields`` and overridable ``get_*()`` methods; ``Abstract*Page`` adds ``Page``;
the concrete pages in ``models.py`` stay thin. A site with its own base page builds
``class MyProgrammePage(ProgrammePageMixin, MyBasePage)``.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models
from django.utils.functional import classproperty
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, PageChooserPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from .blocks.stream import PageStreamFieldSerializer
from .capabilities import all_providers
from .fields import KokreativeStreamField
from .hook_names import ELEMENT_PAGE_CONTEXT
from .localization import i18n_enabled, localize_relations, synchronized
from .page_slugs import fill_ascii_slug, with_ascii_slug_input
from .preview import serve_headless_preview
from .serializers import (
    ElementDetailField,
    ElementOffersField,
    ElementTeasersField,
    ImageField,
    SiblingElementPagesField,
)
from .serializers import RichTextField as RichTextAPIField
from .site_base import frame_context


def intro_field(help_text: str | None = None) -> RichTextField:
    """The introduction every page type of ours has: short rich text at the top of the page.

    A factory, not a mixin: each page keeps the field where it stands among its own fields.
    """
    return RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=help_text or _("Short text at the top of the page."),
    )


def consent_text_field() -> models.CharField:
    """The editor's label of the privacy checkbox of a visitor's form (consultations,
    registrations); empty: the form's standard text. One definition, one migration state."""
    return models.CharField(
        _("privacy consent text"),
        max_length=500,
        blank=True,
        help_text=_(
            "Label of the required privacy checkbox; a link to the privacy policy page of the "
            "site settings follows it. Leave empty for a standard text."
        ),
    )


def easy_language_summary_field() -> models.TextField:
    """A few sentences in Leichte Sprache on an offer or event page, shown in a box of their
    own. One definition, one migration state."""
    return models.TextField(
        _("summary in Leichte Sprache"),
        max_length=2000,
        blank=True,
        help_text=_(
            "A few short sentences in Leichte Sprache, one sentence per line; the page shows "
            "them in a box of their own."
        ),
    )


class KokreativePageMixin(models.Model):
    """What every Kokreative page shares: the base template lookup and template fallback."""

    #: Our default template. Wagtail names a page class's template after its own app and model
    #: (``home/my_programme_page.html``); a site's subclass renders with ours until it adds that.
    kokreative_template: str = ""

    #: Relations to translatable objects (snippets, pages) that follow the page's locale: on save,
    #: each related object is replaced by its translation in the page's locale where one exists.
    localized_relations: tuple[str, ...] = ()

    @classproperty
    def promote_panels(cls):
        """The base page's promote panels, the slug transliterating German live (page_slugs)."""
        return with_ascii_slug_input(super().promote_panels)

    def full_clean(self, *args, **kwargs):
        fill_ascii_slug(self)  # an empty slug from the title, ä → ae (docs/page-types.md#slugs)
        return super().full_clean(*args, **kwargs)

    def minimal_clean(self):
        fill_ascii_slug(self)  # drafts: Page.save() runs this instead of full_clean()
        return super().minimal_clean()

    def save(self, *args, **kwargs):
        if i18n_enabled() and kwargs.get("update_fields") is None:
            localize_relations(self, self.localized_relations)
        return super().save(*args, **kwargs)

    def get_template(self, request, *args, **kwargs):
        template = super().get_template(request, *args, **kwargs)
        if self.kokreative_template and template != self.kokreative_template:
            return [template, self.kokreative_template]
        return template

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)

        context.update(frame_context())  # the site's base template and how ours fits into it
        return context

    def serve_preview(self, request, mode_name):
        """The site's headless front end when one is configured, else our template."""

        response = serve_headless_preview(self, request, mode_name)
        if response is not None:
            return response
        return super().serve_preview(request, mode_name)

    @property
    def consultation_url(self) -> str | None:
        """URL of the page's ``consultation_page`` while it is live, else ``None``."""
        page = getattr(self, "consultation_page", None)
        if page is None or not page.live:
            return None
        return page.get_url()

    class Meta:
        abstract = True


class ProgrammePageMixin(KokreativePageMixin):
    """The landing page of the programme ("Die Kokreative Kommune")."""

    audience_question = models.CharField(
        _("audience question"),
        max_length=255,
        blank=True,
        help_text=_("A short question that addresses the audience, shown above the introduction."),
    )
    intro = intro_field(_("Short text at the top of the page, below the audience question."))
    teaser_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("teaser image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Large image at the top of the page, below the introduction."),
    )
    elements_heading = models.CharField(
        _("heading of the element list"),
        max_length=255,
        blank=True,
        help_text=_("Leave empty for “The elements of the Kokreative Kommune”."),
    )
    elements_intro = models.TextField(
        _("introduction to the elements"),
        blank=True,
        help_text=_("Plain text below the heading of the element list."),
    )
    body = KokreativeStreamField(
        blank=True,
        verbose_name=_("body"),
        help_text=_("Further content below the element list, built from content blocks."),
    )
    consultation_heading = models.CharField(
        _("call to consultation: heading"),
        max_length=255,
        blank=True,
        help_text=_(
            "The call to consultation appears at the end of the page only with a heading and a "
            "published page."
        ),
    )
    consultation_text = models.TextField(
        _("call to consultation: text"),
        blank=True,
        help_text=_("Plain text below the heading of the call to consultation (optional)."),
    )
    consultation_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("call to consultation: page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Usually the consultation form page."),
    )
    consultation_link_label = models.CharField(
        _("call to consultation: button label"),
        max_length=100,
        blank=True,
        help_text=_("Leave empty for “Arrange a consultation”."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("audience_question"),
        FieldPanel("intro"),
        FieldPanel("teaser_image"),
        MultiFieldPanel(
            [FieldPanel("elements_heading"), FieldPanel("elements_intro")],
            heading=_("Elements"),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("consultation_heading"),
                FieldPanel("consultation_text"),
                PageChooserPanel("consultation_page"),
                FieldPanel("consultation_link_label"),
            ],
            heading=_("Call to consultation"),
        ),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("audience_question"),
        index.SearchField("intro"),
        index.SearchField("elements_intro"),
        index.SearchField("body"),
    ]

    api_fields = [
        APIField("audience_question"),
        APIField("intro", serializer=RichTextAPIField()),
        APIField("teaser_image", serializer=ImageField("fill-1200x630")),
        APIField("elements_heading"),
        APIField("elements_intro"),
        APIField("element_pages", serializer=ElementTeasersField()),
        APIField("body", serializer=PageStreamFieldSerializer()),
        APIField("consultation_heading"),
        APIField("consultation_text"),
        APIField("consultation_url"),
        APIField("consultation_link_label"),
    ]

    kokreative_template = "kokreative_wagtail/programme_page.html"

    localized_relations = ("consultation_page",)
    # wagtail-localize: texts, rich text and the body are translated (its defaults)
    override_translatable_fields = synchronized("teaser_image", "consultation_page")

    def get_element_page_model(self):
        """The page type listed as element teasers; override for a subclassed element page."""
        # from the app registry: models.py imports this module
        return apps.get_model("kokreative_wagtail", "ElementPage")

    def get_element_pages(self):
        """Live, public element pages below this page, in tree order, elements prefetched."""
        model = self.get_element_page_model()
        return (
            model.objects.child_of(self)
            .live()
            .public()
            .select_related("element", "element__locale")
            .order_by("path")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["element_pages"] = self.get_element_pages()
        return context

    class Meta:
        abstract = True


class AbstractProgrammePage(ProgrammePageMixin, Page):
    class Meta:
        abstract = True


class ElementPageMixin(KokreativePageMixin):
    """A page about one element of the Kokreative Kommune."""

    element = models.ForeignKey(
        "kokreative_wagtail.Element",
        verbose_name=_("element"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The element this page presents: its summary is shown at the top, the offers tagged "
            "with it below."
        ),
    )
    intro = intro_field()
    body = KokreativeStreamField(
        blank=True,
        verbose_name=_("body"),
        help_text=_("The main content of the page, built from content blocks."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("element"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    api_fields = [
        # the element with its description, its offers and the other element pages: what the
        # HTML page shows, without further requests
        APIField("element", serializer=ElementDetailField()),
        APIField("intro", serializer=RichTextAPIField()),
        APIField("body", serializer=PageStreamFieldSerializer()),
        APIField("offers", serializer=ElementOffersField()),
        APIField("sibling_elements", serializer=SiblingElementPagesField()),
    ]

    kokreative_template = "kokreative_wagtail/element_page.html"

    localized_relations = ("element",)
    # The element is a translatable snippet: wagtail-localize links the translation to the
    # element's translation (its default for snippets); texts and the body are translated.

    def get_sibling_element_pages(self):
        """The other element pages of the same programme, for in-page navigation."""
        return (
            type(self)
            .objects.sibling_of(self, inclusive=False)
            .live()
            .public()
            .select_related("element", "element__locale")
            .order_by("path")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sibling_element_pages"] = self.get_sibling_element_pages()
        # Capability apps (offers, events) add their teasers for this element through this hook.
        for fn in hooks.get_hooks(ELEMENT_PAGE_CONTEXT):
            fn(self, request, context)
        # Sections the capability apps render themselves (safe HTML; the events app's calendar
        # subscription), in app order, below the offers.
        sections = (fn(self, request) for fn in all_providers("element_page_sections"))
        context["element_page_sections"] = [section for section in sections if section]
        return context

    class Meta:
        abstract = True


class AbstractElementPage(ElementPageMixin, Page):
    class Meta:
        abstract = True
