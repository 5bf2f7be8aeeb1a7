"""The field set a new consultation form page starts with; editors change it as they like."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from wagtail.models import Locale

from ..models import Element


@dataclass(frozen=True)
class DefaultField:
    label: str
    field_type: str
    required: bool = True
    help_text: str = ""
    choices: str = ""
    default_value: str = ""


def element_choices(locale=None) -> list[str]:
    """Names of the elements in ``locale`` (default: the active one), for the topic field."""

    if locale is None:
        try:
            locale = Locale.get_active()
        except Locale.DoesNotExist:
            return []
    return list(Element.objects.filter(locale=locale).values_list("name", flat=True))


def default_fields(locale=None) -> list[DefaultField]:
    """Name, municipality or organisation, role, e-mail, phone, topic, message, preferred time.

    Labels are in the active language (they are content: the editor sees and edits them); the
    topic offers the elements of the programme and "something else". Choices are separated by
    CRLF, as a browser posts them (Wagtail 7.0 splits multi-line choices on CRLF only).
    """
    topics = [*element_choices(locale), _("Something else")]
    return [
        DefaultField(_("Name"), "singleline"),
        DefaultField(_("Municipality or organisation"), "singleline"),
        DefaultField(
            _("Role"),
            "singleline",
            required=False,
            help_text=_("For example administration, politics or civil society."),
        ),
        DefaultField(_("E-mail"), "email"),
        DefaultField(_("Phone"), "singleline", required=False),
        DefaultField(_("Topic"), "dropdown", required=False, choices="\r\n".join(topics)),
        DefaultField(_("Your message"), "multiline"),
        DefaultField(
            _("Preferred time for the conversation"),
            "singleline",
            required=False,
            help_text=_("For example “Tuesday mornings” or a date."),
        ),
    ]
