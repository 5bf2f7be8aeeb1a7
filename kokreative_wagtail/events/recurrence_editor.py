"""The repeat editor of the event page: native, labelled controls on django-recurrence's value.

django-recurrence's own widget draws weekdays as table cells without keyboard access, uses
``javascript:`` links, needs jQuery from Django's admin and a JavaScript catalogue for its
labels. This editor is a server-rendered group of selects, checkboxes, radio buttons and date
inputs (every control focusable, labelled and German through gettext); a small script only
shows the controls of the chosen frequency and adds date inputs. What the controls cannot show
stays editable as iCalendar text (``recurrence_values.py``).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError

from . import recurrence_values as values_module
from .recurrence_text import serialize
from .series import DEFAULT_ZONE, get_zone

_LIST_KEYS = ("weekdays", "months", "rdates", "exdates")


class RecurrenceEditor(forms.Widget):
    """Renders the editor's choices; reads them back as a dict for ``RecurrenceEditorField``."""

    template_name = "kokreative_wagtail/events/admin/recurrence_editor.html"
    #: The zone dates are shown in; the event page form sets the page's zone.
    zone: ZoneInfo = get_zone(DEFAULT_ZONE)

    class Media:
        js = ["kokreative_wagtail/events/recurrence-editor.js"]
        css = {"all": ["kokreative_wagtail/events/recurrence-editor.css"]}

    def format_value(self, value):
        if isinstance(value, dict):
            return {**values_module.empty_values(), **value}  # submitted, shown again as typed
        return values_module.editor_values(value, self.zone)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        choices = context["widget"]["value"]
        context["widget"].update(
            choices=choices,
            frequencies=values_module.FREQUENCY_CHOICES,
            weekdays=values_module.WEEKDAY_CHOICES,
            ordinals=values_module.ORDINAL_CHOICES,
            months=values_module.MONTH_CHOICES,
            monthdays=[str(day) for day in range(1, 32)],
            repeating=[code for code, _label in values_module.FREQUENCY_CHOICES[1:-1]],
            rdates=[*choices["rdates"], ""],
            exdates=[*choices["exdates"], ""],
            zone=self.zone.key,
        )
        return context

    def value_from_datadict(self, data, files, name):
        prefix = f"{name}-"
        if f"{prefix}freq" not in data:
            if name in data:  # rule text posted directly (a script, an older form)
                return {"freq": values_module.CUSTOM, "text": data.get(name) or ""}
            return None
        found = {key: data.get(prefix + key, "") for key in values_module.empty_values()}
        getlist = getattr(data, "getlist", None)
        for key in _LIST_KEYS:
            if getlist is not None:
                found[key] = getlist(prefix + key)
            else:
                raw = data.get(prefix + key)
                found[key] = list(raw) if isinstance(raw, list | tuple) else [raw] if raw else []
        return found

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-freq" not in data and name not in data

    def id_for_label(self, id_):
        return id_  # the frequency select: the field's label names the whole editor


class RecurrenceEditorField(forms.Field):
    """A recurrence from the editor's choices (or from rule text), validated per control."""

    widget = RecurrenceEditor

    def __init__(self, *args, zone: ZoneInfo | None = None, **kwargs) -> None:
        for ignored in ("max_length", "max_rrules", "max_exrules", "max_rdates", "max_exdates"):
            kwargs.pop(ignored, None)
        super().__init__(*args, **kwargs)
        self.set_zone(zone or get_zone(DEFAULT_ZONE))

    def set_zone(self, zone: ZoneInfo) -> None:
        """Read and show dates in ``zone`` (the event's), not in the site's."""
        self.zone = zone
        self.widget.zone = zone

    def to_python(self, value):
        if value is None or value == "":
            return None
        if isinstance(value, dict):
            return values_module.recurrence_from(value, self.zone)
        if isinstance(value, str):
            return values_module.recurrence_from(
                {"freq": values_module.CUSTOM, "text": value}, self.zone
            )
        return value

    def has_changed(self, initial, data) -> bool:
        try:
            new = self.to_python(data)
        except ValidationError:
            return True
        return serialize(initial) != serialize(new)
