"""Exports of consultation form submissions: safe against formulas and unstorable characters,
German-friendly (BOM, ``;``, Ja/Nein, local times), and an admin list that survives bad rows."""

from __future__ import annotations

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission
from wagtail.users.models import UserProfile

from kokreative_wagtail.consultations.exports import (
    ConsultationSubmissionsListView,
    clean_text,
    display_cell,
    export_cell,
    export_filename,
    neutralise_formula,
)
from kokreative_wagtail.consultations.models import ConsultationFormPage

from .factories import create_consultation_page, field_names

pytestmark = pytest.mark.django_db

SQLITE = connection.vendor == "sqlite"
SURROGATE = "\ud800"
# 13:30 UTC is 14:30 in Berlin (the test site's TIME_ZONE) in December.
SUBMIT_TIME = datetime.datetime(2026, 12, 5, 13, 30, tzinfo=datetime.timezone.utc)


# Helpers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@a", "'@a"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("  =1+1", "'  =1+1"),
        ("Kim Muster", "Kim Muster"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_triggers_are_neutralised(text, expected):
    assert neutralise_formula(text) == expected


def test_cells_are_cleaned_for_their_format():
    assert clean_text("Kim\x01\x0bMuster", "xlsx") == "KimMuster"
    assert clean_text("a\tb\nc\rd", "xlsx") == "a\tb\nc\rd"
    assert clean_text(f"x{SURROGATE}y", "xlsx") == "xy"
    assert clean_text(f"x{SURROGATE}y", "csv") == "x\ufffdy"
    assert clean_text("\x01=1+1", "xlsx") == "'=1+1"  # cleaned first, then neutralised
    assert export_cell(["=a", "-b", 3], "csv") == "'=a, -b, 3"
    assert export_cell(None, "xlsx") == ""
    assert export_cell(-2, "xlsx") == -2  # a number is no formula
    assert display_cell(f"{SURROGATE}\x01ok") == "\ufffdok"


def test_file_name_is_the_slugified_title_and_the_date():
    day = datetime.date(2026, 12, 5)
    assert (
        export_filename("Beratungsgespräch vereinbaren", day)
        == "beratungsgespraech-vereinbaren-2026-12-05"
    )
    assert export_filename("Größe & Übersicht", day) == "groesse-uebersicht-2026-12-05"
    assert export_filename("???", day, fallback="beratung") == "beratung-2026-12-05"


def test_consultation_pages_use_the_safe_view():
    assert ConsultationFormPage.submissions_list_view_class is ConsultationSubmissionsListView
    assert ConsultationFormPage().get_submissions_list_view_class() is (
        ConsultationSubmissionsListView
    )


# Admin views ------------------------------------------------------------------------------------


@pytest.fixture
def form_page(site_root):
    return create_consultation_page(site_root)


@pytest.fixture
def rows(form_page):
    """Submissions with formulas, control characters, umlauts and (on SQLite) a lone surrogate."""
    n = field_names(form_page)
    values = [
        {n["name"]: '=HYPERLINK("x")', n["organisation"]: "+1", n["role"]: "-2"},
        {n["name"]: "@a", n["organisation"]: "Kim\x01\x0bMuster", n["role"]: "Bürgermeisterin"},
    ]
    if SQLITE:  # PostgreSQL's jsonb cannot store a lone surrogate at all
        values.append({n["name"]: f"Lone{SURROGATE}", n["organisation"]: "Köln"})
    for data in values:
        data.update({n["email"]: "kim@example.org", "privacy_consent": True})
        FormSubmission.objects.create(page=form_page, form_data=data)
    FormSubmission.objects.filter(page=form_page).update(submit_time=SUBMIT_TIME)
    return form_page


def url(page, export=None):
    base = reverse("wagtailforms:list_submissions", args=[page.pk])
    return f"{base}?export={export}" if export else base


def read_csv(response) -> tuple[bytes, list[list[str]]]:
    raw = b"".join(response.streaming_content)
    text = raw.decode("utf-8-sig")
    delimiter = ";" if text.splitlines()[0].count(";") else ","
    return raw, list(csv.reader(io.StringIO(text), delimiter=delimiter))


def column(table, heading):
    index = table[0].index(heading)
    return [row[index] for row in table[1:]]


def test_list_shows_rows_with_unstorable_characters(admin_client, rows):
    response = admin_client.get(url(rows))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bürgermeisterin" in html
    assert "KimMuster" in html  # control characters are not shown
    assert "True" not in html and "Ja" in html
    if SQLITE:
        assert "Lone\ufffd" in html
    results = reverse("wagtailforms:list_submissions_results", args=[rows.pk])
    assert admin_client.get(results).status_code == 200


def test_csv_is_complete_neutralised_and_german(admin_client, rows):
    response = admin_client.get(url(rows, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    filename = f"beratungsgespraech-vereinbaren-{timezone.localdate().isoformat()}.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    raw, table = read_csv(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b";" in raw.splitlines()[0]  # German Excel's list separator
    n = dict(zip(["name", "organisation", "role"], table[0][1:4], strict=True))
    expected_rows = 3 if SQLITE else 2
    assert len(table) == 1 + expected_rows  # the surrogate row does not cut the file off
    names = column(table, n["name"])
    assert names[:2] == ['\'=HYPERLINK("x")', "'@a"]
    assert column(table, n["organisation"])[:2] == ["'+1", "Kim\x01\x0bMuster"]
    assert column(table, n["role"])[:2] == ["'-2", "Bürgermeisterin"]
    if SQLITE:
        assert names[2] == "Lone\ufffd"
        assert column(table, n["organisation"])[2] == "Köln"
    assert column(table, "Datenschutz-Einwilligung") == ["Ja"] * expected_rows
    assert column(table, table[0][0]) == ["2026-12-05 14:30"] * expected_rows


def test_xlsx_opens_with_cleaned_values_and_local_times(admin_client, rows):
    response = admin_client.get(url(rows, "xlsx"))
    assert response.status_code == 200
    filename = f"beratungsgespraech-vereinbaren-{timezone.localdate().isoformat()}.xlsx"
    assert filename in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    headings = table[0]
    cells = [dict(zip(headings, row, strict=True)) for row in table[1:]]
    name, organisation, role = headings[1:4]
    assert [c[name] for c in cells[:2]] == ['\'=HYPERLINK("x")', "'@a"]
    assert [c[organisation] for c in cells[:2]] == ["'+1", "KimMuster"]
    assert [c[role] for c in cells[:2]] == ["'-2", "Bürgermeisterin"]
    if SQLITE:
        assert cells[2][name] == "Lone"
    assert {c["Datenschutz-Einwilligung"] for c in cells} == {"Ja"}
    assert {c[headings[0]] for c in cells} == {datetime.datetime(2026, 12, 5, 14, 30)}
    for row in sheet.iter_rows(min_row=2):
        assert all(cell.data_type != "f" for cell in row)
        assert row[0].number_format == "dd.mm.yyyy hh:mm"  # German short date and time


def test_english_editor_gets_yes_no_commas_and_their_time_zone(admin_client, rows):
    user = admin_client.get(url(rows)).wsgi_request.user
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.current_time_zone = "America/New_York"
    profile.save()
    raw, table = read_csv(admin_client.get(url(rows, "csv")))
    assert b";" not in raw.splitlines()[0]
    assert column(table, "Privacy consent")[0] == "Yes"
    local = SUBMIT_TIME.astimezone(ZoneInfo("America/New_York"))
    assert column(table, table[0][0])[0] == local.strftime("%Y-%m-%d %H:%M") == "2026-12-05 08:30"
    assert "Yes" in admin_client.get(url(rows)).content.decode()


def test_headings_written_by_editors_are_neutralised_too(admin_client, rows):
    field = rows.form_fields.first()
    field.label = "=1+1"
    field.save()
    _, table = read_csv(admin_client.get(url(rows, "csv")))
    assert "'=1+1" in table[0]
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(admin_client.get(url(rows, "xlsx")).streaming_content))
    ).active
    assert "'=1+1" in [cell.value for cell in next(sheet.iter_rows())]
