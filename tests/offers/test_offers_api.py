"""Offers: GET offers, the Wagtail API v2 fields of offer pages and query counts."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale

from kokreative_wagtail.models import ProgrammePage
from kokreative_wagtail.offers.models import OfferIndexPage

from ..factories import ElementFactory, ImageFactory, add_page, create_element_page
from .factories import (
    AudienceFactory,
    build_offers,
    create_offer,
    create_offer_index,
    create_second_site,
)
from .offer_helpers import (
    API_LIST_MAX_QUERIES,
    API_OFFERS,
    FILTER_CASES,
    INDEX_PAGE_MAX_QUERIES,
    OTHER_HOST,
    SEARCH_CASES,
    api_ids,
    listed,
)

pytestmark = pytest.mark.django_db


# --- API: GET offers ---------------------------------------------------------------------------


def test_api_filters(client, catalogue):
    for params, expected in FILTER_CASES:
        response = client.get(API_OFFERS, params)
        assert api_ids(response) == [getattr(catalogue, key).pk for key in expected], params
        assert response.json()["count"] == len(expected), params


def test_api_item_shape(client, catalogue):
    image = ImageFactory(title="Gruppenbild")
    catalogue.c.teaser_image = image
    catalogue.c.cost = "kostenfrei"
    catalogue.c.save_revision().publish()
    data = client.get(API_OFFERS, {"kind": "community"}).json()
    assert data["count"] == 1
    [item] = data["items"]
    assert item["id"] == catalogue.c.pk
    assert item["title"] == "Praxisgemeinschaft"
    assert item["slug"] == "praxisgemeinschaft"
    assert item["url"] == catalogue.c.url
    assert item["full_url"] == "http://testserver" + catalogue.c.url  # the host that answered
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", item["last_published_at"])
    assert item["locale"] == "de"
    assert (item["kind"], item["format"]) == ("community", "hybrid")
    assert item["kind_label"] and item["format_label"]
    assert item["cost"] == "kostenfrei"
    assert item["teaser"] == "Austausch unter Kolleginnen"
    assert [a["slug"] for a in item["audiences"]] == ["verwaltung", "zivilgesellschaft"]
    assert {a["name"] for a in item["audiences"]} == {"Verwaltung", "Zivilgesellschaft"}
    assert [e["slug"] for e in item["elements"]] == ["kultureller-wandel", "raumstrukturen"]
    assert item["elements"][0]["colour"] == "#b5361c"
    assert item["teaser_image"]["id"] == image.pk
    assert (
        item["teaser_image"]["url"].startswith("/")
        and "fill-640x360" in item["teaser_image"]["url"]
    )
    assert item["teaser_image"]["width"] and item["teaser_image"]["height"]
    # the one image shape (kokreative_wagtail.images)
    assert set(item["teaser_image"]) == {
        "id",
        "url",
        "full_url",
        "width",
        "height",
        "alt",
        "srcset",
        "renditions",
    }
    assert item["teaser_image"]["full_url"] == "http://testserver" + item["teaser_image"]["url"]


def test_api_search(client, catalogue):
    for query, expected in SEARCH_CASES:
        response = client.get(API_OFFERS, {"q": query})
        assert api_ids(response) == [getattr(catalogue, key).pk for key in expected], query
    assert client.get(API_OFFERS, {"q": "Moderation", "kind": "inhouse"}).json()["count"] == 0
    data = client.get(API_OFFERS, {"q": "Moderation", "kind": "training"}).json()
    assert [item["id"] for item in data["items"]] == [catalogue.a.pk]
    data = client.get(API_OFFERS, {"q": "", "kind": "training"}).json()  # empty q: no search
    assert data["count"] == 2


def test_api_paginates_with_limit_and_offset(client, catalogue):
    data = client.get(API_OFFERS, {"limit": 2, "offset": 1}).json()
    assert data["count"] == 4
    assert [item["id"] for item in data["items"]] == [catalogue.b.pk, catalogue.c.pk]
    data = client.get(API_OFFERS, {"limit": 2, "offset": 3}).json()
    assert (data["count"], [i["id"] for i in data["items"]]) == (4, [catalogue.d.pk])
    # past the end: no items, but still the total
    data = client.get(API_OFFERS, {"offset": 10}).json()
    assert (data["count"], data["items"]) == (4, [])
    data = client.get(API_OFFERS, {"limit": 1, "sort": "title", "kind": "training"}).json()
    assert (data["count"], [i["id"] for i in data["items"]]) == (2, [catalogue.d.pk])
    assert client.get(API_OFFERS, {"limit": 100}).json()["count"] == 4


@override_settings(KOKREATIVE={"API_PAGE_SIZE": 3, "API_MAX_PAGE_SIZE": 3})
def test_api_page_size_follows_the_settings(client, catalogue):
    data = client.get(API_OFFERS).json()
    assert (data["count"], len(data["items"])) == (4, 3)
    response = client.get(API_OFFERS, {"limit": 4})
    assert response.status_code == 400
    assert "limit" in response.json()["errors"]


def test_api_restricts_to_one_index(client, catalogue, site_root):
    other = create_offer_index(site_root, title="Archiv", slug="archiv")
    archived = create_offer(other, title="Altes Seminar", kind="training")
    assert client.get(API_OFFERS).json()["count"] == 5
    assert api_ids(client.get(API_OFFERS, {"index": other.pk})) == [archived.pk]
    assert api_ids(client.get(API_OFFERS, {"index": catalogue.index.pk, "kind": "training"})) == [
        catalogue.a.pk,
        catalogue.d.pk,
    ]


def test_api_lists_one_language(client, site_root, catalogue):
    english = Locale.objects.create(language_code="en")
    en_index = create_offer_index(site_root, title="Offers", slug="offers", locale=english)
    en_offer = create_offer(en_index, title="Participation workshop", locale=english)
    assert en_offer.locale == english

    assert client.get(API_OFFERS).json()["count"] == 4  # the active language (de)
    data = client.get(API_OFFERS, {"locale": "en"}).json()
    assert [item["id"] for item in data["items"]] == [en_offer.pk]
    assert data["items"][0]["locale"] == "en"
    assert client.get(API_OFFERS, {"locale": "de"}).json()["count"] == 4
    assert client.get(API_OFFERS, {"locale": "DE"}).json()["count"] == 4


I18N = {
    "WAGTAIL_I18N_ENABLED": True,
    "WAGTAIL_CONTENT_LANGUAGES": [("de", "Deutsch"), ("en", "English")],
}


def translated_tree(site_root, elements):
    """An English tree as Wagtail i18n builds it: the translated root is a sibling of the site's.

    With i18n on, Wagtail counts that tree to the same site (``get_site()``, URLs).
    """
    english = Locale.objects.create(language_code="en")
    en_root = site_root.copy_for_translation(english)
    en_root.save_revision().publish()
    en_element = ElementFactory(name="Cultural change", locale=english)
    en_index = create_offer_index(en_root, title="Offers", slug="offers", locale=english)
    en_offer = create_offer(
        en_index, title="Participation workshop", locale=english, elements=[en_element]
    )
    assert en_offer.get_site() == site_root.get_site()
    return SimpleNamespace(
        locale=english, root=en_root, element=en_element, index=en_index, offer=en_offer
    )


@override_settings(**I18N)
def test_api_lists_offers_of_a_translated_tree(client, site_root, elements, catalogue):
    tree = translated_tree(site_root, elements)
    data = client.get(API_OFFERS, {"locale": "en"}).json()
    assert [item["id"] for item in data["items"]] == [tree.offer.pk]


@override_settings(**I18N)
def test_element_page_of_a_translated_tree_shows_its_offers(site_root, elements):
    from kokreative_wagtail.offers.queries import offers_for_element

    tree = translated_tree(site_root, elements)
    en_programme = add_page(
        tree.root, ProgrammePage, title="Programme", slug="programme", locale=tree.locale
    )
    en_element_page = create_element_page(en_programme, tree.element, locale=tree.locale)
    assert en_element_page.get_site() == site_root.get_site()
    assert offers_for_element(en_element_page) == [tree.offer]


@override_settings(ALLOWED_HOSTS=["testserver", "localhost", OTHER_HOST])
def test_api_lists_only_the_requesting_sites_offers(client, catalogue):
    _site, other_root = create_second_site(OTHER_HOST)
    other_index = create_offer_index(other_root, title="Angebote", slug="angebote")
    foreign = create_offer(other_index, title="Fremdes Training", kind="training")

    mine = client.get(API_OFFERS).json()
    assert foreign.pk not in [item["id"] for item in mine["items"]]
    assert mine["count"] == 4

    theirs = client.get(API_OFFERS, HTTP_HOST=OTHER_HOST)
    assert api_ids(theirs) == [foreign.pk]
    assert theirs.json()["items"][0]["url"] == "/angebote/fremdes-training/"
    # another site's index cannot be used to reach its offers
    response = client.get(API_OFFERS, {"index": other_index.pk})
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.json()["items"] == []
    assert listed(client.get("/angebote/", HTTP_HOST=OTHER_HOST)) == ["Fremdes Training"]


BAD_API_INPUT = [
    ({"kind": "bogus"}, "kind"),
    ({"kind": ["training", "bogus"]}, "kind"),
    ({"format": "x"}, "format"),
    ({"audience": "nope"}, "audience"),
    ({"element": "nope"}, "element"),
    ({"sort": "x"}, "sort"),
    ({"limit": 0}, "limit"),
    ({"limit": 1000}, "limit"),
    ({"limit": "abc"}, "limit"),
    ({"offset": -1}, "offset"),
    ({"offset": "x"}, "offset"),
    ({"index": "abc"}, "index"),
    ({"index": 99999999}, "index"),
    ({"locale": "xx"}, "locale"),
    ({"locale": "x" * 21}, "locale"),
    ({"q": "x" * 201}, "q"),
]


def test_api_bad_input_is_a_400_naming_the_parameter(client, catalogue, site_root):
    client.raise_request_exception = False
    cases = [
        *BAD_API_INPUT,
        ({"index": site_root.pk}, "index"),  # a page, but not an offer index
        ({"index": catalogue.a.pk}, "index"),  # an offer, not its index
    ]
    for params, field in cases:
        response = client.get(API_OFFERS, params)
        assert response.status_code == 400, (params, response.content[:500])
        assert response["Content-Type"].startswith("application/json")
        body = response.json()
        assert isinstance(body["detail"], str) and body["detail"], params
        assert field in body["errors"], (params, body)
        assert body["errors"][field], params
        assert all(isinstance(m, str) for m in body["errors"][field]), params
    # several bad parameters are all named
    response = client.get(API_OFFERS, {"kind": "bogus", "limit": 0, "sort": "x"})
    assert response.status_code == 400
    assert {"kind", "limit", "sort"} <= set(response.json()["errors"])


def test_api_audience_of_another_language_is_a_400(client, catalogue):
    english = Locale.objects.create(language_code="en")
    AudienceFactory(name="Administration", slug="administration", locale=english)
    response = client.get(API_OFFERS, {"audience": "administration"})
    assert response.status_code == 400
    assert "audience" in response.json()["errors"]
    assert client.get(API_OFFERS, {"audience": "administration", "locale": "en"}).status_code == 200


def test_api_is_described_in_the_openapi_schema(client, db):
    schema = client.get("/api/kokreative/v1/openapi.json").json()
    operation = schema["paths"]["/api/kokreative/v1/offers"]["get"]
    assert operation["operationId"] == "list_offers"
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names == {
        "q",
        "kind",
        "audience",
        "format",
        "element",
        "sort",
        "index",
        "locale",
        "limit",
        "offset",
    }
    assert {"200", "400"} <= set(operation["responses"])
    assert "OfferListSchema" in schema["components"]["schemas"]


# --- Wagtail API v2 ----------------------------------------------------------------------------


def test_offer_in_api_v2(client, site_root, catalogue, audiences):
    image = ImageFactory(title="Stadtwerkstatt")
    consultation = add_page(site_root, ProgrammePage, title="Beratung", slug="beratung")
    offer = catalogue.c
    offer.teaser_image = image
    offer.duration = "ein Jahr"
    offer.contact_name = "Kim Muster"
    offer.consultation_page = consultation
    offer.save_revision().publish()

    response = client.get(f"/api/v2/pages/{offer.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["type"] == "kokreative_offers.OfferPage"
    assert (data["kind"], data["format"]) == ("community", "hybrid")
    assert data["duration"] == "ein Jahr"
    assert data["contact_name"] == "Kim Muster"
    assert data["consultation_url"] == consultation.url
    assert data["audiences"] == [
        {"id": audiences["verwaltung"].pk, "slug": "verwaltung", "name": "Verwaltung"},
        {
            "id": audiences["zivilgesellschaft"].pk,
            "slug": "zivilgesellschaft",
            "name": "Zivilgesellschaft",
        },
    ]
    assert [e["slug"] for e in data["elements"]] == ["kultureller-wandel", "raumstrukturen"]
    assert set(data["elements"][0]) >= {"id", "name", "slug", "colour", "locale"}
    assert data["teaser_image"]["url"].startswith("/")
    assert data["teaser_image"]["alt"] == "Stadtwerkstatt"
    assert data["teaser_image"]["width"] and data["teaser_image"]["height"]
    assert data["body"][0]["type"] == "rich_text"
    assert "Fallberatung" in data["body"][0]["value"]


def test_offer_index_in_api_v2(client, catalogue):
    OfferIndexPage.objects.filter(pk=catalogue.index.pk).update(empty_text="Nichts da.")
    data = client.get(f"/api/v2/pages/{catalogue.index.pk}/").json()
    assert data["meta"]["type"] == "kokreative_offers.OfferIndexPage"
    assert data["intro"] == "<p>Unsere <b>Angebote</b> für euch</p>"
    assert data["empty_text"] == "Nichts da."
    assert data["per_page"] == 12


def test_api_v2_listing_of_offers_hides_drafts_and_private_ones(client, catalogue, hidden_offers):
    response = client.get(
        "/api/v2/pages/",
        {"type": "kokreative_offers.OfferPage", "fields": "kind,audiences,elements,teaser_image"},
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert sorted(item["id"] for item in items) == sorted(o.pk for o in catalogue.all)
    assert {item["kind"] for item in items} == {"training", "inhouse", "community"}
    for offer in hidden_offers:
        assert client.get(f"/api/v2/pages/{offer.pk}/").status_code == 404


# --- query counts ------------------------------------------------------------------------------


def run_warm(client, url: str) -> CaptureQueriesContext:
    """GET ``url`` twice (the first creates renditions and fills caches); capture the second."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return captured


