"""Values of the consent admin in the editor's words: yes/no, group names, labels, times.

Python's own text of a value (``True``, ``['external_media', 'statistics']``, ``form``, an ISO
time) is English and technical; the listing and the record's page show what an editor reads.
The spreadsheet export keeps the stored values (see ``ConsentRecordViewSet``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .state import load_groups

#: Where a record came from (``ConsentRecord.source`` stores the key).
SOURCE_LABELS = {
    "form": _("banner or settings page"),
    "api": _("consent API"),
}


def yes_no(value: bool | None) -> str:
    """ "Yes", "No", or "" for an unknown value, in the active language."""
    if value is None:
        return ""
    return gettext("Yes") if value else gettext("No")


def yes_no_of(attribute: str) -> Callable[[object], str]:
    """A column accessor showing ``instance.<attribute>`` as yes or no."""

    def accessor(instance: object) -> str:
        return yes_no(getattr(instance, attribute))

    return accessor


def group_names(varnames: Iterable[str] | None) -> str:
    """The groups' names, comma-separated, in the active language where a text is written.

    From the cached groups (no query per row); a varname no group has (any more) is shown as
    it is, so the record still says what was decided.
    """
    names = {group.varname: group.name for group in load_groups()}
    return ", ".join(names.get(varname, varname) for varname in varnames or ())


def source_label(source: str) -> str:
    return str(SOURCE_LABELS.get(source, source))


def time_in_words(value: datetime | None) -> str:
    """Date and time in the editor's locale and time zone ("5. Dezember 2026, 14:03")."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    date = formats.date_format(value, "DATE_FORMAT")
    return f"{date}, {formats.time_format(value, 'TIME_FORMAT')}"
