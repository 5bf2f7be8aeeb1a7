"""The event page's admin form: dates are wall times in the event's own time zone.

Django reads and shows form datetimes in the *current* time zone (the site's). An event in
another zone would then shift by the offset difference, so every datetime field of the page and
of its occurrence changes is read and shown in the zone chosen on the page instead.
"""

from __future__ import annotations

from types import SimpleNamespace

from django import forms
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets import AdminDateTimeInput

from ..admin_forms import LocalizedChoicesMixin
from .date_widgets import (
    LocalizedAdminDateTimeInput,
    datetime_input_formats,
    invalid_datetime_message,
)
from .override_widgets import suggest_real_dates
from .overrides import override_errors
from .series import DEFAULT_ZONE, get_zone, zone_names


class ZonedDateTimeField(forms.DateTimeField):
    """A DateTimeField whose naive input and displayed value belong to ``self.zone``."""

    zone = None

    def prepare_value(self, value):
        if self.zone is not None and hasattr(value, "tzinfo") and value.tzinfo is not None:
            return timezone.localtime(value, self.zone).replace(tzinfo=None)
        return super().prepare_value(value)

    def to_python(self, value):
        if self.zone is None:
            return super().to_python(value)
        with timezone.override(self.zone):
            return super().to_python(value)


def _zone_datetime_fields(form, zone) -> None:
    """Read and show every datetime field in ``zone``, in the admin language's date format.

    Wagtail's picker would replace a German date it cannot parse with "now" on leaving the
    field; the widget here keeps typed text, and the field reads German, locale and ISO input.
    """

    input_formats = datetime_input_formats()
    for name, field in list(form.fields.items()):
        if isinstance(field, forms.DateTimeField):
            widget = field.widget
            if isinstance(widget, AdminDateTimeInput) and not isinstance(
                widget, LocalizedAdminDateTimeInput
            ):
                widget = LocalizedAdminDateTimeInput(
                    attrs=widget.attrs,
                    js_overlay_parent_selector=getattr(
                        widget, "js_overlay_parent_selector", "body"
                    ),
                )
            zoned = ZonedDateTimeField(
                required=field.required,
                label=field.label,
                help_text=field.help_text,
                widget=widget,
                input_formats=input_formats,
                error_messages={"invalid": invalid_datetime_message()},
            )
            zoned.zone = zone
            form.fields[name] = zoned
    # ``formset.empty_form`` is a new form on every access: the inline panel's template for an
    # added change would keep Wagtail's picker. ``add_fields`` runs for every child form, too.
    for formset in getattr(form, "formsets", {}).values():
        add_fields = formset.add_fields

        def zoned_add_fields(child, index, add_fields=add_fields):
            add_fields(child, index)
            _zone_datetime_fields(child, zone)

        formset.add_fields = zoned_add_fields


class EventPageForm(LocalizedChoicesMixin, WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = None
        if self.is_bound:
            name = self.data.get(self.add_prefix("time_zone"))
        if name not in zone_names():
            name = getattr(self.instance, "time_zone", None) or DEFAULT_ZONE
        zone = get_zone(name)
        _zone_datetime_fields(self, zone)
        recurrence_field = self.fields.get("recurrence")
        if hasattr(recurrence_field, "set_zone"):
            recurrence_field.set_zone(zone)  # extra and excluded dates are the event's local days
        for formset in self.formsets.values():
            for child in [*formset.forms, formset.empty_form]:
                _zone_datetime_fields(child, zone)
        suggest_real_dates(self)

    def clean(self):
        """A change must name a real date of the series being saved: one that matches no date
        changes nothing, and used to be published with a success message all the same."""
        cleaned_data = super().clean()
        formset = self.formsets.get("overrides")
        series_fields = ("start", "end", "time_zone", "all_day", "recurrence")
        if formset is None or any(self.has_error(name) for name in series_fields):
            return cleaned_data  # an unreadable series is reported on its own fields
        if not cleaned_data.get("start") or not cleaned_data.get("time_zone"):
            return cleaned_data
        event = SimpleNamespace(
            pk=self.instance.pk,
            start=cleaned_data["start"],
            end=cleaned_data.get("end"),
            time_zone=cleaned_data["time_zone"],
            all_day=bool(cleaned_data.get("all_day")),
            recurrence=cleaned_data.get("recurrence"),
        )
        children = []
        for child in formset.forms:
            child.is_valid()  # the formset validates its forms only after this form
            if formset._should_delete_form(child):
                continue
            if child.empty_permitted and not child.has_changed():
                continue  # an extra form left empty
            children.append(child)
        starts = [
            SimpleNamespace(original_start=child.cleaned_data.get("original_start"))
            for child in children
        ]
        for index, message in override_errors(event, starts).items():
            children[index].add_error("original_start", message)
        return cleaned_data
