"""Concrete models of the core app: the element taxonomy, the two page types, site settings."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
    validate_email,
)
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting
from wagtail.contrib.settings.registry import register_setting
from wagtail.fields import RichTextField
from wagtail.search import index

from .abstract import AbstractElementPage, AbstractProgrammePage
from .localization import synchronized, translatable
from .outbox.models import Notification  # noqa: F401 - the outbox belongs to the core app
from .slugs import AbstractNamedSnippet

colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # followed by six hex digits, e.g. #1d6f42.")
)


class Element(AbstractNamedSnippet):
    """One of the four elements (cultural change, space, process and governance structures)."""

    slug_clash_message = _("Another element in this language has this slug.")

    summary = models.TextField(
        _("summary"), max_length=500, blank=True, help_text=_("One or two sentences for teasers.")
    )
    description = RichTextField(_("description"), blank=True)
    colour = models.CharField(_("colour"), max_length=7, blank=True, validators=[colour_validator])
    icon = models.CharField(
        _("icon"),
        max_length=50,
        blank=True,
        help_text=_("Name of an icon in your front end's icon set (optional)."),
    )
    sort_order = models.IntegerField(_("sort order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("summary"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("colour"), FieldPanel("icon"), FieldPanel("sort_order")],
            heading=_("Presentation"),
        ),
    ]

    # wagtail-localize: the slug is translated with the name (URLs and API filters in the
    # language); presentation and order are shared by all languages.
    override_translatable_fields = [
        *translatable("name", "slug", "summary", "description"),
        *synchronized("colour", "icon", "sort_order"),
    ]

    search_fields = [*AbstractNamedSnippet.search_fields, index.SearchField("summary")]

    class Meta(AbstractNamedSnippet.Meta):
        verbose_name = _("element")
        verbose_name_plural = _("elements")


class ProgrammePage(AbstractProgrammePage):
    """Landing page of the programme; may sit anywhere in a site's tree."""

    class Meta:
        verbose_name = _("programme page")
        verbose_name_plural = _("programme pages")


class ElementPage(AbstractElementPage):
    """A page about one element; lives below a programme page."""

    parent_page_types = ["kokreative_wagtail.ProgrammePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("element page")
        verbose_name_plural = _("element pages")


def validate_email_list(value: str) -> None:

    for address in split_email_list(value):
        try:
            validate_email(address)
        except ValidationError as exc:
            raise ValidationError(
                _("%(address)s is not a valid e-mail address."), params={"address": address}
            ) from exc


def split_email_list(value: str) -> list[str]:
    """Addresses separated by commas, semicolons or line breaks."""
    parts = value.replace(";", ",").replace("\n", ",").split(",")
    return [part.strip() for part in parts if part.strip()]


@register_setting(icon="cog")
class KokreativeSettings(BaseSiteSetting):
    """Per-site settings editors manage: privacy page, notification addresses, retention."""

    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy policy page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notification_emails = models.TextField(
        _("notification addresses"),
        blank=True,
        validators=[validate_email_list],
        help_text=_("E-mail addresses, separated by commas or line breaks."),
    )
    retention_days = models.PositiveIntegerField(
        _("retention of form submissions (days)"),
        default=180,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("Form submissions older than this are deleted by the purge command."),
    )

    panels = [
        FieldPanel("privacy_page"),
        FieldPanel("notification_emails"),
        FieldPanel("retention_days"),
    ]

    class Meta:
        verbose_name = _("Kokreative Kommune settings")

    def get_notification_emails(self) -> list[str]:
        return split_email_list(self.notification_emails)
