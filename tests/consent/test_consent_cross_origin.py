"""Consent from a front end on another site: CSRF causes, cookieless requests, the token."""

from __future__ import annotations

import json

import pytest
from django.core import signing
from django.test import Client, RequestFactory, override_settings

from kokreative_wagtail.consent import tokens
from kokreative_wagtail.consent.models import ConsentRecord
from kokreative_wagtail.consent.state import get_consent_state
from kokreative_wagtail.csrf import csrf_failure

pytestmark = pytest.mark.django_db

API = "/api/kokreative/v1/consent"
FRONT = "https://front.example"
EVIL = "https://evil.example"
CROSS_SITE = {
    "KOKREATIVE": {"CORS_ALLOWED_ORIGINS": [FRONT]},
    "CSRF_TRUSTED_ORIGINS": [FRONT],
}
SAVE = {"action": "save", "groups": {"statistics": False, "external_media": True}}


def post(client, body, **extra):
    extra.setdefault("HTTP_ACCEPT_LANGUAGE", "en")  # the messages asserted are the English ones
    return client.post(API, json.dumps(body), content_type="application/json", **extra)


def browser():
    """A browser on the site: the CSRF cookie and its token from ``GET consent/status``."""
    client = Client(enforce_csrf_checks=True)
    token = client.get(f"{API}/status").json()["csrf_token"]
    return client, token


# CSRF: the 403 names the real cause -------------------------------------------------------


@override_settings(**CROSS_SITE)
def test_an_untrusted_origin_is_named_although_the_token_was_sent():
    client, token = browser()
    response = post(client, SAVE, HTTP_X_CSRFTOKEN=token, HTTP_ORIGIN=EVIL)
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert f"origin {EVIL} is not trusted" in detail
    assert "CSRF_TRUSTED_ORIGINS" in detail
    assert not ConsentRecord.objects.exists()


@override_settings(**CROSS_SITE)
def test_a_trusted_origin_with_cookie_and_token_passes():
    client, token = browser()
    response = post(client, SAVE, HTTP_X_CSRFTOKEN=token, HTTP_ORIGIN=FRONT)
    assert response.status_code == 200, response.content
    assert response["Access-Control-Allow-Origin"] == FRONT
    assert response["Access-Control-Allow-Credentials"] == "true"


def test_a_missing_token_is_named():
    client, _token = browser()
    response = post(client, SAVE)
    assert response.status_code == 403
    assert "send the CSRF token in the X-CSRFToken header" in response.json()["detail"]


def test_a_wrong_token_is_named():
    client, _token = browser()
    response = post(client, SAVE, HTTP_X_CSRFTOKEN="a" * 64)
    assert response.status_code == 403
    assert "does not match the CSRF cookie" in response.json()["detail"]


def test_a_malformed_token_is_named_as_wrong():
    client, _token = browser()
    response = post(client, SAVE, HTTP_X_CSRFTOKEN="not a token")
    assert response.status_code == 403
    assert "does not match the CSRF cookie" in response.json()["detail"]


def test_a_missing_cookie_is_named():
    client = Client(enforce_csrf_checks=True)
    client.cookies["sessionid"] = "x"  # some cookie, but not the CSRF one
    response = post(client, SAVE, HTTP_X_CSRFTOKEN="a" * 64)
    assert response.status_code == 403
    assert "CSRF cookie csrftoken is missing" in response.json()["detail"]


@pytest.mark.parametrize(
    "referer, expected",
    [
        (None, "neither"),
        ("https://evil.example/page", "Referer header does not name a trusted origin"),
        ("http://testserver/page", "insecure"),
        ("https://", "malformed"),
    ],
)
def test_referer_causes_over_https_are_named(referer, expected):
    client = Client(enforce_csrf_checks=True)
    token = client.get(f"{API}/status", secure=True).json()["csrf_token"]
    extra = {"HTTP_X_CSRFTOKEN": token}
    if referer is not None:
        extra["HTTP_REFERER"] = referer
    response = post(client, SAVE, secure=True, **extra)
    assert response.status_code == 403
    assert expected in response.json()["detail"]


