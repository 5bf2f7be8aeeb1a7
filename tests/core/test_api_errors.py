"""Every answer below ``api/kokreative/v1/`` is JSON in our error shape, whatever the method.

404 for unknown paths, 405 with ``Allow``, HEAD like GET without a body, OPTIONS with ``Allow``,
the API root as a JSON index, 413/415 of the submission endpoint and 429 with ``Retry-After``;
and the OpenAPI document lists the 405 and the headers.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from kokreative_wagtail import ratelimit
from kokreative_wagtail.api import allow_header

from ..consultations.factories import create_consultation_page, old_token, valid_values

pytestmark = pytest.mark.django_db

API = "/api/kokreative/v1"


@pytest.fixture
def strict_client() -> Client:
    """A client as browsers and scripts are: Django's CSRF check is on."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def form_page(site_root):
    return create_consultation_page(site_root, to_address="team@example.org")


def assert_error(response, status: int) -> dict:
    """Our error shape: JSON ``{"detail": text, "errors": {field: [texts]}}``."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert set(data) == {"detail", "errors"}
    assert isinstance(data["detail"], str) and data["detail"]
    assert isinstance(data["errors"], dict)
    for messages in data["errors"].values():
        assert all(isinstance(message, str) for message in messages)
    return data


def allowed(response) -> list[str]:
    return [method.strip() for method in response["Allow"].split(",")]


# 404 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post", "put", "delete", "options"])
def test_unknown_path_is_a_json_404_for_every_method(strict_client, method):
    response = getattr(strict_client, method)(f"{API}/nothing-here")
    assert_error(response, 404)


def test_head_of_an_unknown_path_is_a_404_without_body(strict_client):
    response = strict_client.head(f"{API}/nothing-here")
    assert response.status_code == 404
    assert response.content == b""


# the API root --------------------------------------------------------------------------------


def test_the_api_root_is_a_json_index_with_links(client):
    response = client.get(f"{API}/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert data["name"] == "Kokreative Kommune API"
    assert data["version"]
    assert data["links"] == {"openapi": f"{API}/openapi.json", "docs": f"{API}/docs"}
    assert client.get(data["links"]["openapi"]).status_code == 200
    assert client.get(data["links"]["docs"]).status_code == 200


def test_the_api_root_answers_head_options_and_405(strict_client):
    head = strict_client.head(f"{API}/")
    assert head.status_code == 200 and head.content == b""
    options = strict_client.options(f"{API}/")
    assert options.status_code == 204
    assert allowed(options) == ["GET", "HEAD", "OPTIONS"]
    response = strict_client.post(f"{API}/", "{}", content_type="application/json")
    assert_error(response, 405)
    assert allowed(response) == ["GET", "HEAD", "OPTIONS"]


# 405 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_method_a_get_path_lacks_is_a_json_405_with_allow(strict_client, method):
    response = getattr(strict_client, method)(f"{API}/elements", "{}", "application/json")
    data = assert_error(response, 405)
    assert allowed(response) == ["GET", "HEAD", "OPTIONS"]
    assert method.upper() in data["detail"]


def test_a_method_a_post_path_lacks_is_a_json_405_with_allow(strict_client, form_page):
    url = f"{API}/forms/{form_page.pk}/submissions"
    for response in (strict_client.get(url), strict_client.delete(url)):
        assert_error(response, 405)
        assert allowed(response) == ["POST", "OPTIONS"]


def test_a_path_with_get_and_post_allows_both(strict_client):
    response = strict_client.put(f"{API}/consent", "{}", "application/json")
    assert_error(response, 405)
    assert allowed(response) == ["GET", "HEAD", "POST", "OPTIONS"]


@pytest.mark.parametrize("path", ["openapi.json", "docs"])
def test_the_openapi_document_and_docs_answer_only_get(strict_client, path):
    response = strict_client.post(f"{API}/{path}", "{}", content_type="application/json")
    assert_error(response, 405)
    assert allowed(response) == ["GET", "HEAD", "OPTIONS"]


def test_allow_header_order():
    assert allow_header(["POST", " GET"]) == "GET, HEAD, POST, OPTIONS"
    assert allow_header(["post"]) == "POST, OPTIONS"


# HEAD and OPTIONS --------------------------------------------------------------------------


def test_head_is_get_without_the_body(client, elements):
    get = client.get(f"{API}/elements")
    head = client.head(f"{API}/elements")
    assert head.status_code == 200
    assert head["Content-Type"] == get["Content-Type"]
    assert head["Content-Length"] == str(len(get.content))
    assert head.content == b""


def test_head_of_a_get_endpoint_keeps_its_errors(client):
    response = client.head(f"{API}/elements", {"limit": "abc"})
    assert response.status_code == 400
    assert response.content == b""


def test_head_of_a_post_only_path_is_a_405(client, form_page):
    response = client.head(f"{API}/forms/{form_page.pk}/submissions")
    assert response.status_code == 405
    assert allowed(response) == ["POST", "OPTIONS"]


@pytest.mark.parametrize(
    "path, methods",
    [
        ("elements", ["GET", "HEAD", "OPTIONS"]),
        ("consent", ["GET", "HEAD", "POST", "OPTIONS"]),
        ("openapi.json", ["GET", "HEAD", "OPTIONS"]),
    ],
)
def test_options_answers_204_with_allow(strict_client, path, methods):
    response = strict_client.options(f"{API}/{path}")
    assert response.status_code == 204
    assert allowed(response) == methods
    assert response.content == b""


def test_options_of_a_form_submission_path(strict_client, form_page):
    response = strict_client.options(f"{API}/forms/{form_page.pk}/submissions")
    assert response.status_code == 204
    assert allowed(response) == ["POST", "OPTIONS"]


def test_a_cors_preflight_without_cors_configured_allows_no_origin(strict_client, form_page):
    """An origin not in KOKREATIVE["CORS_ALLOWED_ORIGINS"] (tests/core/test_cors.py has the rest):
    the preflight is answered, but grants that origin nothing."""
    response = strict_client.options(
        f"{API}/forms/{form_page.pk}/submissions",
        HTTP_ORIGIN="https://elsewhere.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )
    assert response.status_code == 204
    assert "Access-Control-Allow-Origin" not in response


def test_a_cors_preflight_is_still_answered_by_django_cors_headers(settings, form_page):
    """With django-cors-headers, its middleware answers the preflight before our view."""
    pytest.importorskip("corsheaders")
    settings.MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware", *settings.MIDDLEWARE]
    settings.CORS_ALLOWED_ORIGINS = ["https://front.example"]
    response = Client().options(
        f"{API}/forms/{form_page.pk}/submissions",
        HTTP_ORIGIN="https://front.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "https://front.example"


# 413, 415, 429 of the submission endpoint ----------------------------------------------------


def submit(client, page, payload, content_type="application/json", **extra):
    data = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
    return client.post(
        f"{API}/forms/{page.pk}/submissions", data, content_type=content_type, **extra
    )


def test_too_large_body_is_a_json_413(client, settings, form_page):
    settings.KOKREATIVE = {"FORM_MAX_BODY_BYTES": 100}
    payload = {"fields": valid_values(form_page), "token": old_token(form_page)}
    data = assert_error(submit(client, form_page, payload), 413)
    assert "100" in data["detail"]


def test_a_body_over_djangos_upload_limit_is_a_json_413(client, settings):
    """``DATA_UPLOAD_MAX_MEMORY_SIZE``: Django's own limit, else its HTML 400 page."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100
    payload = json.dumps({"action": "save", "groups": {f"g{i}": True for i in range(50)}})
    response = client.post(f"{API}/consent", payload, content_type="application/json")
    data = assert_error(response, 413)
    assert "100" in data["detail"]


