"""Consent texts in the visitor's language: API, banner, editors' texts, setup and migration.

The groups' own texts are German (``LANGUAGE_CODE``); the English ones are ``CookieGroupText``
and ``CookieText`` rows, written by the migration from our translations and edited in the admin.
Runs under ``tests.settings_localize``.
"""

from __future__ import annotations

from io import StringIO

import pytest
from bs4 import BeautifulSoup
from cookie_consent.models import Cookie, CookieGroup
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from kokreative_wagtail.consent.models import CookieGroupText, CookieText
from kokreative_wagtail.consent.setup import setup_default_groups, text_languages
from kokreative_wagtail.consent.state import clear_groups_cache, load_groups

from ..factories import create_programme
from . import test_localize
from .test_localize import translate

pytestmark = pytest.mark.django_db

# fixtures shared with test_localize
en = test_localize.en

API = "/api/kokreative/v1/consent"
GERMAN = {"necessary": "Notwendig", "statistics": "Statistik", "external_media": "Externe Medien"}
ENGLISH = {"necessary": "Necessary", "statistics": "Statistics", "external_media": "External media"}


def names(groups) -> dict[str, str]:
    return {g["varname"]: g["name"] for g in groups}


def cookie_descriptions(body: dict, varname: str) -> dict[str, str]:
    [group] = [g for g in body["groups"] if g["varname"] == varname]
    return {c["name"]: c["description"] for c in group["cookies"]}


def test_the_migration_writes_english_texts_and_none_for_the_default_language():
    assert text_languages() == ["en"]
    texts = {t.group.varname: t for t in CookieGroupText.objects.select_related("group")}
    assert {v: t.name for v, t in texts.items()} == ENGLISH
    assert {t.language_code for t in texts.values()} == {"en"}
    assert "YouTube" in texts["external_media"].description
    cookies = {t.cookie.name: t.description for t in CookieText.objects.select_related("cookie")}
    assert cookies["cookie_consent"] == "Stores your consent decision for up to one year."
    assert set(cookies) == {"csrftoken", "sessionid", "cookie_consent", "kokreative_consent_id"}
    # the groups' own texts stay German
    assert {g.varname: g.name for g in CookieGroup.objects.all()} == GERMAN


@pytest.mark.parametrize(
    "request_kwargs, expected",
    [
        ({}, GERMAN),
        ({"data": {"locale": "en"}}, ENGLISH),
        ({"data": {"locale": "EN-gb"}}, ENGLISH),
        ({"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9,de;q=0.5"}, ENGLISH),
        ({"HTTP_ACCEPT_LANGUAGE": "en;q=0, de"}, GERMAN),
        ({"HTTP_ACCEPT_LANGUAGE": "fr"}, GERMAN),
    ],
)
def test_api_groups_in_the_requested_language(client, request_kwargs, expected):
    response = client.get(API, **request_kwargs)
    assert response.status_code == 200
    body = response.json()
    assert names(body["groups"]) == expected
    assert response["Content-Language"] == ("en" if expected is ENGLISH else "de")
    descriptions = cookie_descriptions(body, "necessary")
    if expected is ENGLISH:
        assert descriptions["csrftoken"] == "Protects forms against forged requests."
    else:
        assert descriptions["csrftoken"].startswith("Schützt Formulare")


def test_the_version_does_not_depend_on_the_language(client):
    german = client.get(API).json()
    english = client.get(API, {"locale": "en"}).json()
    assert german["version"] == english["version"]
    assert [g["version"] for g in german["groups"]] == [g["version"] for g in english["groups"]]


def test_the_banner_speaks_the_pages_language(client, site_root, en):
    programme = create_programme(site_root)
    en_programme = translate(
        programme,
        en,
        {
            "Die Kokreative Kommune": "The Co-creative Municipality",
            "kokreative-kommune": "co-creative-municipality",
            "Willkommen": "Welcome",
        },
    )
    german = BeautifulSoup(client.get(programme.url).content.decode(), "html.parser")
    english = BeautifulSoup(client.get(en_programme.url).content.decode(), "html.parser")
    # the banner's settings dialog lists the groups and their cookies
    german_banner = german.select_one("#kk-consent-dialog").get_text(" ", strip=True)
    english_banner = english.select_one("#kk-consent-dialog").get_text(" ", strip=True)
    assert "Statistik" in german_banner and "Statistics" not in german_banner
    assert "Statistics" in english_banner and "Statistik" not in english_banner
    assert "External media" in english_banner
    assert "Stores your consent decision for up to one year." in english_banner


