"""Our Wagtail API v2 viewsets: absolute URLs, translations in one language, find, errors.

The multi-language side (alternates between German and English, ``find`` of ``/en/…``) is in
tests/localize/test_api_v2_translations.py.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from kokreative_wagtail import public_urls
from kokreative_wagtail.models import ElementPage

from ..factories import add_page, create_element_page
from ..offers.factories import create_second_site

pytestmark = pytest.mark.django_db

PAGES = "/api/v2/pages/"
RFC3339_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def assert_error(response, status: int, *fields: str) -> dict:
    """Our error shape: detail, errors by field, and Wagtail's ``message`` with the same text."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["detail"] and body["message"] == body["detail"]
    assert isinstance(body["errors"], dict)
    for field in fields:
        assert field in body["errors"], body
        assert all(isinstance(message, str) and message for message in body["errors"][field])
    return body


# --- absolute URLs ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _hosts(settings):
    settings.ALLOWED_HOSTS = ["testserver", "kommune.example", "andere-kommune.example"]


def test_urls_come_from_the_host_that_answered(client, programme, element_page):
    data = client.get(f"{PAGES}{element_page.pk}/", HTTP_HOST="kommune.example:8443").json()
    base = "http://kommune.example:8443"
    assert data["meta"]["html_url"] == f"{base}{element_page.url}"
    assert data["meta"]["detail_url"] == f"{base}/api/v2/pages/{element_page.pk}/"
    assert data["meta"]["parent"]["meta"]["html_url"] == f"{base}{programme.url}"
    assert data["meta"]["parent"]["meta"]["detail_url"] == f"{base}/api/v2/pages/{programme.pk}/"

    listing = client.get(PAGES, {"type": "kokreative_wagtail.ElementPage"}, secure=True).json()
    [item] = listing["items"]
    assert item["meta"]["html_url"] == f"https://testserver{element_page.url}"
    assert item["meta"]["detail_url"] == f"https://testserver/api/v2/pages/{element_page.pk}/"


@override_settings(KOKREATIVE={"PUBLIC_BASE_URL": "https://www.kommune.example/"})
def test_a_public_base_url_wins_over_the_request(client, programme, element_page):
    data = client.get(f"{PAGES}{element_page.pk}/").json()
    assert data["meta"]["html_url"] == f"https://www.kommune.example{element_page.url}"
    assert data["meta"]["detail_url"] == (
        f"https://www.kommune.example/api/v2/pages/{element_page.pk}/"
    )
    programme_data = client.get(f"{PAGES}{programme.pk}/").json()
    assert programme_data["element_pages"][0]["full_url"] == (
        f"https://www.kommune.example{element_page.url}"
    )
    response = client.get(f"{PAGES}find/", {"html_path": element_page.url})
    assert response.status_code == 302
    assert response["Location"] == f"https://www.kommune.example/api/v2/pages/{element_page.pk}/"


def test_public_urls_helpers(rf, programme, element_page, settings):
    request = rf.get("/", HTTP_HOST="kommune.example:8080")
    assert public_urls.base_url(request) == "http://kommune.example:8080"
    assert (
        public_urls.absolute(request, "/media/x.png") == "http://kommune.example:8080/media/x.png"
    )
    assert public_urls.absolute(request, "https://cdn.example/x.png") == "https://cdn.example/x.png"
    assert public_urls.absolute(request, "//cdn.example/x.png") == "//cdn.example/x.png"
    assert public_urls.absolute(request, "") is None
    assert public_urls.page_full_url(element_page, request) == (
        f"http://kommune.example:8080{element_page.url}"
    )
    # without a request: the Site record's root URL, as Wagtail writes it
    assert public_urls.base_url(None) is None
    assert public_urls.absolute(None, "/x/") == "/x/"
    assert public_urls.page_full_url(element_page, None) == element_page.get_full_url()
    # a host Django does not allow is no base for URLs
    bad = rf.get("/", HTTP_HOST="evil.example")
    assert public_urls.base_url(bad) is None
    settings.KOKREATIVE = {"PUBLIC_BASE_URL": "https://www.kommune.example"}
    assert public_urls.page_full_url(element_page, None) == (
        f"https://www.kommune.example{element_page.url}"
    )


