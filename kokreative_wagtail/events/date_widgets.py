"""Date and time input in the event editor that never turns a typed date into "now".

Wagtail's datetime picker shows and parses ``WAGTAIL_DATETIME_FORMAT`` (default
``%Y-%m-%d %H:%M``) and has ``validateOnBlur`` on: on leaving the field it replaces any text it
cannot parse with the current date and time. German editors type ``14.01.2027 10:00``, which
it cannot parse, so an event silently moved to today. Here the picker leaves typed text alone,
shows dates the way the admin language writes them, and the server reads the German forms (or
answers with a form error); it never guesses.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import get_format, localize_input
from django.utils.translation import gettext
from wagtail.admin.datetimepicker import to_datetimepicker_format
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.admin.widgets.datetime import DEFAULT_DATETIME_FORMAT

#: How the picker shows date and time per admin language, unless WAGTAIL_DATETIME_FORMAT is set.
LANGUAGE_DATETIME_FORMATS = {"de": "%d.%m.%Y %H:%M"}

#: Always read: German (the programme's language) and ISO, whatever the admin language.
EXTRA_INPUT_FORMATS = (
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
)


def admin_datetime_format() -> str:
    """The strftime format the picker shows: the site's setting, else the admin language's."""
    configured = getattr(settings, "WAGTAIL_DATETIME_FORMAT", None)
    if configured:
        return configured
    language = (translation.get_language() or "").split("-")[0].lower()
    return LANGUAGE_DATETIME_FORMATS.get(language, DEFAULT_DATETIME_FORMAT)


def datetime_input_formats() -> list[str]:
    """Formats the server reads, tried in order: shown format, the locale's, German and ISO.

    The shown format comes first, so what the picker writes is read back the same way; the
    locale's date-only formats make ``14.01.2027`` midnight of that day.
    """
    candidates = [
        admin_datetime_format(),
        *get_format("DATETIME_INPUT_FORMATS"),
        *get_format("DATE_INPUT_FORMATS"),
        *EXTRA_INPUT_FORMATS,
    ]
    return list(dict.fromkeys(candidates))


def invalid_datetime_message() -> str:
    """The form error for unreadable input, with an example in the shown format.

    The example is 31 December of this year: a day above 12 shows which part is the day.
    """
    example = datetime.datetime(timezone.localdate().year, 12, 31, 18, 30)
    return gettext("Enter a date and time like %(example)s.") % {
        "example": example.strftime(admin_datetime_format())
    }


class LocalizedAdminDateTimeInput(AdminDateTimeInput):
    """Wagtail's datetime picker in the admin language's format, never replacing typed text.

    The format is looked up when the widget renders, under the language active then, unless one
    is given explicitly.
    """

    def __init__(self, *args: Any, format: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, format=format, **kwargs)
        self.fixed_format = format

    def display_format(self) -> str:
        """The strftime format of the field's text: the given one, else the admin language's."""
        return self.fixed_format or admin_datetime_format()

    def format_value(self, value: Any) -> str | None:
        return localize_input(value, self.display_format())

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["format"] = to_datetimepicker_format(self.display_format())
        # Text the picker cannot parse stays as typed; the server reads it or reports an error.
        config["validateOnBlur"] = False
        return config
