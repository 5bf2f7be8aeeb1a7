"""The visitor's registration form, the same for the HTML page and the JSON API.

Built per page: the date (one of the dates taking registrations; none for a series), name,
e-mail address, the organisation if the editor asks for it, the editor's extra fields (Wagtail's
form builder, every text bounded), the privacy consent and the spam guard's two fields.
"""

from __future__ import annotations

from typing import Any

import django.forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..form_builder import (
    MAX_EMAIL,
    MAX_SINGLE_LINE,
    MAX_TOKEN,
    SINGLE_LINE_TEXT,
    BoundedFormBuilder,
)
from ..privacy import consent_label, privacy_url, site_settings_of
from ..spam import HONEYPOT_FIELD, TOKEN_FIELD
from .choices import Mode

DATE_FIELD = "date"
NAME_FIELD = "name"
EMAIL_FIELD = "email"
ORGANISATION_FIELD = "organisation"
CONSENT_FIELD = "privacy_consent"
#: Names of the fields every registration form has (an extra field never takes one of them).
RESERVED = frozenset(
    {
        DATE_FIELD,
        NAME_FIELD,
        EMAIL_FIELD,
        ORGANISATION_FIELD,
        CONSENT_FIELD,
        HONEYPOT_FIELD,
        TOKEN_FIELD,
    }
)
#: Fields not stored with a registration's extra data.
NOT_EXTRA = RESERVED


def extra_field_name(field) -> str:
    """The key of an extra field: its clean name, prefixed when it would take a reserved one."""
    name = field.clean_name or field.get_field_clean_name()
    return f"field_{name}" if name in RESERVED else name


def consent_text(options) -> str:
    return options.consent_text or gettext(
        "I agree that my details are stored and processed for my registration."
    )


def date_choices(states) -> list[tuple[str, str]]:
    """``(scope, label)`` of the dates that take registrations now."""
    return [(state.scope, state.scope) for state in states if state.accepts]


class RegistrationForm(django.forms.Form):
    """A page's registration form; ``extra_fields`` names the editor's fields in order."""

    extra_fields: tuple[str, ...] = ()

    def extra_data(self) -> dict[str, Any]:
        """Values of the editor's fields, as a registration stores them (JSON-safe)."""
        data = {}
        for name in self.extra_fields:
            value = self.cleaned_data.get(name)
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            elif value is not None and not isinstance(value, (str, bool, int, float, list)):
                value = str(value)
            data[name] = value
        return data

    def person(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data[NAME_FIELD],
            "email": data[EMAIL_FIELD],
            "organisation": data.get(ORGANISATION_FIELD) or "",
            "data": self.extra_data(),
        }

    @property
    def visible_extra_fields(self) -> list:
        return [self[name] for name in self.extra_fields]


def registration_form_class(page, options, states, request=None) -> type[RegistrationForm]:
    """The form class of ``page``: ``states`` are its dates (``dates.date_states``)."""
    fields: dict[str, django.forms.Field] = {}
    if options.mode == Mode.DATE:
        fields[DATE_FIELD] = django.forms.ChoiceField(
            label=_("Date"),
            choices=date_choices(states),
            widget=django.forms.RadioSelect,
            error_messages={
                "required": _("Choose a date."),
                "invalid_choice": _("Choose one of the dates that take registrations."),
            },
        )
    fields[NAME_FIELD] = django.forms.CharField(
        label=_("Name"),
        max_length=MAX_SINGLE_LINE,
        validators=[SINGLE_LINE_TEXT],
        widget=django.forms.TextInput(attrs={"autocomplete": "name"}),
    )
    fields[EMAIL_FIELD] = django.forms.EmailField(
        label=_("E-mail address"),
        max_length=MAX_EMAIL,
        validators=[SINGLE_LINE_TEXT],
        widget=django.forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("The confirmation and a link to cancel go to this address."),
    )
    if options.ask_organisation:
        fields[ORGANISATION_FIELD] = django.forms.CharField(
            label=_("Organisation"),
            required=False,
            max_length=MAX_SINGLE_LINE,
            validators=[SINGLE_LINE_TEXT],
            widget=django.forms.TextInput(attrs={"autocomplete": "organization"}),
        )
    builder = BoundedFormBuilder(list(page.registration_fields.all()))
    extra = []
    for field in builder.fields:
        name = extra_field_name(field)
        create = builder.get_create_field_function(field.field_type)
        fields[name] = create(field, builder.get_field_options(field))
        extra.append(name)
    url = privacy_url(site_settings_of(page, request), request)
    fields[CONSENT_FIELD] = django.forms.BooleanField(
        required=True,
        label=consent_label(consent_text(options), url),
        error_messages={
            "required": _(
                "Please agree to the processing of your details; without it we cannot take "
                "your registration."
            )
        },
    )
    fields[HONEYPOT_FIELD] = django.forms.CharField(
        required=False,
        max_length=MAX_SINGLE_LINE,
        label=_("Leave this field empty"),
        widget=django.forms.TextInput(
            attrs={"tabindex": "-1", "autocomplete": "off", "aria-hidden": "true"}
        ),
    )
    fields[TOKEN_FIELD] = django.forms.CharField(
        required=False, max_length=MAX_TOKEN, widget=django.forms.HiddenInput
    )
    return type("RegistrationForm", (RegistrationForm,), {**fields, "extra_fields": tuple(extra)})
