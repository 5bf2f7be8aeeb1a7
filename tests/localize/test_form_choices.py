"""Choices of a translated form: labels in the page's language, values the same in every language.

The German form is translated with wagtail-localize as the admin does it (``translate_object``);
the English form offers English labels with the German (original) texts as values, accepts both,
and stores the English label, as Wagtail's form submissions expect for that page.
"""

from __future__ import annotations

import json

import pytest
from wagtail.contrib.forms.models import FormSubmission

from kokreative_wagtail.consultations.models import ConsultationFormField

from ..consultations.factories import create_consultation_page, old_token
from .test_localize import translate

pytestmark = pytest.mark.django_db

API = "/api/kokreative/v1"

GERMAN_TOPICS = ["Beteiligung", "Raumplanung", "Etwas anderes"]
ENGLISH_TOPICS = ["Participation", "Spatial planning", "Something else"]
GERMAN_FORMATS = ["Vor Ort", "Online"]
ENGLISH_FORMATS = ["On site", "Online meeting"]
BR = "\r<br/>"


@pytest.fixture
def en(db):
    from wagtail.models import Locale

    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def forms(site_root, en):
    """A German form with a dropdown and checkboxes (a default), and its English translation."""
    page = create_consultation_page(
        site_root,
        fields=[
            ConsultationFormField(label="Name", field_type="singleline", required=True),
            ConsultationFormField(
                label="Thema",
                field_type="dropdown",
                required=True,
                choices="\r\n".join(GERMAN_TOPICS),
            ),
            ConsultationFormField(
                label="Format",
                field_type="checkboxes",
                required=False,
                choices="\r\n".join(GERMAN_FORMATS),
                default_value="Online",
            ),
        ],
    )
    strings = {
        "Beratungsgespräch vereinbaren": "Book a consultation",
        "beratung": "consultation",
        "Thema": "Topic",
        # wagtail-localize shows a multi-line text to the translator with <br/> line breaks
        BR.join(GERMAN_TOPICS): BR.join(ENGLISH_TOPICS),
        BR.join(GERMAN_FORMATS): BR.join(ENGLISH_FORMATS),
        "Online": "Online meeting",
    }
    return page, translate(page, en, strings)


def names(page) -> dict[str, str]:
    return {f.label: f.clean_name for f in page.form_fields.all()}


def form(client, page) -> dict:
    response = client.get(f"{API}/forms/{page.pk}")
    assert response.status_code == 200, response.content
    return response.json()


def submit(client, page, fields: dict, **headers):
    data = {"fields": fields, "token": old_token(page), "honeypot": ""}
    return client.post(
        f"{API}/forms/{page.pk}/submissions",
        json.dumps(data),
        content_type="application/json",
        **headers,
    )


def by_name(data: dict) -> dict[str, dict]:
    return {field["name"]: field for field in data["fields"]}


def test_the_translation_has_english_labels_and_the_original_values(client, forms):
    german, english = forms
    assert [f.choices.splitlines() for f in english.form_fields.all()][1] == ENGLISH_TOPICS

    de, en = by_name(form(client, german)), by_name(form(client, english))
    assert list(de) == list(en)  # the names are the same in every language
    topic, formats = names(german)["Thema"], names(german)["Format"]
    assert en[topic]["label"] == "Topic"
    assert en[topic]["choices"] == [
        {"value": value, "label": label}
        for value, label in zip(GERMAN_TOPICS, ENGLISH_TOPICS, strict=True)
    ]
    assert de[topic]["choices"] == [{"value": v, "label": v} for v in GERMAN_TOPICS]
    assert [c["value"] for c in en[formats]["choices"]] == GERMAN_FORMATS
    # the default is given as values, the same in both languages
    assert en[formats]["default"] == de[formats]["default"] == ["Online"]
    assert en[names(german)["Name"]]["choices"] == []


def test_api_v2_form_fields_have_the_same_shape_and_values(client, forms):
    german, english = forms
    ours = form(client, english)["fields"]
    v2 = client.get(f"/api/v2/pages/{english.pk}/").json()["form_fields"]
    assert v2 == ours
    v2_german = client.get(f"/api/v2/pages/{german.pk}/").json()["form_fields"]
    assert [f["choices"] for f in v2_german][1] == [{"value": v, "label": v} for v in GERMAN_TOPICS]


def test_a_value_sent_to_the_english_form_stores_the_english_label(client, forms):
    german, english = forms
    topic, formats = names(german)["Thema"], names(german)["Format"]
    response = submit(
        client,
        english,
        {
            names(german)["Name"]: "Kim",
            topic: "Raumplanung",
            formats: ["Vor Ort", "Online"],
            "privacy_consent": True,
        },
    )
    assert response.status_code == 201, response.content
    stored = FormSubmission.objects.get(page=english).get_data()
    assert stored[topic] == "Spatial planning"
    assert stored[formats] == ["On site", "Online meeting"]


def test_the_label_is_accepted_too(client, forms):
    german, english = forms
    topic = names(german)["Thema"]
    fields = {names(german)["Name"]: "Kim", topic: "Participation", "privacy_consent": True}
    response = submit(client, english, fields)
    assert response.status_code == 201, response.content
    assert FormSubmission.objects.get(page=english).get_data()[topic] == "Participation"
    # and German clients keep sending German texts to the German form
    fields[topic] = "Beteiligung"
    assert submit(client, german, fields).status_code == 201
    assert FormSubmission.objects.get(page=german).get_data()[topic] == "Beteiligung"


def test_an_unknown_choice_is_a_field_error(client, forms):
    german, english = forms
    topic, formats = names(german)["Thema"], names(german)["Format"]
    response = submit(
        client,
        english,
        {
            names(german)["Name"]: "Kim",
            topic: "Gibt es nicht",
            formats: ["Online", "Nope"],
            "privacy_consent": True,
        },
    )
    assert response.status_code == 400, response.content
    data = response.json()
    assert set(data["errors"]) == {topic, formats}
    assert isinstance(data["detail"], str) and data["detail"]
    assert not FormSubmission.objects.exists()


def test_the_html_form_of_the_translation_keeps_its_labels(client, forms):
    german, english = forms
    html = client.get(english.url).content.decode()
    for label in ENGLISH_TOPICS:
        assert f'value="{label}"' in html


def test_a_form_answers_in_its_own_language_whatever_the_browser_prefers(client, forms):
    """The English form's field errors are English in a browser that prefers German, and the
    German form's German in one that prefers English; Content-Language tells which."""
    german, english = forms
    name = names(german)["Name"]
    answers = {}
    for page, header in ((english, "de"), (german, "en")):
        response = submit(client, page, {name: ""}, HTTP_ACCEPT_LANGUAGE=header)
        assert response.status_code == 400, response.content
        answers[page.locale.language_code] = response
    assert answers["en"]["Content-Language"] == "en"
    assert answers["en"].json()["errors"][name] == ["This field is required."]
    assert answers["en"].json()["detail"] == "Please correct the marked fields."
    assert answers["de"]["Content-Language"] == "de"
    assert answers["de"].json()["errors"][name] == ["Dieses Feld muss ausgefüllt werden."]

    schema = client.get(f"{API}/forms/{english.pk}", HTTP_ACCEPT_LANGUAGE="de")
    assert schema["Content-Language"] == "en"
    assert schema.json()["title"] == "Book a consultation"
    assert schema.json()["submit_label"] == "Send"  # the default label, in the form's language