@pytest.fixture
def offer_data(offer_index, audiences, elements):
    return {
        "audiences": [audiences["verwaltung"], audiences["zivilgesellschaft"]],
        "elements": list(elements),
    }


@pytest.mark.parametrize("count", [5, 200])
def test_index_page_and_api_list_run_a_constant_number_of_queries(
    client, offer_index, offer_data, count, django_assert_max_num_queries
):
    """Measured at 5 offers, then again after growing to ``count``: the same number."""
    urls = {
        "page": offer_index.url,
        "page, filtered": f"{offer_index.url}?element=raumstrukturen&kind=training&sort=title",
        "page, searched": f"{offer_index.url}?q=Kurzbeschreibung&page=2",
        "api": API_OFFERS,
        "api, filtered": f"{API_OFFERS}?element=kultureller-wandel&audience=verwaltung&sort=newest",
        "api, searched": f"{API_OFFERS}?q=Kurzbeschreibung&offset=3",
    }
    build_offers(offer_index, 5, **offer_data)
    baseline = {name: len(run_warm(client, url)) for name, url in urls.items()}
    if count > 5:
        build_offers(offer_index, count - 5, start=5, **offer_data)
    measured = {name: len(run_warm(client, url)) for name, url in urls.items()}
    print(f"\nqueries at 5 offers: {baseline}\nqueries at {count} offers: {measured}")
    assert measured == baseline

    with django_assert_max_num_queries(INDEX_PAGE_MAX_QUERIES):
        response = client.get(offer_index.url)
    assert len(listed(response)) == min(count, 12)
    assert response.content.decode().count("fill-640x360") == min(count, 12)
    assert response.context["paginator"].count == count
    for name in ("page, filtered", "page, searched"):
        assert measured[name] <= INDEX_PAGE_MAX_QUERIES, name

    with django_assert_max_num_queries(API_LIST_MAX_QUERIES):
        response = client.get(API_OFFERS)
    data = response.json()
    assert data["count"] == count
    assert len(data["items"]) == min(count, 20)
    assert len({item["teaser_image"]["id"] for item in data["items"]}) == min(count, 20)
    assert all(item["teaser_image"]["url"] for item in data["items"])
    assert all(len(item["elements"]) == 2 and len(item["audiences"]) == 2 for item in data["items"])
    # the filtered list validates its audience and element slugs: two lookups more, not per offer
    assert measured["api, filtered"] <= API_LIST_MAX_QUERIES + 2
