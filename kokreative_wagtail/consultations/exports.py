"""Safe, German-friendly CSV/XLSX exports and a robust admin list of form submissions.

Wagtail's ``SubmissionsListView`` writes what was stored as it is. Submissions are visitor input,
so that is unsafe (``=HYPERLINK(...)`` becomes a live formula when a spreadsheet opens it) and
fragile: a lone surrogate (storable in SQLite's JSON) makes the list answer 500, cuts the CSV off
at that row and corrupts the XLSX; control characters make ``openpyxl`` raise. Times come out in
UTC, booleans as "True", and German Excel garbles a CSV without a BOM. The view here cleans every
cell for its destination; the helpers are plain functions so other views can reuse them.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import re
from collections.abc import Iterable, Iterator
from datetime import tzinfo
from decimal import Decimal
from typing import Any

from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.formats import get_format
from django.utils.text import slugify
from django.utils.translation import gettext
from wagtail.contrib.forms.views import SubmissionsListView

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


class _Utf8Echo:
    """The ``csv`` writer's file: returns each line as UTF-8 instead of storing it.

    ``errors="replace"`` is the last line of defence: the stream never dies mid-file.
    """

    def write(self, value: str) -> bytes:
        return value.encode("utf-8", errors="replace")


class ConsultationSubmissionsListView(SubmissionsListView):
    """Wagtail's submissions list and export, made safe for visitor input (see module doc).

    ``csv_delimiter``: ``None`` follows Excel's rule for the active language (``;`` where the
    decimal separator is a comma, as in German; ``,`` otherwise); set it to fix one.
    """

    csv_delimiter: str | None = None

    # Exports

    def get_filename(self) -> str:
        return export_filename(self.form_page.title, timezone.localdate(), self.form_page.slug)

    def get_csv_delimiter(self) -> str:
        if self.csv_delimiter:
            return self.csv_delimiter
        return ";" if get_format("DECIMAL_SEPARATOR") == "," else ","

    def get_heading(self, queryset, field: str) -> str:
        # Editors write the labels; a label "=1+1" must not become a formula either.
        return neutralise_formula(remove_xlsx_illegal(super().get_heading(queryset, field)))

    def preprocess_field_value(self, field: str, value: Any, export_format: str) -> Any:
        # A field-specific preprocessor of a subclass still runs, but its result is cleaned too.
        if export_format in self.custom_field_preprocess.get(field, {}):
            value = super().preprocess_field_value(field, value, export_format)
        return export_cell(value, export_format)

    def stream_csv(self, queryset: Iterable) -> Iterator[bytes]:
        writer = csv.DictWriter(
            _Utf8Echo(), fieldnames=self.list_export, delimiter=self.get_csv_delimiter()
        )
        yield codecs.BOM_UTF8  # Excel reads UTF-8 only with it (else umlauts in cp1252)
        yield writer.writerow(
            {field: self.get_heading(queryset, field) for field in self.list_export}
        )
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def write_csv_response(self, queryset) -> StreamingHttpResponse:
        # The server reads the stream after the view returned, when the editor's language and
        # time zone (activated by Wagtail's admin for the view only) are no longer active.
        stream = in_locale(
            self.stream_csv(queryset), translation.get_language(), timezone.get_current_timezone()
        )
        response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        return response

    # Admin list

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        """Wagtail's rows with every cell made displayable: one bad row must not hide the rest."""
        context = super().get_context_data(**kwargs)
        for row in context.get("data_rows", ()):
            row["fields"] = [display_cell(value) for value in row["fields"]]
        for heading in context.get("data_headings", ()):
            heading["label"] = display_cell(force_str(heading["label"]))
        return context
