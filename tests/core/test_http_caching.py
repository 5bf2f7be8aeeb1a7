"""ETag, Cache-Control and 304 per route, and the language headers of every API answer."""

from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

from kokreative_wagtail import http_caching

from ..consultations.factories import create_consultation_page

pytestmark = pytest.mark.django_db

API = "/api/kokreative/v1"

PUBLIC_READS = [
    f"{API}/",
    f"{API}/elements",
    f"{API}/offers",
    f"{API}/occurrences",
    f"{API}/consent",
    f"{API}/openapi.json",
    "/api/v2/pages/",
    "/api/v2/images/",
    "/api/v2/documents/",
]


def vary(response) -> set[str]:
    return {item.strip() for item in response.get("Vary", "").split(",") if item.strip()}


def directives(response) -> set[str]:
    return {item.strip() for item in response.get("Cache-Control", "").split(",") if item.strip()}


@pytest.fixture
def form_page(site_root):
    return create_consultation_page(site_root, to_address="team@example.org")


# Public reads ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PUBLIC_READS)
def test_public_reads_carry_etag_and_public_cache_control(site_root, elements, path):
    response = Client().get(path)
    assert response.status_code == 200
    assert response["ETag"].startswith('"') and response["ETag"].endswith('"')
    assert directives(response) == {"public", "max-age=60"}
    assert {"Accept-Language", "Origin"} <= vary(response)
    assert "Cookie" not in vary(response)


@pytest.mark.parametrize("path", PUBLIC_READS)
def test_if_none_match_round_trip_answers_304_without_a_body(site_root, elements, path):
    client = Client()
    first = client.get(path)
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Cache-Control"] == first["Cache-Control"]
    assert vary(again) == vary(first)


def test_v2_detail_is_a_public_read(site_root):
    client = Client()
    first = client.get(f"/api/v2/pages/{site_root.pk}/")
    assert first.status_code == 200
    assert "public" in directives(first)
    again = client.get(f"/api/v2/pages/{site_root.pk}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize(
    "header",
    [
        "{etag}",
        "W/{etag}",
        '"other", {etag}',
        '"other",W/{etag} , "third"',
        "*",
    ],
)
def test_if_none_match_forms(elements, header):
    client = Client()
    etag = client.get(f"{API}/elements")["ETag"]
    response = client.get(f"{API}/elements", HTTP_IF_NONE_MATCH=header.format(etag=etag))
    assert response.status_code == 304


@pytest.mark.parametrize("header", ['"other"', "garbage", '"', "W/", ",,,", "\x00\xff"])
def test_a_stale_or_malformed_if_none_match_gets_the_full_answer(elements, header):
    response = Client().get(f"{API}/elements", HTTP_IF_NONE_MATCH=header)
    assert response.status_code == 200
    assert json.loads(response.content)["count"] == len(elements)


def test_the_etag_changes_with_the_content_and_the_language(programme, elements):
    client = Client()
    german = client.get(f"{API}/elements", HTTP_ACCEPT_LANGUAGE="de")
    english = client.get(f"{API}/elements", HTTP_ACCEPT_LANGUAGE="en")
    assert german["Content-Language"] == "de" and english["Content-Language"] == "en"
    assert german["ETag"] != english["ETag"]  # the same bytes in another language
    # the German copy is no valid copy of the English answer
    stale = {"HTTP_IF_NONE_MATCH": german["ETag"]}
    assert client.get(f"{API}/elements", HTTP_ACCEPT_LANGUAGE="en", **stale).status_code == 200
    element = elements[0]
    element.name = "Anders"
    element.save()
    changed = client.get(f"{API}/elements", HTTP_ACCEPT_LANGUAGE="de")
    assert changed["ETag"] != german["ETag"]
    assert client.get(f"{API}/elements", HTTP_ACCEPT_LANGUAGE="de", **stale).status_code == 200


def test_head_answers_304_and_keeps_the_etag(elements):
    client = Client()
    get = client.get(f"{API}/elements")
    head = client.head(f"{API}/elements")
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == get["ETag"]
    assert client.head(f"{API}/elements", HTTP_IF_NONE_MATCH=get["ETag"]).status_code == 304


@override_settings(KOKREATIVE={"API_CACHE_MAX_AGE": 0})
def test_max_age_zero_means_revalidate_every_time(elements):
    response = Client().get(f"{API}/elements")
    assert directives(response) == {"public", "no-cache"}
    assert response["ETag"]


@override_settings(KOKREATIVE={"API_CACHE_MAX_AGE": 900})
def test_max_age_is_the_setting(site_root):
    assert "max-age=900" in directives(Client().get("/api/v2/pages/"))


# Personal answers and errors ----------------------------------------------------------------


def test_consent_status_is_private_no_store_without_etag():
    response = Client().get(f"{API}/consent/status")
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)
    assert "public" not in directives(response)
    assert "ETag" not in response
    # If-None-Match never turns a personal answer into a 304
    assert Client().get(f"{API}/consent/status", HTTP_IF_NONE_MATCH="*").status_code == 200


def test_post_consent_is_private_no_store():
    response = Client().post(
        f"{API}/consent", {"action": "decline_all"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)
    assert "ETag" not in response


def test_form_and_submission_are_private_no_store(form_page):
    response = Client().get(f"{API}/forms/{form_page.pk}")
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)
    assert "ETag" not in response
    response = Client().post(
        f"{API}/forms/{form_page.pk}/submissions", "{}", content_type="application/json"
    )
    assert response.status_code == 400
    assert "no-store" in directives(response) and "ETag" not in response


