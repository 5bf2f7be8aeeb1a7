"""The JSON face of a visitor's form built with Wagtail's form builder: choices as value/label
pairs, and JSON values as the form data an HTML form posts.

Every form of ours that takes JSON (consultation forms, registrations) turns a JSON body into
the ``QueryDict`` the HTML form posts and validates it with the very same Django form, so both
ways share every rule.

Choices are ``{"value", "label"}`` pairs. The label is the text of the field's own language
(what the HTML form shows and what is stored). The value is the same in every language: the
text of that choice in the original field, the one the translations were made from (the lowest
id among the rows sharing its translation key). A client may send the label too; a value wins
where a text is both.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from decimal import Decimal
from typing import Any

import django.forms
from django.http import QueryDict
from django.utils.translation import gettext as _

from .localization import i18n_enabled

#: Wagtail form field types whose values are choices.
CHOICE_TYPES = frozenset({"dropdown", "radio", "checkboxes", "multiselect"})


def original_fields(fields: list) -> dict:
    """The original of each form field (the row its translations were made from), by
    translation key: one query for the whole form, none without translations."""
    if not i18n_enabled() or not fields or not hasattr(fields[0], "translation_key"):
        return {}
    model = type(fields[0])
    keys = {f.translation_key for f in fields}
    originals: dict = {}
    for row in model._default_manager.filter(translation_key__in=keys).order_by("pk"):
        originals.setdefault(row.translation_key, row)
    return originals


def field_name(field) -> str:
    """The form's key of a form builder field (its clean name)."""
    return field.clean_name or field.get_field_clean_name()


def field_choice_pairs(
    fields: Iterable, builder, name_of: Callable[[Any], str] = field_name
) -> dict[str, list[tuple[str, str]]]:
    """``{field name: [(value, label), ...]}`` of the choice fields among ``fields``.

    ``builder`` is a form builder (for ``get_formatted_field_choices``); ``name_of`` gives a
    field's key in the form. Labels are the fields' texts; values are the texts of the original
    field at the same position. A translation with another number of choices than its original
    (a translator added or dropped one) keeps its labels as values: a position says nothing then.
    """
    fields = [f for f in fields if f.field_type in CHOICE_TYPES]
    if not fields:
        return {}
    originals = original_fields(fields)
    result: dict[str, list[tuple[str, str]]] = {}
    for field in fields:
        labels = [str(label) for _value, label in builder.get_formatted_field_choices(field)]
        original = originals.get(getattr(field, "translation_key", None), field)
        values = labels
        if original is not field and original.pk != field.pk:
            source = [str(v) for v, _label in builder.get_formatted_field_choices(original)]
            if len(source) == len(labels):
                values = source
        result[name_of(field)] = list(zip(values, labels, strict=True))
    return result


def accepted_choices(pairs: dict[str, list[tuple[str, str]]]) -> dict[str, dict[str, str]]:
    """``{field name: {accepted text: label}}``: what a JSON body may send for a choice (its
    value, or its label) and the label the form takes for it."""
    result: dict[str, dict[str, str]] = {}
    for name, field_pairs in pairs.items():
        accepted = {label: label for _value, label in field_pairs}
        accepted.update(dict(field_pairs))  # a value wins
        result[name] = accepted
    return result


def choices_representation(
    field: django.forms.Field, pairs: list[tuple[str, str]] | None
) -> list[dict[str, str]]:
    """The choices of a form field as ``[{"value", "label"}]`` (empty for other fields)."""
    value_of = {label: value for value, label in pairs or ()}
    choices = getattr(field, "choices", None) or []
    return [
        {"value": value_of.get(str(value), str(value)), "label": str(label)}
        for value, label in choices
        if value != ""
    ]


def default_representation(field: django.forms.Field, pairs: list[tuple[str, str]] | None):
    """A form field's initial value as JSON; a choice field's as its choice value(s)."""
    value_of = {label: value for value, label in pairs or ()}
    initial = field.initial
    if isinstance(field, django.forms.MultipleChoiceField):
        return [value_of.get(str(v), str(v)) for v in (initial or []) if v]
    if isinstance(field, django.forms.BooleanField):
        return str(initial).strip().lower() in {"true", "on", "1", "yes"}
    if initial in (None, ""):
        return None
    return value_of.get(str(initial), str(initial))


def json_to_form_data(
    form_class,
    values: dict[str, Any],
    choices: dict[str, dict[str, str]] | None = None,
    *,
    exclude: Collection[str] = (),
) -> tuple[QueryDict, dict[str, list[str]]]:
    """``values`` (name → JSON value) as form data; wrong types and unknown names are errors.

    Fields named in ``exclude`` (the spam guard's, those sent outside ``fields``) count as
    unknown. ``choices`` (from ``accepted_choices``) turns the value of a choice into the label
    the form expects; a text that is neither is passed on for the form to reject.
    """
    choices = choices or {}
    data = QueryDict(mutable=True)
    errors: dict[str, list[str]] = {}
    fields = {name: field for name, field in form_class.base_fields.items() if name not in exclude}
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
