"""The JSON face of a consultation form: its field schema, and JSON values as form data.

A JSON submission is turned into the same ``QueryDict`` an HTML form posts and then validated by
the very same Django form, so both ways share every rule.

Choices are ``{"value", "label"}`` pairs. The label is the text of the form's own language (what
the HTML form shows and what a submission stores, as Wagtail's form submissions do). The value
is the same in every language of the form: the text of that choice in the original field, the
one the translations were made from (the lowest id among the rows sharing its translation key).
So a front end can keep one value whatever language it shows, and a submission to a translated
form is stored with the label of that translation. A submission may send the label too (clients
written before values existed keep working); a value wins where a text is both.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework.fields import Field as APIField

from .. import form_json_values
from ..conf import get_setting
from ..form_json_values import (
    accepted_choices,
    choices_representation,
    default_representation,
    field_choice_pairs,
)
from ..serializers import request_of
from ..spam import make_token
from .forms import CONSENT_FIELD, SPECIAL_FIELDS


def choice_pairs(page) -> dict[str, list[tuple[str, str]]]:
    """``{field name: [(value, label), ...]}`` of the page's choice fields (see
    ``form_json_values.field_choice_pairs``)."""
    return field_choice_pairs(page.get_form_fields(), page.form_builder([]))


def choice_values(page) -> dict[str, dict[str, str]]:
    """``{field name: {accepted text: label}}``: what a JSON submission may send for a choice
    (its value, or its label) and the label the form takes for it."""
    return accepted_choices(choice_pairs(page))


def form_fields_representation(page) -> list[dict[str, Any]]:
    """The editor's fields of ``page`` in the one form-field shape (GET forms/{id}, API v2):
    ``{name, type, label, help_text, required, choices: [{value, label}], default,
    max_length}``; a choice field's default is given as values."""
    form_class = page.get_form_class()
    pairs = choice_pairs(page)
    fields = []
    model_fields = {f.clean_name or f.get_field_clean_name(): f for f in page.get_form_fields()}
    for name, field in form_class.base_fields.items():
        if name in SPECIAL_FIELDS:
            continue
        model_field = model_fields.get(name)
        fields.append(
            {
                "name": name,
                "type": model_field.field_type if model_field is not None else "singleline",
                "label": str(field.label),
                "help_text": model_field.help_text if model_field is not None else "",
                "required": field.required,
                "choices": choices_representation(field, pairs.get(name)),
                "default": default_representation(field, pairs.get(name)),
                "max_length": getattr(field, "max_length", None),
            }
        )
    return fields


def consent_representation(page, request) -> dict[str, Any]:
    """The privacy consent every submission needs: ``{name, text, privacy_url, required}``."""
    return {
        "name": CONSENT_FIELD,
        "text": page.get_consent_text(),
        "privacy_url": page.get_privacy_url(request),
        "required": True,
    }


def _in_page_language(page):
    language = page.locale.language_code if getattr(page, "locale_id", None) else None
    return translation.override(language or translation.get_language())


class FormFieldsField(APIField):
    """API v2: a consultation form page's fields in the shape of GET forms/{id}."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, page) -> list[dict[str, Any]]:
        if page.pk is None:  # a preview of a page not yet created
            return []
        with _in_page_language(page):
            return form_fields_representation(page)


class ConsentField(APIField):
    """API v2: the consent of a consultation form page as ``consent`` of GET forms/{id}."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, page) -> dict[str, Any]:

        with _in_page_language(page):
            return consent_representation(page, request_of(self))


class SubmitLabelField(APIField):
    """API v2: the send button's text as GET forms/{id} has it (the default when empty)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def to_representation(self, page) -> str:
        with _in_page_language(page):
            return str(page.submit_label or _("Send"))


def form_schema(page, request) -> dict[str, Any]:
    """Names, types, labels, help texts, choices and "required" of the fields, and the consent.

    Standard texts (consent, send button, choice labels) are in the page's language.
    """
    with _in_page_language(page):
        return _form_schema(page, request)


def _form_schema(page, request) -> dict[str, Any]:
    return {
        "id": page.pk,
        "title": page.title,
        "locale": page.locale.language_code,
        "fields": form_fields_representation(page),
        "consent": consent_representation(page, request),
        "submit_label": page.submit_label or _("Send"),
        "token": make_token(page.pk),
        "min_fill_seconds": float(get_setting("FORM_MIN_FILL_SECONDS")),
    }


def json_to_form_data(
    form_class, values: dict[str, Any], choices: dict[str, dict[str, str]] | None = None
) -> tuple[QueryDict, dict[str, list[str]]]:
    """``values`` (name → JSON value) as form data; wrong types and unknown names are errors.

    The spam guard's fields are not values of ``fields``; the consent is.
    """
    return form_json_values.json_to_form_data(
        form_class, values, choices, exclude=SPECIAL_FIELDS - {CONSENT_FIELD}
    )
