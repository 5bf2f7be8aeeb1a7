"""API v2 in two languages: every page's translations, and ``find`` of a path in either language.

Runs under ``tests.settings_localize`` (``make test-localize``); skipped otherwise (conftest).
German sources, English translations made as the admin's "Translate" action makes them; the
example site serves German at ``/…`` and English at ``/en/…`` (``i18n_patterns``).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from kokreative_wagtail.models import ElementPage

from ..factories import ElementFactory, create_element_page
from .test_localize import translate

pytestmark = pytest.mark.django_db

PAGES = "/api/v2/pages/"


@pytest.fixture
def en(db) -> Locale:
    return Locale.objects.get_or_create(language_code="en")[0]


@pytest.fixture
def pages(site_root, programme, en):
    """A German programme with one element page, both translated into English."""
    element = ElementFactory(
        name="Raumstrukturen", description="<p>Räume für Beteiligung.</p>", sort_order=2
    )
    translate(
        element,
        en,
        {
            "Raumstrukturen": "Spatial structures",
            "raumstrukturen": "spatial-structures",
            "Räume für Beteiligung.": "Spaces for participation.",
        },
    )
    german = create_element_page(programme, element, title="Raumstrukturen", slug="raum")
    programme_en = translate(
        programme,
        en,
        {
            "Die Kokreative Kommune": "The Co-creative Municipality",
            "kokreative-kommune": "co-creative-municipality",
            "Kokreative Kommune bedeutet …": "Co-creative municipality means …",
        },
    )
    english = translate(german, en, {"Raumstrukturen": "Spatial structures", "raum": "space"})
    return {"de": german, "en": english, "programme_de": programme, "programme_en": programme_en}


def test_each_page_names_its_translations(client, pages):
    german, english = pages["de"], pages["en"]
    assert english.url == "/en/co-creative-municipality/space/"
    assert german.url == "/kokreative-kommune/raum/"

    data = client.get(f"{PAGES}{german.pk}/").json()
    assert data["meta"]["translation_key"] == str(german.translation_key)
    assert data["meta"]["alternates"] == [
        {
            "locale": "en",
            "id": english.pk,
            "title": "Spatial structures",
            "url": "/en/co-creative-municipality/space/",
            "full_url": "http://testserver/en/co-creative-municipality/space/",
        }
    ]
    data = client.get(f"{PAGES}{english.pk}/").json()
    assert data["meta"]["translation_key"] == str(german.translation_key)
    assert data["meta"]["locale"] == "en"
    assert [(item["locale"], item["id"], item["url"]) for item in data["meta"]["alternates"]] == [
        ("de", german.pk, "/kokreative-kommune/raum/")
    ]
    # the English element page shows the English element, description included
    assert data["element"]["name"] == "Spatial structures"
    assert data["element"]["description"] == "<p>Spaces for participation.</p>"


def test_listings_carry_alternates_and_filter_by_translation_key(client, pages):
    german, english = pages["de"], pages["en"]
    listing = client.get(PAGES, {"type": "kokreative_wagtail.ElementPage"}).json()
    by_id = {item["id"]: item for item in listing["items"]}
    assert [a["id"] for a in by_id[german.pk]["meta"]["alternates"]] == [english.pk]
    assert [a["id"] for a in by_id[english.pk]["meta"]["alternates"]] == [german.pk]

    english_only = client.get(PAGES, {"locale": "en", "fields": "translation_key"}).json()
    assert {item["meta"]["locale"] for item in english_only["items"]} == {"en"}

    same = client.get(PAGES, {"translation_key": str(german.translation_key)}).json()
    assert sorted(item["id"] for item in same["items"]) == sorted([german.pk, english.pk])


def test_alternates_leave_out_drafts_and_unlisted_translations(client, pages):
    english = pages["en"]
    english.unpublish()
    data = client.get(f"{PAGES}{pages['de'].pk}/").json()
    assert data["meta"]["alternates"] == []


def test_listing_alternates_in_one_query(client, pages, en):
    programme = pages["programme_de"]

    def count() -> int:
        client.get(PAGES, {"type": "kokreative_wagtail.ElementPage"})
        with CaptureQueriesContext(connection) as captured:
            client.get(PAGES, {"type": "kokreative_wagtail.ElementPage"})
        return len(captured)

    few = count()
    for number in range(3):
        page = create_element_page(programme, None, title=f"Element {number}", slug=f"e{number}")
        translate(
            page, en, {f"Element {number}": f"Element {number} (en)", f"e{number}": f"en{number}"}
        )
    assert ElementPage.objects.count() == 8
    assert count() == few


def test_find_resolves_paths_in_either_language(client, pages):
    german, english = pages["de"], pages["en"]
    cases = {
        "/en/co-creative-municipality/space/": english.pk,
        "/en/co-creative-municipality/": pages["programme_en"].pk,
        "/kokreative-kommune/raum/": german.pk,
        "/kokreative-kommune/": pages["programme_de"].pk,
    }
    for path, pk in cases.items():
        response = client.get(f"{PAGES}find/", {"html_path": path})
        assert response.status_code == 302, path
        assert response["Location"] == f"http://testserver/api/v2/pages/{pk}/", path

    for path in ("/en/kokreative-kommune/raum/", "/co-creative-municipality/", "/en/nichts/"):
        response = client.get(f"{PAGES}find/", {"html_path": path})
        assert response.status_code == 404, path
        body = response.json()
        assert body["detail"] and body["message"] == body["detail"] and body["errors"] == {}
