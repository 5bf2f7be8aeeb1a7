"""One list and one export of a form's submissions in all its languages (issue 22, point 5).

Translations here are Wagtail's own (``copy_for_translation`` with i18n on), so these run in the
main suite without wagtail-localize; ``tests/localize`` has the same through wagtail-localize.
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Locale

from kokreative_wagtail.consultations.models import ConsultationFormField
from kokreative_wagtail.consultations.translated_submissions import submission_ids

from .factories import create_consultation_page, editor, field_names

pytestmark = pytest.mark.django_db


@pytest.fixture
def german(site_root, settings):
    settings.WAGTAIL_I18N_ENABLED = True
    return create_consultation_page(site_root)


@pytest.fixture
def english(german):
    """The English version: its own labels (same clean names) and a field only it has."""
    en = Locale.objects.get_or_create(language_code="en")[0]
    page = german.copy_for_translation(en, copy_parents=True)
    fields = list(page.form_fields.all())
    for field in fields:
        field.label = f"EN {field.label}"
    extra = ConsultationFormField(label="Newsletter", field_type="checkbox", sort_order=99)
    page.form_fields = [*fields, extra]
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def submissions(german, english):
    n = field_names(german)
    return {
        "de": FormSubmission.objects.create(
            page=german, form_data={n["name"]: "Kim Muster", "privacy_consent": True}
        ),
        "en": FormSubmission.objects.create(
            page=english,
            form_data={n["name"]: "Alex Smith", "newsletter": True, "privacy_consent": True},
        ),
    }


def url(page, **query) -> str:
    base = reverse("wagtailforms:list_submissions", args=[page.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def table_of(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";" if ";" in text.split("\n")[0] else ","))


def test_the_list_shows_every_language_with_a_language_column(admin_client, submissions, german):
    response = admin_client.get(url(german))
    assert response.status_code == 200
    headings = [str(h["label"]) for h in response.context["data_headings"]]
    assert headings[1] == "Sprache"  # after the date
    name_label = german.form_fields.get(clean_name=field_names(german)["name"]).label
    assert name_label in headings and "Newsletter" in headings  # union, labels of this page
    rows = {row["fields"][2]: row["fields"][1] for row in response.context["data_rows"]}
    assert rows == {"Kim Muster": "Deutsch", "Alex Smith": "English"}
    html = response.content.decode()
    assert reverse("kokreative_forms:delete_submissions", args=[german.pk]) in html
    choices = response.context["filters"].form.fields["locale"].choices
    assert [(value, str(label)) for value, label in choices][1:] == [
        ("de", "Deutsch"),
        ("en", "English"),
    ]
    assert choices[0][0] == ""  # all languages, the default

    only_english = admin_client.get(url(german, locale="en"))
    assert [row["fields"][2] for row in only_english.context["data_rows"]] == ["Alex Smith"]
    bad = admin_client.get(url(german, locale="xx"))  # not a choice: the filter says so
    assert bad.status_code == 200
    assert len(bad.context["data_rows"]) == 2
    results = reverse("wagtailforms:list_submissions_results", args=[german.pk])
    assert admin_client.get(results + "?locale=de").status_code == 200


def test_exports_carry_the_language_and_every_field(admin_client, submissions, english, german):
    table = table_of(admin_client.get(url(english, export="csv")))
    name_label = english.form_fields.get(clean_name=field_names(german)["name"]).label
    assert name_label.startswith("EN ")  # the headings of the page viewed
    heading = table[0]
    rows = [dict(zip(heading, row, strict=True)) for row in table[1:]]
    language = heading[1]
    assert [(r[language], r[name_label]) for r in rows] == [
        ("Deutsch", "Kim Muster"),
        ("English", "Alex Smith"),
    ]
    assert [r["Newsletter"] for r in rows] == ["", "Ja"]
    filtered = table_of(admin_client.get(url(english, export="csv", locale="de")))
    assert [row[1] for row in filtered[1:]] == ["Deutsch"]

    response = admin_client.get(url(german, export="xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert sorted(row[1] for row in values[1:]) == ["Deutsch", "English"]


def test_an_editor_of_the_german_form_sees_and_deletes_only_german_submissions(
    client, django_user_model, submissions, german, english
):
    user = editor(django_user_model, "kim", page=german)
    client.force_login(user)
    response = client.get(url(german))
    assert response.status_code == 200
    assert [row["fields"][1] for row in response.context["data_rows"]] == ["Kim Muster"]
    assert "Sprache" not in str(response.context["data_headings"])  # one version: as before
    assert client.get(url(english))["Location"] == reverse("wagtailadmin_home")  # denied
    assert client.get(url(german, export="csv")).status_code == 200
    assert b"Alex Smith" not in b"".join(client.get(url(german, export="csv")).streaming_content)

    delete = reverse("kokreative_forms:delete_submissions", args=[german.pk])
    ids = f"selected-submissions={submissions['de'].pk}&selected-submissions={submissions['en'].pk}"
    confirm = client.get(f"{delete}?{ids}")
    assert list(confirm.context["submissions"]) == [submissions["de"]]
    assert client.post(f"{delete}?{ids}").status_code == 302
    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [submissions["en"].pk]
    english_delete = reverse("kokreative_forms:delete_submissions", args=[english.pk])
    assert client.post(f"{english_delete}?{ids}")["Location"] == reverse("wagtailadmin_home")
    assert FormSubmission.objects.count() == 1


def test_deleting_from_the_list_in_all_languages(admin_client, submissions, german):
    delete = reverse("kokreative_forms:delete_submissions", args=[german.pk])
    bad = "&".join(f"selected-submissions={v}" for v in ("abc", "%C2%B2", "9" * 18, "9" * 40))
    assert admin_client.post(f"{delete}?{bad}").status_code == 302  # nothing, and no 500
    assert FormSubmission.objects.count() == 2
    ids = "&".join(f"selected-submissions={s.pk}" for s in submissions.values())
    response = admin_client.post(f"{delete}?{ids}&next={url(german)}")
    assert response.status_code == 302 and response["Location"] == url(german)
    assert FormSubmission.objects.count() == 0


def test_submission_ids_accept_only_ids():
    assert submission_ids(["12", "x", "²", "-1", "1" * 19, " 3"]) == [12]
