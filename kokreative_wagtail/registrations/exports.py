"""The registrations of one date as CSV or XLSX, for the organisers.

Names, organisations and extra fields are visitor input: every cell goes through the core's
``spreadsheets`` helpers (no live formula, nothing unencodable). Times are local to the event's
zone; the CSV has a BOM and Excel's delimiter for the editor's language, as the submission export.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook  # Wagtail's own exports write XLSX with it (Wagtail needs it)
from openpyxl.cell import WriteOnlyCell
from wagtail.admin.views.mixins import ExcelDateFormatter

from ..spreadsheets import (
    CSV,
    XLSX,
    Utf8Echo,
    excel_csv_delimiter,
    export_cell,
    export_filename,
    neutralise_formula,
    remove_xlsx_illegal,
)
from .choices import Status
from .forms import extra_field_name

FORMATS = (CSV, XLSX)
#: Order of the rows: those with a seat, the waiting list, then the rest.
STATUS_ORDER = {
    Status.CONFIRMED: 0,
    Status.WAITING: 1,
    Status.PENDING: 2,
    Status.FULL: 3,
    Status.CANCELLED: 4,
}


def ordered(registrations: Iterable) -> list:
    """Confirmed first (by registration), then the waiting list in its order, then the rest;
    each waiting one gets ``waiting_position`` (1 is next for a seat)."""
    rows = sorted(
        registrations,
        key=lambda r: (
            STATUS_ORDER.get(r.status, 9),
            (r.waiting_since or r.created_at) if r.status == Status.WAITING else r.created_at,
            r.pk,
        ),
    )
    position = 0
    for registration in rows:
        if registration.status == Status.WAITING:
            position += 1
            registration.waiting_position = position
        else:
            registration.waiting_position = None
    return rows


def heading(label: str) -> str:
    # editors write the labels; a label "=1+1" must not become a formula either
    return neutralise_formula(remove_xlsx_illegal(str(label)))


def headings(fields: list) -> list[str]:
    return [
        heading(label)
        for label in (
            _("Status"),
            _("Name"),
            _("E-mail address"),
            _("Organisation"),
            *(field.label for field in fields),
            _("Registered"),
            _("Confirmed"),
            _("Waiting list position"),
            _("Attended"),
        )
    ]


def values(registration, fields: list) -> list[Any]:
    data = registration.data if isinstance(registration.data, dict) else {}
    return [
        registration.get_status_display(),
        registration.name,
        registration.email,
        registration.organisation,
        *(data.get(extra_field_name(field)) for field in fields),
        registration.created_at,
        registration.confirmed_at,
        registration.waiting_position,
        registration.attended,
    ]


def rows(registrations: list, fields: list, export_format: str) -> Iterator[list]:
    """The cells of every registration, cleaned for ``export_format`` (call in the event's
    zone: times are written in the current time zone)."""
    for registration in registrations:
        yield [export_cell(value, export_format) for value in values(registration, fields)]


def filename(page, fill) -> str:
    day = fill.local_start.date() if fill.local_start else timezone.localdate()
    return export_filename(page.title, day, "registrations")


def csv_response(registrations: list, fields: list, name: str, zone) -> HttpResponse:
    """The whole file at once: one date's registrations are few."""
    writer = csv.writer(Utf8Echo(), delimiter=excel_csv_delimiter())
    with timezone.override(zone):
        lines = [writer.writerow(headings(fields))]
        lines += [writer.writerow(row) for row in rows(registrations, fields, CSV)]
    response = HttpResponse(
        codecs.BOM_UTF8 + b"".join(lines), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def text_cell(sheet, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value)
    if cell.data_type == "f":  # openpyxl takes text starting with "=" for a formula
        cell.data_type = "s"
    return cell


def xlsx_response(registrations: list, fields: list, name: str, zone) -> HttpResponse:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_("Registrations")[:31])
    sheet.append([text_cell(sheet, label) for label in headings(fields)])
    date_format = ExcelDateFormatter().get()  # the editor's short date and time, as Wagtail's
    with timezone.override(zone):
        for row in rows(registrations, fields, XLSX):
            cells = []
            for value in row:
                cell = text_cell(sheet, value)
                if isinstance(value, datetime.datetime):
                    cell.number_format = date_format
                cells.append(cell)
            sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
