"""The "occurrence" field of a change offers the series' real dates to choose from.

An override only applies when its date is exactly one the series has; typing 16:00 for a 16:30
series silently did nothing. A ``<datalist>`` on the field lists the real dates near today, in
the exact text the field shows and reads, so picking one cannot be wrong. Browsers expose an
input with a list as a combobox, so the dates reach screen readers too.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from . import occurrences
from .overrides import suggested_starts
from .series import series_for

Suggestions = Callable[[], Sequence[datetime]]


class DateSuggestionsMixin:
    """Adds a ``<datalist>`` of dates after the input and links it by the ``list`` attribute.

    ``suggestions`` returns naive wall times of the event's zone (what the field shows); it is
    called at render time, so the text comes from the widget's own ``format_value`` in the
    language active then.
    """

    suggestions: Suggestions

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer=None) -> str:
        attrs = dict(attrs or {})
        input_id = attrs.get("id") or self.attrs.get("id")
        dates = self.suggestions() if input_id else ()
        if not dates:
            return super().render(name, value, attrs, renderer)
        list_id = f"{input_id}-dates"
        attrs["list"] = list_id
        html = super().render(name, value, attrs, renderer)
        options = format_html_join(
            "",
            '<option value="{}">{}</option>',
            ((self.format_value(wall), date_format(wall, "l")) for wall in dates),
        )
        return html + format_html('<datalist id="{}">{}</datalist>', list_id, options)


@functools.cache
def _suggesting_class(base: type[forms.Widget]) -> type[forms.Widget]:
    # Same name as the base: Wagtail derives the field's CSS class from the widget's class name.
    return type(base.__name__, (DateSuggestionsMixin, base), {"__module__": __name__})


def with_suggestions(widget: forms.Widget, suggestions: Suggestions) -> forms.Widget:
    """A copy of ``widget`` (any text input, e.g. Wagtail's date picker) with the date list."""
    base = type(widget)
    if isinstance(widget, DateSuggestionsMixin):
        base = next(cls for cls in base.__mro__[1:] if not issubclass(cls, DateSuggestionsMixin))
    suggesting = copy.deepcopy(widget)
    suggesting.__class__ = _suggesting_class(base)
    suggesting.suggestions = suggestions
    return suggesting


def series_suggestions(form: forms.BaseForm, *, now: datetime | None = None) -> Suggestions:
    """The real dates of the form's event near ``now``, computed once, when first rendered.

    The page is read at render time: after a failed save it carries the submitted start, zone
    and rule (the model form applies the valid fields), so the list follows the editor's input.
    """

    @functools.cache
    def suggestions() -> tuple[datetime, ...]:
        event = form.instance
        if getattr(event, "start", None) is None:
            return ()
        try:
            series = series_for(event)
            starts = suggested_starts(series, now or timezone.now())
        except (ValueError, ArithmeticError):  # a rule dateutil refuses: its field says why
            return ()
        return tuple(occurrences.to_wall(start, series.zone) for start in starts)

    return suggestions


def suggest_real_dates(
    form: forms.BaseForm,
    formset_name: str = "overrides",
    field_name: str = "original_start",
    *,
    now: datetime | None = None,
) -> None:
    """Give ``field_name`` of every child form of ``formset_name`` the list of real dates.

    Also the form Wagtail's "add" button copies: ``formset.empty_form`` is built anew on each
    access, so the list is attached in ``add_fields``, which runs for every child form.
    """
    formset = getattr(form, "formsets", {}).get(formset_name)
    if formset is None:
        return
    suggestions = series_suggestions(form, now=now)

    def attach(child: forms.BaseForm) -> None:
        field = child.fields.get(field_name)
        if field is not None:
            field.widget = with_suggestions(field.widget, suggestions)

    add_fields = formset.add_fields

    def suggesting_add_fields(child: forms.BaseForm, index: int | None) -> None:
        add_fields(child, index)
        attach(child)

    formset.add_fields = suggesting_add_fields
    for child in formset.forms:
        attach(child)
