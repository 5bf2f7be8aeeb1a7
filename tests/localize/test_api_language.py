"""The language of API answers: ``?locale=``, else ``Accept-Language``, else German.

Labels of choices (kind, format), snippet names (audiences, elements), error messages and the
``Content-Language`` header follow it, in our API and in API v2. Runs under
``tests.settings_localize`` (German default, English translations through wagtail-localize).
"""

from __future__ import annotations

import pytest
from wagtail.models import Locale

from kokreative_wagtail.offers.models import Audience

from . import test_localize
from .test_localize import OFFER_STRINGS, translate

# fixtures shared with test_localize
element = test_localize.element
en = test_localize.en
offer = test_localize.offer
offer_index = test_localize.offer_index

API = "/api/kokreative/v1"


@pytest.fixture
def en_offer(offer, en):
    audience = Audience.objects.get(slug="verwaltung", locale=Locale.get_default())
    if audience.get_translation_or_none(en) is None:
        translate(audience, en, {"Verwaltung": "Administration", "verwaltung": "administration"})
    return translate(offer, en, OFFER_STRINGS)


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"data": {"locale": "en"}},
        {"data": {"locale": "EN"}},
        {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9,de;q=0.1"},
        {"HTTP_ACCEPT_LANGUAGE": "fr, en;q=0.5"},
    ],
)
def test_offers_in_english_with_english_labels(client, en_offer, request_kwargs):
    response = client.get(f"{API}/offers", **request_kwargs)
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    [item] = response.json()["items"]
    assert (item["id"], item["title"], item["locale"]) == (
        en_offer.pk,
        "Participation workshop",
        "en",
    )
    assert item["kind_label"] == "Trainings and workshops"
    assert [a["name"] for a in item["audiences"]] == ["Administration"]
    assert [e["name"] for e in item["elements"]] == ["Spatial structures"]


@pytest.mark.parametrize(
    "request_kwargs",
    [{}, {"data": {"locale": "de"}}, {"HTTP_ACCEPT_LANGUAGE": "de"}, {"HTTP_ACCEPT_LANGUAGE": "*"}],
)
def test_offers_in_german_by_default(client, offer, en_offer, request_kwargs):
    response = client.get(f"{API}/offers", **request_kwargs)
    assert response["Content-Language"] == "de"
    [item] = response.json()["items"]
    assert (item["id"], item["kind_label"]) == (offer.pk, "Trainings und Workshops")
    assert [a["name"] for a in item["audiences"]] == ["Verwaltung"]


def test_the_locale_parameter_wins_over_the_header(client, en_offer):
    response = client.get(f"{API}/offers", {"locale": "de"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "de"
    assert response.json()["items"][0]["kind_label"] == "Trainings und Workshops"


def test_format_labels_translate(client, offer, en_offer):
    type(offer).objects.filter(pk__in=[offer.pk, en_offer.pk]).update(format="on_site")
    english = client.get(f"{API}/offers", {"locale": "en"}).json()["items"][0]
    german = client.get(f"{API}/offers").json()["items"][0]
    assert (english["format_label"], german["format_label"]) == ("On site", "Vor Ort")


def test_errors_in_the_requested_language(client, en):
    english = client.get(f"{API}/offers", {"locale": "xx"}, HTTP_ACCEPT_LANGUAGE="en")
    german = client.get(f"{API}/offers", {"locale": "xx"})
    assert english.status_code == german.status_code == 400
    assert english["Content-Language"] == "en" and german["Content-Language"] == "de"
    assert english.json()["detail"] == "Unknown locale."
    assert german.json()["detail"] == "Unbekannte Sprache."
    assert "locale" in english.json()["errors"]

    bad_filter = client.get(f"{API}/offers", {"audience": "nope"}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad_filter.status_code == 400
    assert bad_filter.json()["detail"] == "Invalid filter."
    assert bad_filter.json()["errors"]["audience"] == [
        "Select a valid choice. nope is not one of the available choices."
    ]


@pytest.mark.parametrize("header", ["en;q=2", "x" * 5_000, "\x00", ";;;,,,", "en-" + "a" * 300])
def test_malformed_language_headers_never_fail(client, offer, header):
    response = client.get(f"{API}/offers", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 200
    assert response["Content-Language"] == "de"


def test_elements_follow_the_header_too(client, element, en):
    english = client.get(f"{API}/elements", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [e["name"] for e in english["items"]] == ["Spatial structures"]
    german = client.get(f"{API}/elements").json()
    assert [e["name"] for e in german["items"]] == ["Raumstrukturen"]


def test_pages_api_labels_in_the_requested_language(client, offer, en_offer):
    english = client.get(f"/api/v2/pages/{en_offer.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200
    assert english["Content-Language"] == "en"
    data = english.json()
    assert data["kind_label"] == "Trainings and workshops"
    assert [a["name"] for a in data["audiences"]] == ["Administration"]
    german = client.get(f"/api/v2/pages/{offer.pk}/").json()
    assert german["kind_label"] == "Trainings und Workshops"
    assert [a["name"] for a in german["audiences"]] == ["Verwaltung"]


def test_pages_api_labels_follow_the_page_not_the_request(client, offer, en_offer):
    """An English offer's labels are English even when the request prefers German, as its
    audiences and the blocks of an English page are."""
    data = client.get(f"/api/v2/pages/{en_offer.pk}/", HTTP_ACCEPT_LANGUAGE="de").json()
    assert data["kind_label"] == "Trainings and workshops"
    assert [a["name"] for a in data["audiences"]] == ["Administration"]
    german = client.get(f"/api/v2/pages/{offer.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert german["kind_label"] == "Trainings und Workshops"


def test_locale_on_a_page_detail_chooses_the_language_not_the_page(client, offer, en_offer):
    """A front end that sends ?locale= with every request gets the page it asked for by id
    (Wagtail's own filter answered 404 for a page of another language); a listing still
    filters by it, and an unknown code is still a 400."""
    response = client.get(f"/api/v2/pages/{en_offer.pk}/", {"locale": "de"})
    assert response.status_code == 200, response.content
    assert response.json()["meta"]["locale"] == "en"
    assert response["Content-Language"] == "en"  # the page's language, which its labels follow
    listing = client.get("/api/v2/pages/", {"locale": "de", "type": "kokreative_offers.OfferPage"})
    assert [item["id"] for item in listing.json()["items"]] == [offer.pk]
    unknown = client.get(f"/api/v2/pages/{en_offer.pk}/", {"locale": "xx"})
    assert unknown.status_code == 400
    assert set(unknown.json()["errors"]) == {"locale"}


def test_pages_api_errors_in_the_requested_language(client, en):
    english = client.get("/api/v2/pages/999999/", HTTP_ACCEPT_LANGUAGE="en")
    german = client.get("/api/v2/pages/999999/")
    assert english.status_code == german.status_code == 404
    assert english["Content-Language"] == "en"
    assert english.json()["detail"] != german.json()["detail"]
    assert english.json()["detail"] == "Not found."
