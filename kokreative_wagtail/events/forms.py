"""The event page's admin form: dates are wall times in the event's own time zone.

Django reads and shows form datetimes in the *current* time zone (the site's). An event in
another zone would then shift by the offset difference, so every datetime field of the page and
of its occurrence changes is read and shown in the zone chosen on the page instead.
"""

from __future__ import annotations

from zoneinfo import available_timezones

from django import forms
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm

from ..admin_forms import LocalizedChoicesMixin
from .series import DEFAULT_ZONE, get_zone


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
    for name, field in list(form.fields.items()):
        if isinstance(field, forms.DateTimeField):
            zoned = ZonedDateTimeField(
                required=field.required,
                label=field.label,
                help_text=field.help_text,
                widget=field.widget,
            )
            zoned.zone = zone
            form.fields[name] = zoned


class EventPageForm(LocalizedChoicesMixin, WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = None
        if self.is_bound:
            name = self.data.get(self.add_prefix("time_zone"))
        if name not in available_timezones():
            name = getattr(self.instance, "time_zone", None) or DEFAULT_ZONE
        zone = get_zone(name)
        _zone_datetime_fields(self, zone)
        for formset in self.formsets.values():
            for child in [*formset.forms, formset.empty_form]:
                _zone_datetime_fields(child, zone)