def test_csrf_messages_are_translated():
    client, _token = browser()
    english = post(client, SAVE, HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    german = post(client, SAVE, HTTP_ACCEPT_LANGUAGE="de").json()["detail"]
    assert english.startswith("CSRF check failed")
    assert german.startswith("CSRF-Prüfung fehlgeschlagen")


def test_csrf_failure_passes_a_good_request():
    client, token = browser()
    request = RequestFactory().post(
        API, "{}", content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    request.COOKIES["csrftoken"] = client.cookies["csrftoken"].value
    assert csrf_failure(request) is None
    assert csrf_failure(RequestFactory().get(API)) is None  # safe methods always pass


# Cookieless requests from an allowed origin -----------------------------------------------


@override_settings(**CROSS_SITE)
def test_a_cookieless_post_from_an_allowed_origin_needs_no_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = post(client, SAVE, HTTP_ORIGIN=FRONT)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["groups"] == {"necessary": True, "statistics": False, "external_media": True}
    assert body["consent_token"]
    assert response["Access-Control-Allow-Origin"] == FRONT
    record = ConsentRecord.objects.get()
    assert record.source == "api" and record.accepted == ["external_media"]
    assert tokens.read_consent_token(body["consent_token"]).consent_id == str(record.consent_id)


@override_settings(KOKREATIVE={"CORS_ALLOWED_ORIGINS": ["*"]}, CSRF_TRUSTED_ORIGINS=[])
def test_a_cookieless_post_works_with_the_wildcard_too():
    response = post(Client(enforce_csrf_checks=True), SAVE, HTTP_ORIGIN=EVIL)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"


@override_settings(**CROSS_SITE)
def test_a_cookieless_post_from_another_origin_is_refused():
    response = post(Client(enforce_csrf_checks=True), SAVE, HTTP_ORIGIN=EVIL)
    assert response.status_code == 403
    assert EVIL in response.json()["detail"]
    assert not ConsentRecord.objects.exists()


@override_settings(KOKREATIVE={"CORS_ALLOWED_ORIGINS": []}, CSRF_TRUSTED_ORIGINS=[FRONT])
def test_a_cookieless_post_needs_the_token_while_cors_is_off():
    response = post(Client(enforce_csrf_checks=True), SAVE, HTTP_ORIGIN=FRONT)
    assert response.status_code == 403
    assert "CSRF cookie" in response.json()["detail"]


@override_settings(**CROSS_SITE)
def test_a_post_with_cookies_from_an_allowed_origin_still_needs_the_token():
    client, _token = browser()
    response = post(client, SAVE, HTTP_ORIGIN=FRONT)
    assert response.status_code == 403
    assert "X-CSRFToken" in response.json()["detail"]


def test_no_origin_and_no_cookies_is_no_exemption():
    response = post(Client(enforce_csrf_checks=True), SAVE)
    assert response.status_code == 403


# The consent token ---------------------------------------------------------------------------


def cross_site_decision(body=SAVE, token: str | None = None):
    extra = {"HTTP_ORIGIN": FRONT}
    if token is not None:
        extra["HTTP_X_CONSENT_TOKEN"] = token
    return post(Client(enforce_csrf_checks=True), body, **extra)


def status_with(token: str | None, **extra):
    if token is not None:
        extra["HTTP_X_CONSENT_TOKEN"] = token
    return Client().get(f"{API}/status", **extra)


@override_settings(**CROSS_SITE)
def test_token_round_trip():
    token = cross_site_decision().json()["consent_token"]
    content = tokens.read_consent_token(token)
    assert content.decisions["statistics"] == "-1"
    assert content.version and content.time.endswith("Z")
    status = status_with(token).json()
    assert status["groups"] == {"necessary": True, "statistics": False, "external_media": True}
    assert status["needs_decision"] is False
    # without the token the same visitor has not decided
    assert status_with(None).json()["needs_decision"] is True


@override_settings(**CROSS_SITE)
def test_a_later_decision_with_the_token_keeps_the_consent_id_and_other_groups():
    first = cross_site_decision({"action": "decline_all"}).json()["consent_token"]
    second = cross_site_decision(
        {"action": "accept_group", "group": "external_media"}, token=first
    ).json()
    assert second["groups"] == {"necessary": True, "statistics": False, "external_media": True}
    records = list(ConsentRecord.objects.order_by("pk"))
    assert len(records) == 2
    assert records[0].consent_id == records[1].consent_id
    assert str(records[1].consent_id) == tokens.read_consent_token(first).consent_id
    assert tokens.read_consent_token(second["consent_token"]).consent_id == str(
        records[0].consent_id
    )


@override_settings(**CROSS_SITE)
def test_the_consent_cookie_wins_over_a_token():
    token = cross_site_decision({"action": "accept_all"}).json()["consent_token"]
    client, csrf = browser()
    post(client, {"action": "decline_all"}, HTTP_X_CSRFTOKEN=csrf)
    status = client.get(f"{API}/status", HTTP_X_CONSENT_TOKEN=token).json()
    assert status["groups"]["statistics"] is False


def tampered(token: str) -> str:
    value, _, signature = token.rpartition(":")
    return f"{value}:{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"


@override_settings(**CROSS_SITE)
@pytest.mark.parametrize(
    "make_bad",
    [
        tampered,
        lambda token: token[:-3],
        lambda token: "garbage",
        lambda token: signing.dumps({"decisions": {"statistics": "2030"}}),  # another salt
        lambda token: signing.dumps(
            {"decisions": {"st|at": "x"}, "consent_id": "x", "version": "", "time": ""},
            salt=tokens.SALT,
        ),
        lambda token: "x" * 5000,
    ],
)
def test_a_bad_token_is_no_decision_on_get_and_a_400_on_post(make_bad):
    bad = make_bad(cross_site_decision({"action": "accept_all"}).json()["consent_token"])
    status = status_with(bad)
    assert status.status_code == 200
    assert status.json()["needs_decision"] is True
    count = ConsentRecord.objects.count()
    response = cross_site_decision({"action": "accept_all"}, token=bad)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"consent_token"}
    assert ConsentRecord.objects.count() == count


@override_settings(**CROSS_SITE)
def test_an_expired_token(monkeypatch):
    token = cross_site_decision({"action": "accept_all"}).json()["consent_token"]
    monkeypatch.setattr(tokens, "MAX_AGE", -1)
    assert status_with(token).json()["needs_decision"] is True
    response = cross_site_decision({"action": "decline_all"}, token=token)
    assert response.status_code == 400
    assert "expired" in response.json()["errors"]["consent_token"][0]


@override_settings(**CROSS_SITE)
def test_pages_never_read_the_token():
    """A shared cache keys HTML pages on their cookies, not on our header: pages ignore it."""
    token = cross_site_decision({"action": "accept_all"}).json()["consent_token"]
    request = RequestFactory().get("/", HTTP_X_CONSENT_TOKEN=token)
    assert get_consent_state(request).needs_decision is True
    request = RequestFactory().get("/", HTTP_X_CONSENT_TOKEN=token)
    tokens.allow_consent_token(request)
    assert get_consent_state(request).needs_decision is False


@override_settings(**CROSS_SITE)
def test_the_preflight_grants_the_consent_headers():
    response = Client().options(
        API,
        HTTP_ORIGIN=FRONT,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type,x-consent-token,x-csrftoken",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Headers"] == "Content-Type, X-Consent-Token, X-CSRFToken"
    assert "POST" in response["Access-Control-Allow-Methods"]