def test_editors_texts_show_at_once_and_fall_back_to_the_groups_own(client):
    statistics = CookieGroup.objects.get(varname="statistics")
    assert names(client.get(API, {"locale": "en"}).json()["groups"])["statistics"] == "Statistics"
    text = CookieGroupText.objects.get(group=statistics, language_code="en")
    text.name = "Audience measurement"
    text.save()
    english = client.get(API, {"locale": "en"}).json()
    assert names(english["groups"])["statistics"] == "Audience measurement"

    text.delete()  # no English text: the group's own
    assert names(client.get(API, {"locale": "en"}).json()["groups"])["statistics"] == "Statistik"

    marketing = CookieGroup.objects.create(varname="marketing", name="Werbung", ordering=30)
    cookie = Cookie.objects.create(cookiegroup=marketing, name="ads", description="Werbe-ID")
    assert names(client.get(API, {"locale": "en"}).json()["groups"])["marketing"] == "Werbung"
    CookieText.objects.create(cookie=cookie, language_code="en", description="Ad id")
    CookieGroupText.objects.create(group=marketing, language_code="en", name="Advertising")
    english = client.get(API, {"locale": "en"}).json()
    assert names(english["groups"])["marketing"] == "Advertising"
    assert cookie_descriptions(english, "marketing") == {"ads": "Ad id"}
    german = client.get(API).json()
    assert cookie_descriptions(german, "marketing") == {"ads": "Werbe-ID"}


def test_the_cache_holds_one_entry_per_language(django_assert_num_queries):
    clear_groups_cache()
    with translation.override("en"):
        assert load_groups()[0].name == "Necessary"
    with translation.override("de"):
        assert load_groups()[0].name == "Notwendig"
    with django_assert_num_queries(0):
        assert load_groups("en")[0].name == "Necessary"
        assert load_groups("de")[0].name == "Notwendig"
        assert load_groups("en-GB")[0].name == "Necessary"


def test_setup_never_overwrites_texts_and_restores_missing_ones():
    statistics = CookieGroup.objects.get(varname="statistics")
    CookieGroupText.objects.filter(group=statistics).update(name="Audience measurement")
    CookieGroupText.objects.filter(group__varname="external_media").delete()
    CookieText.objects.filter(cookie__name="csrftoken").delete()

    call_command("kokreative_setup_consent", stdout=StringIO())

    assert CookieGroupText.objects.get(group=statistics).name == "Audience measurement"
    assert CookieGroupText.objects.get(group__varname="external_media").name == "External media"
    assert CookieText.objects.get(cookie__name="csrftoken").description.startswith("Protects")
    before = CookieGroupText.objects.count(), CookieText.objects.count()
    assert setup_default_groups() == []
    assert (CookieGroupText.objects.count(), CookieText.objects.count()) == before
    assert not CookieGroupText.objects.filter(language_code="de").exists()


def test_editors_manage_texts_in_wagtail_admin(admin_client):
    index = admin_client.get(reverse("kokreative_cookie_group_texts:index"))
    assert index.status_code == 200
    assert "External media" in index.content.decode()
    group = CookieGroup.objects.create(varname="marketing", name="Werbung")
    response = admin_client.post(
        reverse("kokreative_cookie_group_texts:add"),
        {"group": group.pk, "language_code": "en", "name": "Advertising", "description": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert [g.name for g in load_groups("en") if g.varname == "marketing"] == ["Advertising"]
    # one text per group and language; a language that is no content language is refused
    again = admin_client.post(
        reverse("kokreative_cookie_group_texts:add"),
        {"group": group.pk, "language_code": "en", "name": "Ads", "description": ""},
    )
    assert again.status_code == 200
    unknown = admin_client.post(
        reverse("kokreative_cookie_group_texts:add"),
        {"group": group.pk, "language_code": "fr", "name": "Publicité", "description": ""},
    )
    assert unknown.status_code == 200
    assert CookieGroupText.objects.filter(group=group).count() == 1
    assert admin_client.get(reverse("kokreative_cookie_texts:index")).status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_is_reversible():
    call_command("migrate", "kokreative_consent", "0002", verbosity=0)
    assert CookieGroup.objects.filter(varname="statistics").exists()  # the groups stay
    call_command("migrate", "kokreative_consent", verbosity=0)
    assert CookieGroupText.objects.get(group__varname="statistics").name == "Statistics"