def test_wrong_content_type_is_a_json_415(client, form_page):
    response = submit(client, form_page, "a=1", content_type="application/x-www-form-urlencoded")
    assert_error(response, 415)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_a_consent_decision_not_sent_as_json_is_a_json_415(client, content_type):
    from kokreative_wagtail.consent.models import ConsentRecord

    response = client.post(f"{API}/consent", "action=accept_all", content_type=content_type)
    data = assert_error(response, 415)
    assert "application/json" in data["detail"]
    assert ConsentRecord.objects.count() == 0


def test_rate_limit_is_a_json_429_with_retry_after(client, settings, form_page):
    settings.KOKREATIVE = {"FORM_RATE_LIMIT": 1, "FORM_RATE_LIMIT_WINDOW": 600}
    # the first attempt counts even when it is rejected (here: an invalid token)
    assert_error(submit(client, form_page, {"fields": {}, "token": "x"}), 400)
    payload = {"fields": valid_values(form_page), "token": old_token(form_page)}
    response = submit(client, form_page, payload)
    assert_error(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 600


def test_retry_after_is_the_rest_of_the_window():
    assert ratelimit.retry_after(600, now=6000.0) == 600
    assert ratelimit.retry_after(600, now=6000.5) == 600
    assert ratelimit.retry_after(600, now=6599.2) == 1
    assert ratelimit.retry_after(600, now=6300.0) == 300


# the OpenAPI document ------------------------------------------------------------------------


def test_openapi_lists_405_on_every_operation_and_retry_after_on_429(client):
    schema = client.get(f"{API}/openapi.json").json()
    operations = {
        (method, path): operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }
    assert ("get", f"{API}/") in operations
    for operation in operations.values():
        response = operation["responses"]["405"]
        assert "Allow" in response["headers"]
        assert response["content"]["application/json"]["schema"]["$ref"].endswith("ErrorSchema")
    for path in ("forms/{page_id}/submissions", "events/{page_id}/registrations"):
        submitting = operations[("post", f"{API}/{path}")]
        assert "Retry-After" in submitting["responses"]["429"]["headers"]
    for operation in operations.values():
        assert ("413" in operation["responses"]) == ("requestBody" in operation)
