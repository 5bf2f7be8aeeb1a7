"""CORS by ``KOKREATIVE["CORS_ALLOWED_ORIGINS"]`` on our API, the page API and previews.

Preflights and actual responses, credentials only for listed origins, ``"*"`` without them,
nothing at all while the setting is empty, hostile ``Origin`` values, and the system check.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from django.test import Client, override_settings

from kokreative_wagtail import cors

from ..consultations.factories import create_consultation_page

pytestmark = pytest.mark.django_db

API = "/api/kokreative/v1"
FRONT = "https://front.example"
OTHER = "https://evil.example"
LISTED = {"CORS_ALLOWED_ORIGINS": [FRONT, "http://localhost:3000"]}
WILDCARD = {"CORS_ALLOWED_ORIGINS": ["*"]}
OFF = {"CORS_ALLOWED_ORIGINS": []}


def cors_headers(response) -> dict[str, str]:
    return {
        name: value
        for name, value in response.headers.items()
        if name.lower().startswith("access-control-")
    }


def vary(response) -> list[str]:
    return [item.strip() for item in response.get("Vary", "").split(",") if item.strip()]


def preflight(path: str, origin: str = FRONT, method: str = "GET", headers: str = ""):
    extra = {"HTTP_ORIGIN": origin, "HTTP_ACCESS_CONTROL_REQUEST_METHOD": method}
    if headers:
        extra["HTTP_ACCESS_CONTROL_REQUEST_HEADERS"] = headers
    return Client(enforce_csrf_checks=True).options(path, **extra)


@pytest.fixture
def form_page(site_root):
    return create_consultation_page(site_root, to_address="team@example.org")


# Preflights -----------------------------------------------------------------------------------


@override_settings(KOKREATIVE=LISTED)
@pytest.mark.parametrize(
    "path, methods",
    [
        (f"{API}/", "GET, HEAD, OPTIONS"),
        (f"{API}/elements", "GET, HEAD, OPTIONS"),
        (f"{API}/offers", "GET, HEAD, OPTIONS"),
        (f"{API}/occurrences", "GET, HEAD, OPTIONS"),
        (f"{API}/consent", "GET, HEAD, POST, OPTIONS"),
        (f"{API}/consent/status", "GET, HEAD, OPTIONS"),
        (f"{API}/registrations/cancel", "POST, OPTIONS"),
        (f"{API}/openapi.json", "GET, HEAD, OPTIONS"),
        (f"{API}/nothing-here", "GET, HEAD, OPTIONS"),
        ("/api/v2/pages/", "GET, HEAD, OPTIONS"),
        ("/api/v2/pages/find/", "GET, HEAD, OPTIONS"),
        ("/api/v2/images/", "GET, HEAD, OPTIONS"),
        ("/api/v2/documents/", "GET, HEAD, OPTIONS"),
        ("/api/v2/page_preview/", "GET, HEAD, OPTIONS"),
    ],
)
def test_preflight_of_every_api_area_grants_a_listed_origin(site_root, path, methods):
    response = preflight(path, headers="content-type, accept-language, x-custom, X-CSRFToken")
    assert response.status_code == 204
    assert response.content == b""
    assert response["Access-Control-Allow-Origin"] == FRONT
    assert response["Access-Control-Allow-Credentials"] == "true"
    assert response["Access-Control-Allow-Methods"] == methods
    assert response["Allow"] == methods
    # only the requested headers of the documented allow list; x-custom is not granted
    assert response["Access-Control-Allow-Headers"] == "Content-Type, Accept-Language, X-CSRFToken"
    assert response["Access-Control-Max-Age"] == "3600"
    assert "Origin" in vary(response)


@override_settings(KOKREATIVE=LISTED)
def test_preflight_of_the_submission_path(form_page):
    response = preflight(
        f"{API}/forms/{form_page.pk}/submissions", method="POST", headers="content-type"
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Methods"] == "POST, OPTIONS"
    assert response["Access-Control-Allow-Headers"] == "Content-Type"


@override_settings(KOKREATIVE=LISTED)
def test_preflight_of_a_v2_detail(site_root):
    response = preflight(f"/api/v2/pages/{site_root.pk}/", headers="if-none-match")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == FRONT
    assert response["Access-Control-Allow-Headers"] == "If-None-Match"


@override_settings(KOKREATIVE={**LISTED, "CORS_PREFLIGHT_MAX_AGE": 600})
def test_preflight_max_age_is_the_setting():
    assert preflight(f"{API}/elements")["Access-Control-Max-Age"] == "600"


@override_settings(KOKREATIVE=LISTED)
@pytest.mark.parametrize("path", [f"{API}/elements", "/api/v2/pages/", f"{API}/consent"])
def test_preflight_of_an_origin_not_listed_grants_nothing(site_root, path):
    response = preflight(path, origin=OTHER, method="POST", headers="content-type")
    assert response.status_code == 204  # answered, but the browser refuses the request
    assert cors_headers(response) == {}


@override_settings(KOKREATIVE=OFF)
@pytest.mark.parametrize("path", [f"{API}/elements", "/api/v2/pages/", f"{API}/nothing"])
def test_no_cors_headers_at_all_while_off(site_root, path):
    response = preflight(path)
    assert response.status_code == 204
    assert cors_headers(response) == {}
    response = Client().get(path, HTTP_ORIGIN=FRONT)
    assert cors_headers(response) == {}


@override_settings(KOKREATIVE=WILDCARD)
def test_wildcard_allows_any_origin_without_credentials(site_root):
    response = preflight(f"{API}/elements", origin=OTHER, headers="accept")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert response["Access-Control-Allow-Headers"] == "Accept"
    response = Client().get("/api/v2/pages/", HTTP_ORIGIN=OTHER)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


@override_settings(KOKREATIVE={"CORS_ALLOWED_ORIGINS": ["*", FRONT]})
def test_a_listed_origin_keeps_its_credentials_next_to_the_wildcard():
    listed = Client().get(f"{API}/elements", HTTP_ORIGIN=FRONT)
    assert listed["Access-Control-Allow-Origin"] == FRONT
    assert listed["Access-Control-Allow-Credentials"] == "true"
    other = Client().get(f"{API}/elements", HTTP_ORIGIN=OTHER)
    assert other["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in other


# Actual responses -----------------------------------------------------------------------------


@override_settings(KOKREATIVE=LISTED)
@pytest.mark.parametrize(
    "path, status",
    [
        (f"{API}/elements", 200),
        (f"{API}/elements?limit=abc", 400),
        (f"{API}/nothing-here", 404),
        (f"{API}/consent/status", 200),
        ("/api/v2/pages/", 200),
        ("/api/v2/pages/?fields=nope", 400),
        ("/api/v2/pages/999999/", 404),
        ("/api/v2/page_preview/", 400),
    ],
)
def test_actual_responses_carry_the_grant_and_expose_headers(site_root, path, status):
    response = Client().get(path, HTTP_ORIGIN=FRONT)
    assert response.status_code == status
    assert response["Access-Control-Allow-Origin"] == FRONT
    assert response["Access-Control-Allow-Credentials"] == "true"
    exposed = [name.strip() for name in response["Access-Control-Expose-Headers"].split(",")]
    assert {"ETag", "Content-Language", "Retry-After", "Allow", "Location"} <= set(exposed)
    assert "Origin" in vary(response)


@override_settings(KOKREATIVE=LISTED)
def test_a_405_and_a_post_carry_the_grant(form_page):
    response = Client().delete(f"{API}/elements", HTTP_ORIGIN=FRONT)
    assert response.status_code == 405
    assert response["Access-Control-Allow-Origin"] == FRONT
    response = Client().post(
        f"{API}/forms/{form_page.pk}/submissions",
        "{}",
        content_type="application/json",
        HTTP_ORIGIN=FRONT,
    )
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == FRONT


@override_settings(KOKREATIVE=LISTED)
def test_origin_matching_ignores_a_default_port_and_case():
    assert cors.grant_for("https://front.example:443") is not None
    assert cors.grant_for("HTTPS://FRONT.EXAMPLE") is not None
    assert cors.grant_for("http://front.example") is None  # another scheme, another origin
    assert cors.grant_for("https://front.example:8443") is None
    assert cors.grant_for("https://sub.front.example") is None
    assert cors.grant_for("http://localhost:3000").credentials is True


@override_settings(KOKREATIVE={"CORS_ALLOWED_ORIGINS": [FRONT, "*"]})
@pytest.mark.parametrize(
    "origin",
    [
        "null",
        "https://front.example/",
        "https://front.example/path",
        "https://front.example\r\nSet-Cookie: x=1",
        "https://fr\x00ont.example",
        "https://front.example\xff\xfe",
        "\u00e4\u00f6\u00fc",
        "",
        "https://" + "a" * 5000,
        "javascript:alert(1)",
    ],
)
def test_malformed_origins_never_fail_and_are_never_echoed(site_root, origin):
    for response in (
        Client().get(f"{API}/elements", HTTP_ORIGIN=origin),
        Client().get("/api/v2/pages/", HTTP_ORIGIN=origin),
        preflight(f"{API}/elements", origin=origin),
        preflight("/api/v2/pages/", origin=origin),
    ):
        assert response.status_code in (200, 204)
        # at most the wildcard: a malformed origin is no listed one
        assert response.get("Access-Control-Allow-Origin", "*") == "*"
        assert "Access-Control-Allow-Credentials" not in response


@override_settings(KOKREATIVE=LISTED)
@pytest.mark.parametrize("origin", ["null", "https://front.example/", "garbage"])
def test_malformed_origins_get_nothing_without_a_wildcard(origin):
    assert cors_headers(Client().get(f"{API}/elements", HTTP_ORIGIN=origin)) == {}
    assert cors_headers(preflight(f"{API}/elements", origin=origin)) == {}


def test_an_options_request_without_origin_is_no_preflight(client):
    response = client.options(f"{API}/elements", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert response.status_code == 204
    assert cors_headers(response) == {}


# Helpers and the system check ----------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("https://example.org", "https://example.org"),
        ("https://Example.ORG:443", "https://example.org"),
        ("http://example.org:80", "http://example.org"),
        ("http://localhost:3000", "http://localhost:3000"),
        ("http://[::1]:8000", "http://[::1]:8000"),
        ("http://127.0.0.1:3000", "http://127.0.0.1:3000"),
        ("https://example.org/", None),
        ("https://example.org/path", None),
        ("https://*.example.org", None),
        ("ftp://example.org", None),
        ("example.org", None),
        ("https://example.org:99999", None),
        (" https://example.org", None),
        ("null", None),
        (None, None),
        (42, None),
    ],
)
def test_normalize_origin(value, expected):
    assert cors.normalize_origin(value) == expected


def test_allowed_request_headers_keeps_only_the_allow_list():
    assert cors.allowed_request_headers("x-consent-token, IF-NONE-MATCH, cookie, ,") == [
        "X-Consent-Token",
        "If-None-Match",
    ]
    assert cors.allowed_request_headers("") == []


@override_settings(
    KOKREATIVE={
        "CORS_ALLOWED_ORIGINS": [
            "*",
            "https://front.example",
            "https://app.example.org",
            "https://front.example/",
            "localhost:3000",
            7,
        ],
        "CORS_PREFLIGHT_MAX_AGE": -1,
    },
    CSRF_TRUSTED_ORIGINS=["https://front.example", "https://*.example.org"],
)
def test_system_check_reports_malformed_entries():
    messages = cors.check_cors_settings()
    errors = [m for m in messages if m.id == "kokreative_wagtail.E007"]
    assert len(errors) == 4  # three malformed entries and the negative max age
    assert any("'https://front.example/'" in m.msg for m in errors)
    assert any("'localhost:3000'" in m.msg for m in errors)
    # both valid origins are trusted for CSRF (exactly, and through the *.example.org entry)
    assert not [m for m in messages if m.id == "kokreative_wagtail.W009"]


@override_settings(KOKREATIVE={"CORS_ALLOWED_ORIGINS": [FRONT]}, CSRF_TRUSTED_ORIGINS=[])
def test_system_check_warns_about_an_origin_csrf_does_not_trust():
    (message,) = cors.check_cors_settings()
    assert message.id == "kokreative_wagtail.W009"
    assert "CSRF_TRUSTED_ORIGINS" in message.msg


@override_settings(KOKREATIVE=OFF)
def test_system_check_is_quiet_when_off():
    assert cors.check_cors_settings() == []


@pytest.mark.parametrize("debug, origins", [("1", 2), ("0", 0)])
def test_example_site_allows_the_dev_server_origins_only_with_debug(monkeypatch, debug, origins):
    monkeypatch.setenv("DEBUG", debug)
    path = Path(__file__).resolve().parents[2] / "example_site/kokreative_example/settings.py"
    values = runpy.run_path(str(path))
    expected = ["http://localhost:3000", "http://127.0.0.1:3000"][:origins]
    assert values["KOKREATIVE"]["CORS_ALLOWED_ORIGINS"] == expected
    assert values["CSRF_TRUSTED_ORIGINS"] == expected
