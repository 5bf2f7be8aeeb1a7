"""The example site's own home page: our pages sit below a page the site already has."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


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
