"""Safe, German-friendly CSV/XLSX exports and a robust admin list of form submissions.

Wagtail's ``SubmissionsListView`` writes what was stored as it is. Submissions are visitor input,
so that is unsafe (``=HYPERLINK(...)`` becomes a live formula when a spreadsheet opens it) and
fragile: a lone surrogate (storable in SQLite's JSON) makes the list answer 500, cuts the CSV off
at that row and corrupts the XLSX; control characters make ``openpyxl`` raise. Times come out in
UTC, booleans as "True", and German Excel garbles a CSV without a BOM. The view here cleans every
cell for its destination with the core's helpers (``kokreative_wagtail.spreadsheets``), and
lists the submissions of every language version of the form together
(``translated_submissions``).
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.encoding import force_str
from wagtail.contrib.forms.views import SubmissionsListView

# The helpers live in the core (other exports use them); importable from here as before.
from ..spreadsheets import (  # noqa: F401
    CONTROL_RE,
    CSV,
    CSV_DATETIME_FORMAT,
    FORMULA_GUARD,
    FORMULA_TRIGGERS,
    GERMAN_TRANSLITERATION,
    SURROGATES_RE,
    XLSX,
    XLSX_ILLEGAL_RE,
    clean_text,
    display_cell,
    excel_csv_delimiter,
    export_cell,
    export_filename,
    in_locale,
    local_datetime,
    neutralise_formula,
    remove_xlsx_illegal,
    replace_surrogates,
    yes_no,
)
from ..spreadsheets import Utf8Echo as _Utf8Echo
from .translated_submissions import SubmissionsInAllLanguagesMixin


class ConsultationSubmissionsListView(SubmissionsInAllLanguagesMixin, SubmissionsListView):
    """Wagtail's submissions list and export, made safe for visitor input (see module doc), of
    the form in all its languages. The cleaning here runs after the mixin built the rows.

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
        return excel_csv_delimiter()

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