def test_a_page_of_another_site_keeps_its_own_root_url(client, programme, element_page):
    site, root = create_second_site()
    other = add_page(root, ElementPage, title="Drüben", slug="drueben")
    request_host = {"HTTP_HOST": "testserver"}
    data = client.get(PAGES, {"site": site.hostname, "type": "kokreative_wagtail.ElementPage"})
    [item] = data.json()["items"]
    assert item["id"] == other.pk
    # asked for on the first site's host: the second site's page is on its own host
    assert item["meta"]["html_url"] == "http://andere-kommune.example/drueben/"
    assert item["meta"]["detail_url"] == f"http://testserver/api/v2/pages/{other.pk}/"
    assert client.get(f"{PAGES}{other.pk}/", **request_host).status_code == 404


# --- translations (one language) --------------------------------------------------------------


def test_every_page_carries_its_translation_key_and_alternates(client, programme, element_page):
    data = client.get(f"{PAGES}{element_page.pk}/").json()
    assert data["meta"]["translation_key"] == str(element_page.translation_key)
    assert data["meta"]["alternates"] == []  # one language: no other versions

    response = client.get(PAGES, {"fields": "translation_key"})
    assert response.status_code == 200
    items = response.json()["items"]
    assert {item["meta"]["translation_key"] for item in items} >= {
        str(programme.translation_key),
        str(element_page.translation_key),
    }
    assert all(item["meta"]["alternates"] == [] for item in items)

    response = client.get(PAGES, {"fields": "_,title,alternates"})
    assert response.status_code == 200
    assert set(response.json()["items"][0]["meta"]) == {"alternates"}

    response = client.get(PAGES, {"translation_key": str(element_page.translation_key)})
    assert [item["id"] for item in response.json()["items"]] == [element_page.pk]
    assert_error(client.get(PAGES, {"translation_key": "nicht-uuid"}), 400, "translation_key")


def test_listing_alternates_take_one_query_for_the_whole_page(client, programme, elements):
    for number in range(2):
        create_element_page(programme, None, title=f"Element {number}", slug=f"e{number}")

    def count() -> int:
        client.get(PAGES)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAGES).status_code == 200
        return len(captured)

    few = count()
    for number in range(2, 12):
        create_element_page(programme, None, title=f"Element {number}", slug=f"e{number}")
    assert count() == few


def test_first_published_at_in_the_date_time_form_of_our_api(client, element_page):
    data = client.get(f"{PAGES}{element_page.pk}/").json()
    assert RFC3339_UTC.match(data["meta"]["first_published_at"])
    listing = client.get(PAGES).json()
    published = [item["meta"]["first_published_at"] for item in listing["items"]]
    assert all(RFC3339_UTC.match(value) for value in published if value is not None)
    assert len([value for value in published if value]) >= 2


# --- find ------------------------------------------------------------------------------------


def test_find_by_path_redirects_to_an_absolute_detail_url(client, programme, element_page):
    response = client.get(f"{PAGES}find/", {"html_path": element_page.url, "fields": "title"})
    assert response.status_code == 302
    assert response["Location"] == (
        f"http://testserver/api/v2/pages/{element_page.pk}/?fields=title"
    )
    for path in ("/", programme.url.rstrip("/"), "kokreative-kommune/kultureller-wandel"):
        assert client.get(f"{PAGES}find/", {"html_path": path}).status_code == 302, path
    response = client.get(f"{PAGES}find/", {"id": element_page.pk})
    assert response["Location"] == f"http://testserver/api/v2/pages/{element_page.pk}/"
    # followed, the redirect gives the page
    assert (
        client.get(f"{PAGES}find/", {"html_path": element_page.url}, follow=True).json()["id"]
        == element_page.pk
    )


