"""The example site's own page types: its home page, and an element page with one field more."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Page

from kokreative_wagtail.models import ElementPage


class HomePage(Page):
    intro = RichTextField(
        _("introduction"),
        blank=True,
        help_text=_("A few sentences under the title of the site's start page."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")


class Progress(models.TextChoices):
    PLANNED = "planned", _("planned")
    UNDER_WAY = "under_way", _("under way")
    ESTABLISHED = "established", _("established")


class ProgressElementPage(ElementPage):
    """An element page that also says how far the municipality has got with its element.

    A subclass of the concrete ``ElementPage`` (multi-table): the programme page's teasers, the
    API's ``element_pages`` and the package's element pages list it with their own.
    """

    progress = models.CharField(
        _("progress"),
        max_length=20,
        choices=Progress.choices,
        blank=True,
        help_text=_("How far the municipality has got with this element; shown under the page."),
    )

    content_panels = [*ElementPage.content_panels, FieldPanel("progress")]
    api_fields = [*ElementPage.api_fields, APIField("progress")]

    parent_page_types = ["kokreative_wagtail.ProgrammePage"]
    subpage_types = []

    def get_sibling_element_pages(self):
        """All element pages of the programme: the default lists those of this type only."""
        pages = ElementPage.objects.sibling_of(self, inclusive=False).live().public()
        return pages.select_related("element", "element__locale").order_by("path")

    class Meta:
        verbose_name = _("element page with progress")
        verbose_name_plural = _("element pages with progress")
