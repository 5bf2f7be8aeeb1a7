"""Consent backend: default groups, the visitor's state, decisions (form and API), the record,
cookie flags, withdrawal, cache headers, purge."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from cookie_consent.models import Cookie, CookieGroup, LogItem
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from kokreative_wagtail.consent.models import ConsentRecord
from kokreative_wagtail.consent.setup import setup_default_groups
from kokreative_wagtail.consent.state import get_consent_state

pytestmark = pytest.mark.django_db

DECIDE = "/consent/decide/"
API = "/api/kokreative/v1/consent"
OPTIONAL = ["statistics", "external_media"]


def consent_cookie(response) -> dict[str, str]:
    morsel = response.cookies["cookie_consent"]
    return dict(pair.split("=", 1) for pair in morsel.value.split("|") if pair)


def decide(client, **data):
    data.setdefault("next", "/seite/")
    return client.post(DECIDE, data)


# --- default groups ---------------------------------------------------------------------------


def test_migration_creates_the_default_groups_in_the_site_language():
    groups = {g.varname: g for g in CookieGroup.objects.all()}
    assert set(groups) >= {"necessary", "statistics", "external_media"}
    assert groups["necessary"].is_required and not groups["necessary"].is_deletable
    assert not groups["statistics"].is_required and not groups["external_media"].is_required
    # LANGUAGE_CODE is "de": editors find German names and descriptions
    assert groups["necessary"].name == "Notwendig"
    assert groups["statistics"].name == "Statistik"
    assert groups["external_media"].name == "Externe Medien"
    assert "YouTube" in groups["external_media"].description
    necessary = set(groups["necessary"].cookie_set.values_list("name", flat=True))
    assert {"csrftoken", "sessionid", "cookie_consent", "kokreative_consent_id"} <= necessary


def test_setup_command_is_idempotent_and_keeps_editors_changes():
    CookieGroup.objects.filter(varname="statistics").update(name="Reichweitenmessung")
    CookieGroup.objects.filter(varname="external_media").delete()
    out = StringIO()
    call_command("kokreative_setup_consent", stdout=out)
    assert "external_media" in out.getvalue()
    assert CookieGroup.objects.get(varname="statistics").name == "Reichweitenmessung"
    assert CookieGroup.objects.filter(varname="external_media").count() == 1
    before = CookieGroup.objects.count(), Cookie.objects.count()
    assert setup_default_groups() == []
    assert (CookieGroup.objects.count(), Cookie.objects.count()) == before


def test_sites_add_their_own_groups():
    CookieGroup.objects.create(varname="marketing", name="Marketing")
    response = Client().get(API)
    assert "marketing" in [g["varname"] for g in response.json()["groups"]]
    state = get_consent_state(RequestFactory().get("/"))
    assert "marketing" in [g.varname for g in state.optional_groups]


# --- state ------------------------------------------------------------------------------------


def request_with(cookie: str = ""):
    request = RequestFactory().get("/")
    if cookie:
        request.COOKIES["cookie_consent"] = cookie
    return request


def test_state_without_a_decision_needs_one_and_accepts_only_necessary():
    state = get_consent_state(request_with())
    assert state.needs_decision
    assert state.accepted("necessary")
    assert not state.accepted("statistics") and not state.accepted("external_media")
    assert not state.accepted("no_such_group")
    assert state.as_dict() == {"necessary": True, "statistics": None, "external_media": None}


def test_declined_stays_declined_and_a_changed_group_asks_again():
    now = timezone.now().isoformat()
    state = get_consent_state(request_with(f"statistics=-1|external_media={now}"))
    assert not state.needs_decision
    assert state.accepted("external_media") and not state.accepted("statistics")

    # an editor adds a cookie to external media: the acceptance was for an older version
    group = CookieGroup.objects.get(varname="external_media")
    Cookie.objects.create(cookiegroup=group, name="yt_pref", domain=".youtube.com")
    state = get_consent_state(request_with(f"statistics=-1|external_media={now}"))
    assert state.needs_decision
    assert state.as_dict()["external_media"] is None
    assert state.as_dict()["statistics"] is False


def test_garbage_cookie_reads_as_undecided():
    state = get_consent_state(request_with("|||statistics|=|<script>"))
    assert state.needs_decision and not state.accepted("statistics")


# --- decisions through the HTML form ------------------------------------------------------------


def test_accept_all_sets_the_cookie_logs_and_redirects_back(client):
    response = decide(client, action="accept_all")
    assert response.status_code == 303
    assert response["Location"] == "/seite/"
    stored = consent_cookie(response)
    assert set(stored) == set(OPTIONAL) and "-1" not in stored.values()
    assert {(i.cookiegroup.varname, i.action) for i in LogItem.objects.all()} == {
        ("statistics", 1),
        ("external_media", 1),
    }
    record = ConsentRecord.objects.get()
    assert record.action == "accept_all"
    assert record.accepted == OPTIONAL[::-1] or sorted(record.accepted) == sorted(OPTIONAL)
    assert record.declined == []
    assert str(record.consent_id) == response.cookies["kokreative_consent_id"].value
    # the next request carries the cookie: nothing left to decide
    assert not get_consent_state(
        request_with(response.cookies["cookie_consent"].value)
    ).needs_decision


def test_reject_all_is_one_click_and_the_banner_does_not_return(client):
    response = decide(client, action="decline_all")
    assert response.status_code == 303
    assert consent_cookie(response) == {"statistics": "-1", "external_media": "-1"}
    state = get_consent_state(request_with(response.cookies["cookie_consent"].value))
    assert not state.needs_decision and not state.accepted("external_media")
    assert ConsentRecord.objects.get().declined == sorted(OPTIONAL)


def test_save_a_selection(client):
    response = decide(client, action="save", groups=["external_media"])
    stored = consent_cookie(response)
    assert stored["statistics"] == "-1" and stored["external_media"] != "-1"


def test_accept_one_group_leaves_the_others_undecided(client):
    response = decide(client, action="accept_group", group="external_media")
    stored = consent_cookie(response)
    assert set(stored) == {"external_media"}
    state = get_consent_state(request_with(response.cookies["cookie_consent"].value))
    assert state.accepted("external_media") and state.needs_decision  # statistics still open


def test_consent_id_is_kept_across_decisions(client):
    first = decide(client, action="accept_all")
    second = decide(client, action="decline_all")  # the test client keeps cookies
    assert (
        first.cookies["kokreative_consent_id"].value
        == second.cookies["kokreative_consent_id"].value
    )
    assert ConsentRecord.objects.values("consent_id").distinct().count() == 1
    assert [r.action for r in ConsentRecord.objects.order_by("created", "pk")] == [
        "accept_all",
        "decline_all",
    ]


def test_a_forged_consent_id_is_replaced(client):
    client.cookies["kokreative_consent_id"] = "'; DROP TABLE --"
    response = decide(client, action="accept_all")
    uuid.UUID(response.cookies["kokreative_consent_id"].value)


@pytest.mark.parametrize("secure", [False, True])
def test_cookie_flags(client, secure):
    response = client.post(DECIDE, {"action": "accept_all", "next": "/"}, secure=secure)
    for name in ("cookie_consent", "kokreative_consent_id"):
        morsel = response.cookies[name]
        assert morsel["samesite"] == "Lax"
        assert morsel["httponly"]
        assert 0 < int(morsel["max-age"]) <= 365 * 24 * 3600
        assert bool(morsel["secure"]) is secure  # Secure whenever the site runs on https


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""]
)
def test_next_stays_on_the_site(client, next_url):
    response = client.post(DECIDE, {"action": "accept_all", "next": next_url})
    assert response["Location"] == "/"


def test_withdrawal_deletes_the_groups_first_party_cookies(client):
    group = CookieGroup.objects.get(varname="statistics")
    Cookie.objects.create(cookiegroup=group, name="_pk_id", domain="", path="/")
    Cookie.objects.create(cookiegroup=group, name="_ga", domain=".google.com")  # not ours
    decide(client, action="accept_all")
    client.cookies["_pk_id"] = "visitor.123"
    response = decide(client, action="save", groups=["external_media"])
    assert response.cookies["_pk_id"]["max-age"] == 0
    assert "_ga" not in response.cookies


def test_decisions_need_csrf_and_post():
    client = Client(enforce_csrf_checks=True)
    assert client.post(DECIDE, {"action": "accept_all"}).status_code == 403
    assert client.get(DECIDE).status_code == 405
    assert not ConsentRecord.objects.exists() and not LogItem.objects.exists()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"action": "accept_everything"}, "action"),
        ({}, "action"),
        ({"action": "save", "groups": ["necessary"]}, "groups"),
        ({"action": "save", "groups": ["nope"]}, "groups"),
        ({"action": "accept_group", "group": "nope"}, "group"),
    ],
)
def test_bad_decisions_are_400_and_store_nothing(client, data, field):
    response = client.post(DECIDE, data, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert "cookie_consent" not in response.cookies
    assert not ConsentRecord.objects.exists() and not LogItem.objects.exists()


def test_fetch_decision_answers_json(client):
    response = client.post(
        DECIDE,
        {"action": "accept_group", "group": "external_media"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 200
    assert response.json()["groups"]["external_media"] is True
    assert response.json()["groups"]["statistics"] is None


# --- API --------------------------------------------------------------------------------------


def test_api_lists_groups_with_cookies():
    body = Client().get(API).json()
    groups = {g["varname"]: g for g in body["groups"]}
    assert groups["necessary"]["is_required"] is True
    assert {c["name"] for c in groups["necessary"]["cookies"]} >= {"cookie_consent", "csrftoken"}
    assert groups["external_media"]["description"]
    assert body["version"]


def test_api_status_is_private_and_hands_out_a_csrf_token():
    response = Client().get(f"{API}/status")
    assert response.status_code == 200
    body = response.json()
    assert body["needs_decision"] is True
    assert body["groups"] == {"necessary": True, "statistics": None, "external_media": None}
    assert body["csrf_token"] and "csrftoken" in response.cookies
    assert "Cookie" in response["Vary"]
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def api_client():
    client = Client(enforce_csrf_checks=True)
    token = client.get(f"{API}/status").json()["csrf_token"]
    return client, token


def post_api(client, token, body, content_type="application/json"):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(API, data, content_type=content_type, HTTP_X_CSRFTOKEN=token)


def test_api_decision_with_csrf_token():
    client, token = api_client()
    response = post_api(
        client, token, {"action": "save", "groups": {"statistics": False, "external_media": True}}
    )
    assert response.status_code == 200, response.content
    assert response.json()["groups"] == {
        "necessary": True,
        "statistics": False,
        "external_media": True,
    }
    assert response.json()["needs_decision"] is False
    assert consent_cookie(response)["statistics"] == "-1"
    assert ConsentRecord.objects.get().source == "api"
    status = client.get(f"{API}/status").json()
    assert status["groups"]["external_media"] is True


def test_api_decision_without_csrf_is_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post(API, {"action": "accept_all"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not ConsentRecord.objects.exists()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"action": "accept_everything"}, "action"),
        ({}, "action"),
        ({"action": "save", "groups": {"nope": True}}, "groups"),
        ({"action": "save", "groups": {"necessary": False}}, "groups"),
        ({"action": "save", "groups": {"statistics": "yes please"}}, "groups.statistics"),
        ({"action": "accept_group", "group": "nope"}, "group"),
        ({"action": "accept_all", "consent_id": "x"}, "consent_id"),
    ],
)
def test_api_bad_decisions_are_400_with_field_errors(body, field):
    client, token = api_client()
    response = post_api(client, token, body)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"], response.json()
    assert "cookie_consent" not in response.cookies
    assert not ConsentRecord.objects.exists()


@pytest.mark.parametrize("body", ["not json", "[1, 2]", "null"])
def test_api_non_json_bodies_are_400(body):
    client, token = api_client()
    response = post_api(client, token, body)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_api_empty_body_is_415():
    """An empty body comes without a content type (Django's test client sends none either)."""
    client, token = api_client()
    response = post_api(client, token, "")
    assert response.status_code == 415
    assert "application/json" in response.json()["detail"]


# --- caching ---------------------------------------------------------------------------------


def test_settings_page_varies_by_cookie(client):
    response = client.get(reverse("kokreative_consent_settings"))
    assert response.status_code == 200
    assert "Cookie" in response["Vary"]


@override_settings(
    MIDDLEWARE=[m for m in __import__("django.conf").conf.settings.MIDDLEWARE if "Session" not in m]
)
def test_check_reports_missing_session_middleware():
    from kokreative_wagtail.consent.checks import check_session_middleware

    ids = [message.id for message in check_session_middleware()]
    assert "kokreative_wagtail.E004" in ids


# --- retention ---------------------------------------------------------------------------------


def test_purge_consent_records(client):
    decide(client, action="accept_all")
    decide(client, action="decline_all")
    old = timezone.now() - timedelta(days=1096)
    ConsentRecord.objects.filter(action="accept_all").update(created=old)
    LogItem.objects.filter(action=1).update(created=old)
    out = StringIO()
    call_command("kokreative_purge_consent_records", "--dry-run", stdout=out)
    assert "1" in out.getvalue() and "2" in out.getvalue()
    assert ConsentRecord.objects.count() == 2
    call_command("kokreative_purge_consent_records", stdout=StringIO())
    assert list(ConsentRecord.objects.values_list("action", flat=True)) == ["decline_all"]
    assert not LogItem.objects.filter(action=1).exists()


# --- pages in a shared cache ---------------------------------------------------------------------

CACHED_MIDDLEWARE = [
    "django.middleware.cache.UpdateCacheMiddleware",
    *__import__("django.conf").conf.settings.MIDDLEWARE,
    "django.middleware.cache.FetchFromCacheMiddleware",
]
BANNER_MARK = 'id="kk-consent-banner"'


def visitor(consent_cookie: str = "") -> Client:
    client = Client()
    client.cookies["csrftoken"] = "a" * 32  # an existing token: the page sets no cookie
    if consent_cookie:
        client.cookies["cookie_consent"] = consent_cookie
    return client


def shared_cache_run(url: str) -> tuple[bool, bool, str]:
    first = visitor().get(url)  # undecided: banner, and the page goes into the cache
    decided = visitor("statistics=-1|external_media=-1").get(url)
    return (
        BANNER_MARK in first.content.decode(),
        BANNER_MARK in decided.content.decode(),
        first.get("Vary", ""),
    )


@override_settings(MIDDLEWARE=CACHED_MIDDLEWARE, CACHE_MIDDLEWARE_SECONDS=300)
def test_a_shared_cache_never_serves_one_visitors_consent_state_to_another(programme):
    first_has_banner, decided_has_banner, vary = shared_cache_run(programme.url)
    assert "Cookie" in vary
    assert first_has_banner and not decided_has_banner


def test_reading_consent_is_what_makes_a_response_vary_by_cookie():
    """The mechanism alone (pages with the banner also vary through its CSRF token)."""
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.http import HttpResponse

    def view(reads_consent: bool):
        def get_response(request):
            if reads_consent:
                get_consent_state(request)
            return HttpResponse("ok")

        return SessionMiddleware(get_response)

    assert "Cookie" in view(True)(RequestFactory().get("/")).get("Vary", "")
    assert "Cookie" not in view(False)(RequestFactory().get("/")).get("Vary", "")
    # nothing is written: no session is created for an anonymous visitor
    assert "sessionid" not in view(True)(RequestFactory().get("/")).cookies


# --- Wagtail admin ------------------------------------------------------------------------------


def test_editors_manage_groups_in_wagtail_admin(admin_client):
    from kokreative_wagtail.consent.state import load_groups

    assert [g.name for g in load_groups() if g.varname == "statistics"] == ["Statistik"]
    response = admin_client.get(reverse("kokreative_cookie_groups:index"))
    assert response.status_code == 200
    assert "Externe Medien" in response.content.decode()
    group = CookieGroup.objects.get(varname="statistics")
    response = admin_client.post(
        reverse("kokreative_cookie_groups:edit", args=[group.pk]),
        {
            "name": "Reichweitenmessung",
            "varname": "statistics",
            "description": "Matomo",
            "ordering": 10,
            "is_deletable": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    # the cached groups follow the edit at once (on every app server: the cache is shared)
    assert [g.name for g in load_groups() if g.varname == "statistics"] == ["Reichweitenmessung"]
    assert admin_client.get(reverse("kokreative_cookies:index")).status_code == 200


def test_consent_records_are_listed_exported_and_never_edited(admin_client):
    decide(Client(), action="accept_all")
    record = ConsentRecord.objects.get()
    listing = admin_client.get(
        reverse("kokreative_consent_records:index"), {"q": str(record.consent_id)}
    )
    assert listing.status_code == 200
    assert str(record.consent_id) in listing.content.decode()
    export = admin_client.get(reverse("kokreative_consent_records:index"), {"export": "csv"})
    assert export.status_code == 200
    rows = (
        b"".join(export.streaming_content).decode() if export.streaming else export.content.decode()
    )
    assert str(record.consent_id) in rows and "banner" in rows.lower()
    # proof cannot be forged in the admin, not even by a superuser
    assert admin_client.get(reverse("kokreative_consent_records:add")).status_code in (302, 403)
    edit_url = reverse("kokreative_consent_records:edit", args=[record.pk])
    assert admin_client.get(edit_url).status_code in (302, 403)
    assert admin_client.post(edit_url, {"action": "decline_all"}).status_code in (302, 403)
    record.refresh_from_db()
    assert record.action == "accept_all"


def test_editors_without_permission_see_no_records(client, django_user_model):
    from django.contrib.auth.models import Permission

    editor = django_user_model.objects.create_user("editor", password="pw")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get(reverse("kokreative_consent_records:index")).status_code in (302, 403)