def test_preview_answers_are_never_public(site_root):
    response = Client().get("/api/v2/page_preview/", {"token": "nope", "content_type": "x.y"})
    assert response.status_code in (400, 404)
    assert "no-store" in directives(response)
    assert "public" not in directives(response)
    assert "ETag" not in response


@pytest.mark.parametrize(
    "path, status",
    [
        (f"{API}/elements?limit=abc", 400),
        (f"{API}/elements?locale=xx", 400),
        (f"{API}/nothing-here", 404),
        ("/api/v2/pages/?fields=nope", 400),
        ("/api/v2/pages/999999/", 404),
    ],
)
def test_errors_are_no_store_without_etag(site_root, path, status):
    response = Client().get(path, HTTP_IF_NONE_MATCH="*")
    assert response.status_code == status
    assert "no-store" in directives(response)
    assert "public" not in directives(response)
    assert "ETag" not in response


def test_a_405_is_no_store():
    response = Client().delete(f"{API}/elements")
    assert response.status_code == 405
    assert "no-store" in directives(response)


def test_an_undeclared_route_defaults_to_private():
    request = type("R", (), {"method": "GET", "META": {}})()
    from django.http import HttpResponse

    response = http_caching.apply_caching(request, HttpResponse(b"{}"), public=False)
    assert response["Cache-Control"] == "private, no-store"
    assert "ETag" not in response


def test_a_public_read_that_sets_a_cookie_is_private():
    from django.http import HttpResponse
    from django.test import RequestFactory

    response = HttpResponse(b"{}")
    response.set_cookie("x", "1")
    response = http_caching.apply_caching(RequestFactory().get("/"), response, public=True)
    assert "private" in response["Cache-Control"] and "ETag" not in response


def test_etag_matches_rules():
    etag = http_caching.make_etag(b"body", "de")
    assert http_caching.etag_matches(etag, etag)
    assert http_caching.etag_matches(f"W/{etag}", etag)
    assert http_caching.etag_matches("*", etag)
    assert not http_caching.etag_matches("", etag)
    assert not http_caching.etag_matches('"x"', etag)
    assert http_caching.make_etag(b"body", "en") != etag


# Language -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, header, expected",
    [
        ("", "", "de"),
        ("", "en", "en"),
        ("", "en-GB,en;q=0.9,de;q=0.5", "en"),
        ("", "fr, de;q=0.5", "de"),
        ("?locale=de", "en", "de"),
    ],
)
@pytest.mark.parametrize("path", [f"{API}/elements", "/api/v2/pages/", f"{API}/consent/status"])
def test_content_language_follows_locale_and_accept_language(
    site_root, path, query, header, expected
):
    extra = {"HTTP_ACCEPT_LANGUAGE": header} if header else {}
    response = Client().get(f"{path}{query}", **extra)
    assert response.status_code == 200
    assert response["Content-Language"] == expected
    assert "Accept-Language" in vary(response)


def test_locale_parameter_wins_over_accept_language():
    # a path that takes no locale filter: the one-language test database has no English Locale
    response = Client().get(f"{API}/consent/status?locale=en", HTTP_ACCEPT_LANGUAGE="de")
    assert response["Content-Language"] == "en"


@pytest.mark.parametrize("header, detail", [("de", "Nicht gefunden."), ("en", "Not found.")])
def test_errors_come_in_the_requested_language(header, detail):
    response = Client().get(f"{API}/nothing-here", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 404
    assert response["Content-Language"] == header
    assert response.json()["detail"] == detail


@pytest.mark.parametrize(
    "header, detail", [("de", "Ungültige Anfrage."), ("en", "Invalid request.")]
)
def test_validation_errors_come_in_the_requested_language(header, detail):
    response = Client().get(f"{API}/elements?limit=abc", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 400
    assert response["Content-Language"] == header
    assert response.json()["detail"] == detail


def test_the_request_language_does_not_stay_active(elements):
    from django.utils import translation

    before = translation.get_language()
    Client().get(f"{API}/elements", HTTP_ACCEPT_LANGUAGE="en")
    assert translation.get_language() == before


def test_every_route_of_the_api_has_its_operation_known():
    """The caching rules find each route's operation id; a route they could not identify would
    silently be private, and a renamed public one would lose its caching."""
    from ninja import NinjaAPI

    from kokreative_wagtail.api import GET_ONLY_URL_NAMES, get_api, operation_ids
    from kokreative_wagtail.capabilities import public_read_operations

    api = get_api()
    patterns = NinjaAPI.urls.fget(api)[0]
    known: set[str] = set()
    for pattern in patterns:
        if pattern.name in GET_ONLY_URL_NAMES:
            continue
        operations = operation_ids(api, pattern.callback)
        assert operations, pattern
        known.update(operations.values())
    public = http_caching.PUBLIC_READ_OPERATIONS | public_read_operations()
    assert {"list_offers", "list_occurrences", "list_cookie_groups"} <= public
    assert public - {"openapi-json"} <= known
    assert {"get_consent_status", "record_consent", "get_form", "submit_form"} <= known
    registrations = {
        "get_event_registration",  # carries a form token: never shared
        "register_for_event",
        "lookup_registration",
        "confirm_registration",
        "cancel_registration",
    }
    assert registrations <= known
    assert not registrations & public