def test_find_misses_are_404s_in_our_shape(client, programme, element_page):
    draft = ElementPage(title="Entwurf", slug="entwurf", live=False)
    programme.add_child(instance=draft)
    private = add_page(programme, ElementPage, title="Intern", slug="intern")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    for params in (
        {"html_path": "/gibt-es-nicht/"},
        {"html_path": draft.url or "/kokreative-kommune/entwurf/"},
        {"html_path": private.url},
        {"id": 999999},
        {"id": "abc"},
        {},
    ):
        assert_error(client.get(f"{PAGES}find/", params), 404)


# --- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"fields": "nichts"}, "fields"),
        ({"fields": "title(x)"}, "fields"),
        ({"nichts": "1"}, "nichts"),
        ({"limit": "x"}, "limit"),
        ({"limit": "100000"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"type": "kokreative_offers.NoSuchPage"}, "type"),
        ({"child_of": "x"}, "child_of"),
        ({"child_of": "999999"}, "child_of"),
        ({"descendant_of": "999999"}, "descendant_of"),
        ({"order": "nichts"}, "order"),
        ({"id": "abc"}, "id"),
        ({"locale": "xx"}, "locale"),
        ({"first_published_at": "gestern"}, "first_published_at"),
    ],
)
def test_bad_listing_parameters_are_400s_naming_the_parameter(client, element_page, params, field):
    assert_error(client.get(PAGES, params), 400, field)


def test_unknown_pages_and_methods_in_our_shape(client, element_page):
    assert_error(client.get(f"{PAGES}999999/"), 404)
    assert_error(client.get("/api/v2/images/999999/"), 404)
    assert_error(client.get("/api/v2/documents/999999/"), 404)
    assert_error(client.get("/api/v2/images/", {"fields": "nichts"}), 400, "fields")
    response = client.post(PAGES, {})
    assert_error(response, 405)
    assert "GET" in response["Allow"]


def test_errors_follow_the_requested_language(client, element_page):
    german = client.get(PAGES, {"fields": "nichts"}, HTTP_ACCEPT_LANGUAGE="de").json()
    english = client.get(PAGES, {"fields": "nichts"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["detail"] == "Invalid request."
    assert english["errors"]["fields"] == ["Unknown field: nichts."]
    assert german["errors"]["fields"] == ["Unbekanntes Feld: nichts."]
    assert set(german["errors"]) == set(english["errors"]) == {"fields"}


def test_an_unknown_endpoint_below_the_page_api_is_a_json_404(client):
    """The example site routes what no viewset answers below /api/v2/ to the JSON 404 view."""
    response = client.get("/api/v2/nothing/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "errors": {}}


def test_the_root_of_the_tree_is_not_an_alternate(client, site_root):
    data = client.get(f"{PAGES}{site_root.pk}/").json()
    assert data["meta"]["alternates"] == []
    assert Page.objects.filter(depth=1).exists()


@pytest.mark.parametrize("encoded", ["%00", "de%00", "x" * 1000, "%ED%B3%BF", "de%01"])
def test_a_hostile_locale_is_a_400_not_a_500(client, element_page, encoded):
    """NUL (PostgreSQL cannot compare text holding it), a huge value, the UTF-8 bytes of a lone
    surrogate, a control character: sent as raw bytes, as an attacker would."""
    for path in (PAGES, f"{PAGES}{element_page.pk}/"):
        response = client.get(f"{path}?locale={encoded}")
        assert response.status_code == 400, (path, response.content)
        assert set(response.json()["errors"]) == {"locale"}


def test_nul_in_any_query_parameter_of_the_page_api_is_a_400(client, element_page):
    for query in ("slug=%00", "type=%00", "search=a%00", "html_path=/%00/", "x%00=1"):
        for path in (PAGES, "/api/v2/images/", f"{PAGES}find/"):
            response = client.get(f"{path}?{query}")
            assert response.status_code == 400, (path, query, response.content)
            assert response.json()["errors"], (path, query)
