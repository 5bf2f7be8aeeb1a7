"""The JSON face of a consultation form: its field schema, and JSON values as form data.

A JSON submission is turned into the same ``QueryDict`` an HTML form posts and then validated by
the very same Django form, so both ways share every rule.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import django.forms
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext as _

from ..conf import get_setting
from .forms import CONSENT_FIELD, SPECIAL_FIELDS
from .spam import make_token


def field_choices(field: django.forms.Field) -> list[str]:
    choices = getattr(field, "choices", None) or []
    return [str(value) for value, _label in choices if value != ""]


def form_schema(page, request) -> dict[str, Any]:
    """Names, types, labels, help texts, choices and "required" of the fields, and the consent.

    Standard texts (consent, send button, choice labels) are in the page's language.
    """
    language = page.locale.language_code if getattr(page, "locale_id", None) else None
    with translation.override(language or translation.get_language()):
        return _form_schema(page, request)


def _form_schema(page, request) -> dict[str, Any]:
    form_class = page.get_form_class()
    fields = []
    model_fields = {f.clean_name or f.get_field_clean_name(): f for f in page.get_form_fields()}
    for name, field in form_class.base_fields.items():
        if name in SPECIAL_FIELDS:
            continue
        model_field = model_fields.get(name)
        initial = field.initial
        if isinstance(field, django.forms.MultipleChoiceField):
            default: Any = [str(v) for v in (initial or []) if v]
        elif isinstance(field, django.forms.BooleanField):
            default = str(initial).strip().lower() in {"true", "on", "1", "yes"}
        else:
            default = str(initial) if initial not in (None, "") else None
        fields.append(
            {
                "name": name,
                "type": model_field.field_type if model_field is not None else "singleline",
                "label": str(field.label),
                "help_text": model_field.help_text if model_field is not None else "",
                "required": field.required,
                "choices": field_choices(field),
                "default": default,
                "max_length": getattr(field, "max_length", None),
            }
        )
    return {
        "id": page.pk,
        "title": page.title,
        "locale": page.locale.language_code,
        "fields": fields,
        "consent": {
            "name": CONSENT_FIELD,
            "text": page.get_consent_text(),
            "privacy_url": page.get_privacy_url(request),
            "required": True,
        },
        "submit_label": page.submit_label or _("Send"),
        "token": make_token(page.pk),
        "min_fill_seconds": float(get_setting("FORM_MIN_FILL_SECONDS")),
    }


def json_to_form_data(form_class, values: dict[str, Any]) -> tuple[QueryDict, dict[str, list[str]]]:
    """``values`` (name → JSON value) as form data; wrong types and unknown names are errors."""
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
                data.setlist(name, value)
        elif isinstance(field, django.forms.DecimalField):
            if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                errors.setdefault(name, []).append(_("Expected a number."))
            else:
                data[name] = str(Decimal(str(value))) if isinstance(value, float) else str(value)
        elif not isinstance(value, str):
            errors.setdefault(name, []).append(_("Expected text."))
        else:
            data[name] = value
    return data, errors
