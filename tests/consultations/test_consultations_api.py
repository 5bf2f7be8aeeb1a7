"""JSON API of consultation forms: the schema, the submission endpoint and every kind of bad
input (a clear 4xx, never a 500, nothing stored)."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client, override_settings
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Page, PageViewRestriction

from kokreative_wagtail import spam
from kokreative_wagtail.models import KokreativeSettings

from ..factories import ElementFactory, add_page
from ..offers.factories import create_second_site
from .factories import create_consultation_page, field_names, old_token, valid_values

pytestmark = pytest.mark.django_db

API = "/api/kokreative/v1"


@pytest.fixture
def form_page(site_root):
    ElementFactory(name="Kultureller Wandel", sort_order=1)
    ElementFactory(name="Raumstrukturen", sort_order=2)
    return create_consultation_page(site_root, to_address="team@example.org")


def body(page, /, **overrides):
    data = {"fields": valid_values(page), "token": old_token(page), "honeypot": ""}
    data.update(overrides)
    return data


def submit(client, page_or_id, data, **extra):
    page_id = getattr(page_or_id, "pk", page_or_id)
    payload = data if isinstance(data, (str, bytes)) else json.dumps(data)
    extra.setdefault("content_type", "application/json")
    return client.post(f"{API}/forms/{page_id}/submissions", payload, **extra)


def assert_error(response, status, *fields):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert isinstance(data["detail"], str) and data["detail"]
    for field in fields:
        assert field in data["errors"], data
        assert all(isinstance(m, str) and m for m in data["errors"][field])
    assert not FormSubmission.objects.exists()
    return data


# GET forms/{id} ---------------------------------------------------------------------------------


def test_form_schema(client, site_root, form_page, django_assert_max_num_queries):
    privacy = add_page(site_root, Page, title="Datenschutz", slug="datenschutz")
    site_settings = KokreativeSettings.for_site(site_root.get_site())
    site_settings.privacy_page = privacy
    site_settings.save()

    with django_assert_max_num_queries(12):
        response = client.get(f"{API}/forms/{form_page.pk}")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["id"] == form_page.pk
    n = field_names(form_page)
    fields = {f["name"]: f for f in data["fields"]}
    assert list(fields) == list(n.values())
    assert fields[n["email"]]["type"] == "email"
    assert fields[n["email"]]["required"] is True
    assert fields[n["phone"]]["required"] is False
    assert fields[n["topic"]]["type"] == "dropdown"
    assert fields[n["topic"]]["choices"][:2] == [
        {"value": "Kultureller Wandel", "label": "Kultureller Wandel"},
        {"value": "Raumstrukturen", "label": "Raumstrukturen"},
    ]
    assert fields[n["role"]]["help_text"].startswith("Zum Beispiel Verwaltung")
    assert fields[n["message"]]["max_length"] == 5000
    assert data["consent"] == {
        "name": "privacy_consent",
        "text": "Ich bin einverstanden, dass meine Angaben zur Beantwortung meiner Anfrage "
        "gespeichert und verarbeitet werden.",
        "privacy_url": privacy.url,
        "required": True,
    }
    assert spam.read_token(data["token"]).page_id == form_page.pk
    assert "team@example.org" not in response.content.decode()


def test_schema_of_unknown_unpublished_private_and_other_pages_is_404(client, site_root, form_page):
    draft = create_consultation_page(site_root, slug="entwurf")
    draft.unpublish()
    private = create_consultation_page(site_root, slug="privat")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    plain = add_page(site_root, Page, title="Keine Form", slug="keine-form")
    _site, other_root = create_second_site()
    foreign = create_consultation_page(other_root, slug="fremd")
    for page_id in (999999, draft.pk, private.pk, plain.pk, foreign.pk):
        response = client.get(f"{API}/forms/{page_id}")
        assert response.status_code == 404, page_id
        assert response.json()["detail"]
    assert client.get(f"{API}/forms/not-a-number").status_code in (400, 404)


# POST forms/{id}/submissions --------------------------------------------------------------------


def test_valid_submission_is_stored_once(client, form_page, mailoutbox):
    response = submit(client, form_page, body(form_page))
    assert response.status_code == 201, response.content
    assert "no-store" in response["Cache-Control"]
    assert "Vielen Dank" in response.json()["thank_you_text"]
    [submission] = FormSubmission.objects.all()
    n = field_names(form_page)
    assert submission.page_id == form_page.pk
    assert submission.form_data[n["name"]] == "Kim Muster"
    assert submission.form_data["privacy_consent"] is True
    assert set(submission.form_data) == {*n.values(), "privacy_consent"}


def test_same_validation_as_the_html_form(client, form_page):
    n = field_names(form_page)
    values = valid_values(form_page)
    values[n["topic"]] = "Nicht in der Liste"
    del values[n["name"]]
    values["privacy_consent"] = False
    data = assert_error(
        submit(client, form_page, body(form_page, fields=values)),
        400,
        n["topic"],
        n["name"],
        "privacy_consent",
    )
    assert "Bitte stimmt" in data["errors"]["privacy_consent"][0]


@pytest.mark.parametrize(
    ("key", "value"),
    [("id", 5), ("page", 1), ("submit_time", "2020-01-01"), (spam.TOKEN_FIELD, "x")],
)
def test_extra_fields_are_rejected(client, form_page, key, value):
    values = {**valid_values(form_page), key: value}
    data = assert_error(submit(client, form_page, body(form_page, fields=values)), 400, key)
    assert data["errors"][key] == ["Unbekanntes Feld."]


@pytest.mark.parametrize("key", ["page", "submit_time", "id"])
def test_extra_top_level_keys_are_rejected(client, form_page, key):
    assert_error(submit(client, form_page, body(form_page, **{key: 1})), 400, key)


def test_missing_token_and_fields(client, form_page):
    assert_error(submit(client, form_page, {"fields": valid_values(form_page)}), 400, "token")
    assert_error(submit(client, form_page, {"token": old_token(form_page)}), 400, "fields")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", 42),
        ("name", True),
        ("name", ["Kim"]),
        ("name", {"first": "Kim"}),
        ("privacy_consent", "yes"),
        ("privacy_consent", 1),
    ],
)
def test_wrong_types_are_field_errors(client, form_page, field, value):
    n = {**field_names(form_page), "privacy_consent": "privacy_consent"}
    values = {**valid_values(form_page), n[field]: value}
    assert_error(submit(client, form_page, body(form_page, fields=values)), 400, n[field])


@pytest.mark.parametrize("fields", [[], "text", 5, None])
def test_fields_must_be_an_object(client, form_page, fields):
    assert_error(submit(client, form_page, body(form_page, fields=fields)), 400, "fields")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "kein-at"),
        ("email", "a@" + "b" * 300 + ".de"),  # long addresses are bounded (CVE-2023-36053)
        ("message", "x" * 5001),
        ("name", "x" * 256),
        ("name", ""),
    ],
)
def test_invalid_and_oversized_values(client, form_page, field, value):
    n = field_names(form_page)
    values = {**valid_values(form_page), n[field]: value}
    assert_error(submit(client, form_page, body(form_page, fields=values)), 400, n[field])


@override_settings(KOKREATIVE={"FORM_MAX_BODY_BYTES": 2000})
def test_body_size_limit(client, form_page):
    n = field_names(form_page)
    values = {**valid_values(form_page), n["message"]: "x" * 3000}
    assert_error(submit(client, form_page, body(form_page, fields=values)), 413)


@pytest.mark.parametrize(
    "payload",
    ["not json", "{", "[1, 2]", '"text"', "null", '{"fields": NaN}', b"\xff\xfe"],
)
def test_non_json_bodies(client, form_page, payload):
    assert_error(submit(client, form_page, payload), 400)


def test_other_content_types_are_refused(client, form_page):
    response = client.post(
        f"{API}/forms/{form_page.pk}/submissions", {"token": "x"}
    )  # a cross-site HTML form sends this
    assert_error(response, 415)
    assert_error(
        submit(client, form_page, json.dumps(body(form_page)), content_type="text/plain"), 415
    )


def test_unknown_unpublished_private_pages_are_404(client, site_root, form_page):
    draft = create_consultation_page(site_root, slug="entwurf")
    draft.unpublish()
    private = create_consultation_page(site_root, slug="privat")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    plain = add_page(site_root, Page, title="Keine Form", slug="keine-form")
    for page in (999999, draft, private, plain):
        assert_error(submit(client, page, body(form_page)), 404)


@pytest.mark.parametrize(
    ("overrides", "text"),
    [
        ({"honeypot": "http://spam.example"}, "leer bleiben muss"),
        ({"token": "forged"}, "konnte nicht geprüft werden"),
    ],
)
def test_spam_is_rejected(client, form_page, overrides, text):
    data = assert_error(submit(client, form_page, body(form_page, **overrides)), 400)
    assert text in data["detail"]


def test_too_fast_and_token_of_another_form(client, site_root, form_page):
    fresh = client.get(f"{API}/forms/{form_page.pk}").json()["token"]
    data = assert_error(submit(client, form_page, body(form_page, token=fresh)), 400)
    assert "schneller gesendet, als ein Mensch" in data["detail"]
    other = create_consultation_page(site_root, slug="andere")
    assert_error(submit(client, form_page, body(form_page, token=old_token(other))), 400)


@override_settings(KOKREATIVE={"FORM_MIN_FILL_SECONDS": 1})
def test_token_from_the_schema_works_after_the_fill_time(client, form_page):
    token = client.get(f"{API}/forms/{form_page.pk}").json()["token"]
    time.sleep(1.1)
    assert submit(client, form_page, body(form_page, token=token)).status_code == 201


@override_settings(KOKREATIVE={"FORM_RATE_LIMIT": 2})
def test_rate_limit_answers_429_for_html_and_json_together(client, form_page):
    from .factories import valid_post

    assert client.post(form_page.url, valid_post(form_page)).status_code == 200
    assert submit(client, form_page, body(form_page)).status_code == 201
    response = submit(client, form_page, body(form_page))
    assert response.status_code == 429
    assert "zu viele Anfragen" in response.json()["detail"]
    assert FormSubmission.objects.count() == 2


def test_csrf_for_browsers_with_the_sites_cookies(form_page, django_user_model):
    csrf_client = Client(enforce_csrf_checks=True)
    # no cookies (a server-side front end): the form token is the safeguard
    assert submit(csrf_client, form_page, body(form_page)).status_code == 201

    # a browser with a session must send Django's CSRF token, as for any POST of the site
    user = django_user_model.objects.create_user("besuch", "b@example.org", "pw")
    csrf_client.force_login(user)
    response = submit(csrf_client, form_page, body(form_page))
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert FormSubmission.objects.count() == 1

    csrf_client.get(form_page.url)  # the HTML page sets the CSRF cookie
    token = csrf_client.cookies["csrftoken"].value
    response = submit(
        csrf_client,
        form_page,
        body(form_page),
        HTTP_X_CSRFTOKEN=token,
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 201, response.content
    assert FormSubmission.objects.count() == 2


def test_failing_mail_server_still_answers_201(
    client, form_page, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.consultations.factories.FailingEmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client, form_page, body(form_page))
    assert response.status_code == 201
    assert FormSubmission.objects.count() == 1


def test_openapi_documents_the_form_endpoints(client):
    schema = client.get(f"{API}/openapi.json").json()
    get_op = schema["paths"][f"{API}/forms/{{page_id}}"]["get"]
    post_op = schema["paths"][f"{API}/forms/{{page_id}}/submissions"]["post"]
    assert set(get_op["responses"]) >= {"200", "404"}
    assert set(post_op["responses"]) >= {"201", "400", "404", "413", "415", "429"}
    request_schema = post_op["requestBody"]["content"]["application/json"]["schema"]
    assert set(request_schema["required"]) == {"fields", "token"}
    assert request_schema["additionalProperties"] is False
