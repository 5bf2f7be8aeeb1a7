"""Spreadsheet cells that are safe and German-friendly, for every export of the package.

Exports hold visitor input, so a cell is cleaned for its destination: ``=HYPERLINK(...)``
would become a live formula when a spreadsheet opens it; a lone surrogate (storable in
SQLite's JSON) cannot be encoded as UTF-8 and cuts a CSV off or corrupts an XLSX; control
characters make ``openpyxl`` raise. Times come out in local time, booleans as Yes/No, and
German Excel garbles a CSV without a BOM. Plain functions: the consultations' submission
export and the registrations' export both use them.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from datetime import tzinfo
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.formats import get_format
from django.utils.text import slugify
from django.utils.translation import gettext

CSV = "csv"
XLSX = "xlsx"

#: OWASP "CSV Injection": a cell starting with one of these may be run as a formula.
FORMULA_TRIGGERS = frozenset("=+-@\t\r")
#: Lone surrogates: valid in a Python ``str`` (and SQLite's JSON), not encodable as UTF-8.
SURROGATES_RE = re.compile("[\ud800-\udfff]")
#: What XML 1.0 (so XLSX) cannot hold: C0 controls but tab/LF/CR, surrogates, U+FFFE/U+FFFF.
XLSX_ILLEGAL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: The same minus surrogates, which the admin list shows as U+FFFD instead of dropping them.
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Excel's own "this is text" marker: shown in a CSV, hidden in the cell once Excel parsed it.
FORMULA_GUARD = "'"
#: Times in a CSV: ISO 8601 order, sortable and read as a date by Excel in any language.
CSV_DATETIME_FORMAT = "%Y-%m-%d %H:%M"
#: Transliteration before ``slugify``, which would drop umlauts ("gesprach" for "gespräch").
GERMAN_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS"}
)


def replace_surrogates(text: str) -> str:
    """Lone surrogates as U+FFFD, so the text can be encoded as UTF-8 at all."""
    return SURROGATES_RE.sub("\ufffd", text)


def remove_xlsx_illegal(text: str) -> str:
    """Drop what ``openpyxl`` refuses (control characters) or writes into a corrupt file."""
    return XLSX_ILLEGAL_RE.sub("", text)


def neutralise_formula(text: str) -> str:
    """Prefix ``'`` to text a spreadsheet would run as a formula (also after leading spaces)."""
    first = text.lstrip(" ")[:1]
    return FORMULA_GUARD + text if first and first in FORMULA_TRIGGERS else text


def clean_text(text: str, export_format: str) -> str:
    """A string made safe for a cell of ``export_format``: encodable, storable, inert."""
    clean = remove_xlsx_illegal if export_format == XLSX else replace_surrogates
    return neutralise_formula(clean(text))


def yes_no(value: bool) -> str:
    return gettext("Yes") if value else gettext("No")


def local_datetime(value: datetime.datetime) -> datetime.datetime:
    """``value`` in the current time zone (the one the admin list shows), naive for Excel."""
    if timezone.is_aware(value):
        return timezone.make_naive(value, timezone.get_current_timezone())
    return value


def export_cell(value: Any, export_format: str) -> Any:
    """One value of a submission as a cell of ``export_format`` (``"csv"`` or ``"xlsx"``).

    XLSX keeps numbers, dates and times as such (Excel sorts and computes with them); a CSV
    gets text. Everything that is text passes through ``clean_text``.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, datetime.datetime):
        local = local_datetime(value)
        return local if export_format == XLSX else local.strftime(CSV_DATETIME_FORMAT)
    if isinstance(value, (datetime.date, datetime.time)):
        return value if export_format == XLSX else value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        return value if export_format == XLSX else str(value)
    if isinstance(value, (list, tuple)):
        text = ", ".join(
            item if isinstance(item, str) else force_str(export_cell(item, CSV)) for item in value
        )
        return clean_text(text, export_format)
    return clean_text(force_str(value), export_format)


def display_cell(value: Any) -> Any:
    """A value for the admin's HTML list: booleans as Yes/No, text always encodable."""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, str):
        return CONTROL_RE.sub("", replace_surrogates(value))
    return value


def export_filename(title: str, date: datetime.date, fallback: str = "submissions") -> str:
    """``beratungsgespraech-vereinbaren-2026-12-05``: the form's title (ASCII) and the date."""
    base = slugify(replace_surrogates(title).translate(GERMAN_TRANSLITERATION)) or slugify(fallback)
    return f"{base or 'submissions'}-{date.isoformat()}"


def in_locale(stream: Iterable[bytes], language: str | None, zone: tzinfo) -> Iterator[bytes]:
    """``stream`` produced chunk by chunk under ``language`` and ``zone``, leaking neither."""
    iterator = iter(stream)
    while True:
        with translation.override(language), timezone.override(zone):
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


class Utf8Echo:
    """The ``csv`` writer's file: returns each line as UTF-8 instead of storing it.

    ``errors="replace"`` is the last line of defence: the stream never dies mid-file.
    """

    def write(self, value: str) -> bytes:
        return value.encode("utf-8", errors="replace")


def excel_csv_delimiter() -> str:
    """Excel's rule for the active language: ``;`` where the decimal separator is a comma (as in
    German), ``,`` otherwise."""
    return ";" if get_format("DECIMAL_SEPARATOR") == "," else ","
