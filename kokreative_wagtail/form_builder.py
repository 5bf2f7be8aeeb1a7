"""Wagtail's form builder with every text bounded and checked (see ``hygiene.py``); the forms
of the capability apps (consultations, registrations) build on it.

Importing ``wagtail.contrib.forms.forms`` loads no model, so the core may import it without
``wagtail.contrib.forms`` installed.
"""

from __future__ import annotations

from typing import Any

import django.forms
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.forms import FormBuilder

from .hygiene import TextHygieneValidator

# Every string has a maximum length (a long message is fine, a megabyte is not).
MAX_SINGLE_LINE = 255
MAX_MULTI_LINE = 5000
MAX_EMAIL = 254
MAX_URL = 2000
MAX_TOKEN = 500

# No NUL, lone surrogate or control character in any text (see hygiene.py); tab and line breaks
# in multi-line text only.
SINGLE_LINE_TEXT = TextHygieneValidator()
MULTI_LINE_TEXT = TextHygieneValidator(multiline=True)


def _with_validator(options: dict[str, Any], validator: TextHygieneValidator) -> dict[str, Any]:
    options["validators"] = [*options.get("validators", ()), validator]
    return options


class BoundedFormBuilder(FormBuilder):
    """Wagtail's form builder with a length limit and the text hygiene check on every text."""

    def create_singleline_field(self, field, options):
        options["max_length"] = MAX_SINGLE_LINE
        return django.forms.CharField(**_with_validator(options, SINGLE_LINE_TEXT))

    def create_multiline_field(self, field, options):
        options["max_length"] = MAX_MULTI_LINE
        options.setdefault("widget", django.forms.Textarea(attrs={"rows": 6}))
        return django.forms.CharField(**_with_validator(options, MULTI_LINE_TEXT))

    def create_email_field(self, field, options):
        options["max_length"] = MAX_EMAIL
        options.setdefault("widget", django.forms.EmailInput(attrs={"autocomplete": "email"}))
        return django.forms.EmailField(**_with_validator(options, SINGLE_LINE_TEXT))

    def create_url_field(self, field, options):
        options["max_length"] = MAX_URL
        options.setdefault("assume_scheme", "https")
        return django.forms.URLField(**_with_validator(options, SINGLE_LINE_TEXT))

    def create_hidden_field(self, field, options):
        options["max_length"] = MAX_SINGLE_LINE
        options.setdefault("widget", django.forms.HiddenInput)
        return django.forms.CharField(**_with_validator(options, SINGLE_LINE_TEXT))

    def create_number_field(self, field, options):
        options.setdefault("max_digits", 20)
        options.setdefault("decimal_places", 6)
        return django.forms.DecimalField(**options)

    def create_dropdown_field(self, field, options):
        # An empty first choice: nothing is chosen for the visitor (a required field must be
        # chosen, an optional one may stay empty).
        options["choices"] = [("", _("Please choose")), *self.get_formatted_field_choices(field)]
        return django.forms.ChoiceField(**options)
