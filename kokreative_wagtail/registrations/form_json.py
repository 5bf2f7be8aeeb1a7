"""The JSON face of an event's registration: its fields, consent and dates, and JSON values as
the form data the event page's HTML form posts.

A JSON registration is turned into the same ``QueryDict`` as the HTML form and validated by the
same form (``submission.handle_registration``), so both ways share every rule. Fields have the
one form-field shape of our APIs (``GET forms/{id}``): ``{name, type, label, help_text,
required, choices: [{value, label}], default, max_length}``; the date is not a field but the
``date`` of the request, chosen from ``dates``.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict

from ..form_builder import BoundedFormBuilder
from ..form_json_values import (
    accepted_choices,
    choices_representation,
    default_representation,
    field_choice_pairs,
    json_to_form_data,
)
from ..privacy import privacy_url, site_settings_of
from ..spam import HONEYPOT_FIELD, TOKEN_FIELD
from .dates import DateState
from .forms import (
    CONSENT_FIELD,
    DATE_FIELD,
    EMAIL_FIELD,
    consent_text,
    extra_field_name,
)

#: Form fields a JSON body sends outside ``fields`` (or not at all).
NOT_IN_FIELDS = frozenset({DATE_FIELD, HONEYPOT_FIELD, TOKEN_FIELD})
#: Form fields not listed in ``fields`` of the schema (the consent has its own entry).
NOT_LISTED = NOT_IN_FIELDS | {CONSENT_FIELD}


def choice_pairs(page, fields=None) -> dict[str, list[tuple[str, str]]]:
    """``{field name: [(value, label), ...]}`` of the extra choice fields of ``page``
    (``fields``: its ``registration_fields`` where the caller has them already)."""
    if fields is None:
        fields = page.registration_fields.all()
    return field_choice_pairs(fields, BoundedFormBuilder([]), name_of=extra_field_name)


def choice_values(page) -> dict[str, dict[str, str]]:
    """What a JSON registration may send for each choice, and the label the form takes."""
    return accepted_choices(choice_pairs(page))


def _field_type(name: str, extra: dict[str, Any]) -> str:
    if name in extra:
        return extra[name].field_type
    return "email" if name == EMAIL_FIELD else "singleline"


def fields_representation(page, form_class) -> list[dict[str, Any]]:
    """Name, e-mail address, organisation and the editor's fields of ``form_class`` (built by
    ``forms.registration_form_class`` for ``page``), in the one form-field shape."""
    extra_fields = list(page.registration_fields.all())
    pairs = choice_pairs(page, extra_fields)
    extra = {extra_field_name(f): f for f in extra_fields}
    result = []
    for name, field in form_class.base_fields.items():
        if name in NOT_LISTED:
            continue
        result.append(
            {
                "name": name,
                "type": _field_type(name, extra),
                "label": str(field.label),
                "help_text": str(field.help_text or ""),
                "required": field.required,
                "choices": choices_representation(field, pairs.get(name)),
                "default": default_representation(field, pairs.get(name)),
                "max_length": getattr(field, "max_length", None),
            }
        )
    return result


def consent_representation(page, options, request) -> dict[str, Any]:
    """The privacy consent every registration needs: ``{name, text, privacy_url, required}``."""
    return {
        "name": CONSENT_FIELD,
        "text": consent_text(options),
        "privacy_url": privacy_url(site_settings_of(page, request), request),
        "required": True,
    }


def date_representation(state: DateState, time_zone: str) -> dict[str, Any]:
    """One date (or the series) with its seats and state, as ``DateSchema`` writes it."""
    return {
        "date": None if state.original_start is None else state.scope,
        "start": state.start,
        "end": state.end,
        "time_zone": time_zone,
        "seats": state.seats,
        "seats_left": state.seats_left,
        "waiting": state.waiting,
        "state": state.state,
        "label": state.label,
        "opens_at": state.opens_at,
        "closes_at": state.closes_at,
    }


def form_data(
    form_class, values: dict[str, Any], choices: dict[str, dict[str, str]]
) -> tuple[QueryDict, dict[str, list[str]]]:
    """``fields`` of a JSON registration as form data; wrong types and unknown names are errors
    (the date, token and honeypot travel outside ``fields``)."""
    return json_to_form_data(form_class, values, choices, exclude=NOT_IN_FIELDS)
