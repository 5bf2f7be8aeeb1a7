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

from decimal import Decimal
from typing import Any

import django.forms
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework.fields import Field as APIField

from ..conf import get_setting
from ..localization import i18n_enabled
from ..serializers import request_of
from ..spam import make_token
from .forms import CONSENT_FIELD, SPECIAL_FIELDS

#: Wagtail form field types whose values are choices.
CHOICE_TYPES = frozenset({"dropdown", "radio", "checkboxes", "multiselect"})


def _original_fields(fields: list) -> dict:
    """The original of each form field (the row its translations were made from), by
    translation key: one query for the whole form, none without translations."""
    if not i18n_enabled() or not fields:
        return {}
    model = type(fields[0])
    keys = {f.translation_key for f in fields}
    originals: dict = {}
    for row in model._default_manager.filter(translation_key__in=keys).order_by("pk"):
        originals.setdefault(row.translation_key, row)
    return originals


def choice_pairs(page) -> dict[str, list[tuple[str, str]]]:
    """``{field name: [(value, label), ...]}`` of the page's choice fields.

    Labels are this page's texts; values are the texts of the original field at the same
    position. A translation with another number of choices than its original (a translator
    added or dropped one) keeps its labels as values: a position says nothing then.
    """
    fields = [f for f in page.get_form_fields() if f.field_type in CHOICE_TYPES]
    if not fields:
        return {}
    builder = page.form_builder([])
    originals = _original_fields(fields)
    result: dict[str, list[tuple[str, str]]] = {}
    for field in fields:
        labels = [str(label) for _value, label in builder.get_formatted_field_choices(field)]
        original = originals.get(field.translation_key, field)
        values = labels
        if original is not field and original.pk != field.pk:
            source = [str(v) for v, _label in builder.get_formatted_field_choices(original)]
            if len(source) == len(labels):
                values = source
        result[field.clean_name or field.get_field_clean_name()] = list(
            zip(values, labels, strict=True)
        )
    return result


def choice_values(page) -> dict[str, dict[str, str]]:
    """``{field name: {accepted text: label}}``: what a JSON submission may send for a choice
    (its value, or its label) and the label the form takes for it."""
    result: dict[str, dict[str, str]] = {}
    for name, pairs in choice_pairs(page).items():
        accepted = {label: label for _value, label in pairs}
        accepted.update(dict(pairs))  # a value wins
        result[name] = accepted
    return result


def _choices(field: django.forms.Field, pairs: list[tuple[str, str]] | None) -> list[dict]:
    value_of = {label: value for value, label in pairs or ()}
    choices = getattr(field, "choices", None) or []
    return [
        {"value": value_of.get(str(value), str(value)), "label": str(label)}
        for value, label in choices
        if value != ""
    ]


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
        value_of = {label: value for value, label in pairs.get(name, ())}
        initial = field.initial
        if isinstance(field, django.forms.MultipleChoiceField):
            default: Any = [value_of.get(str(v), str(v)) for v in (initial or []) if v]
        elif isinstance(field, django.forms.BooleanField):
            default = str(initial).strip().lower() in {"true", "on", "1", "yes"}
        elif initial in (None, ""):
            default = None
        else:
            default = value_of.get(str(initial), str(initial))
        fields.append(
            {
                "name": name,
                "type": model_field.field_type if model_field is not None else "singleline",
                "label": str(field.label),
                "help_text": model_field.help_text if model_field is not None else "",
                "required": field.required,
                "choices": _choices(field, pairs.get(name)),
                "default": default,
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

    ``choices`` (from ``choice_values``) turns the value of a choice into the label the form
    expects; a text that is neither is passed on for the form to reject.
    """
    choices = choices or {}
    data = QueryDict(mutable=True)
    errors: dict[str, list[str]] = {}
    fields = {
        name: field
        for name, field in form_class.base_fields.items()
        if name not in SPECIAL_FIELDS or name == CONSENT_FIELD
    }
    for name, value in values.items():
        field = fields.get(name)
        if field is None:
            errors.setdefault(name, []).append(_("Unknown field."))
            continue
        if value is None:
            continue
        if isinstance(field, django.forms.BooleanField):
            if not isinstance(value, bool):
                errors.setdefault(name, []).append(_("Expected true or false."))
            elif value:
                data[name] = "on"
        elif isinstance(field, django.forms.MultipleChoiceField):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                errors.setdefault(name, []).append(_("Expected a list of texts."))
            else:
                accepted = choices.get(name, {})
                data.setlist(name, [accepted.get(v, v) for v in value])
        elif isinstance(field, django.forms.DecimalField):
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                errors.setdefault(name, []).append(_("Expected a number."))
            else:
                data[name] = str(Decimal(str(value))) if isinstance(value, float) else str(value)
        elif not isinstance(value, str):
            errors.setdefault(name, []).append(_("Expected text."))
        else:
            data[name] = choices.get(name, {}).get(value, value)
    return data, errors
