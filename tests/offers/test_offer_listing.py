"""Offers: the filterable listing page (filters, search, sorting, pagination)."""

from __future__ import annotations

import re
from datetime import datetime
from datetime import timezone as dt_timezone

import pytest
from django.test import override_settings
from wagtail.models import Page, PageViewRestriction

from kokreative_wagtail.offers.models import OfferIndexPage

from ..factories import ImageFactory, create_element_page
from ..html_audit import audit_html
from .factories import (
    create_offer,
    create_offer_index,
    search_indexed,
)
from .offer_helpers import (
    API_OFFERS,
    FILTER_CASES,
    SEARCH_CASES,
    api_ids,
    filter_form,
    listed,
    offer_list_block,
    offer_list_value,
    pagination_links,
    section,
    set_published,
    titles,
)

pytestmark = pytest.mark.django_db


# --- listing: filters, search, sorting, pagination ---------------------------------------------


def test_listing_filters(client, catalogue):
    for params, expected in FILTER_CASES:
        response = client.get(catalogue.index.url, params)
        wanted = [getattr(catalogue, key).title for key in expected]
        assert listed(response) == wanted, params
        assert response.context["paginator"].count == len(wanted), params


def test_listing_search(client, catalogue):
    for query, expected in SEARCH_CASES:
        response = client.get(catalogue.index.url, {"q": query})
        assert listed(response) == [getattr(catalogue, key).title for key in expected], query


def test_search_combines_with_filters_and_sorting(client, catalogue):
    url = catalogue.index.url
    assert listed(client.get(url, {"q": "Moderation", "kind": "inhouse"})) == []
    assert listed(client.get(url, {"q": "Moderation", "kind": "training"})) == titles(catalogue.a)
    # "Austausch" (c's teaser) and "Grundlagen" (d's teaser) are not the same offer
    assert listed(client.get(url, {"q": "Austausch Grundlagen"})) == []
    # hits keep the chosen order, not the search ranking: a and d mention "Kommune"
    assert listed(client.get(url, {"q": "Kommune"})) == titles(catalogue.a, catalogue.d)
    assert listed(client.get(url, {"q": "Kommune", "sort": "title"})) == titles(
        catalogue.d, catalogue.a
    )
    assert listed(client.get(url, {"q": "Kommune", "sort": "newest"})) == titles(
        catalogue.d, catalogue.a
    )
    assert listed(client.get(url, {"q": "Kommune", "format": "on_site"})) == titles(catalogue.a)


def test_search_index_follows_publishing(client, catalogue):
    """Index entries change on publish, not on saving a draft."""
    url = catalogue.index.url
    offer = catalogue.b
    offer.title = "Keynote Klimaanpassung"
    with search_indexed():
        offer.save_revision()  # a draft: the live title stays, and so does the index
    assert listed(client.get(url, {"q": "Klimaanpassung"})) == []
    assert listed(client.get(url, {"q": "Zukunft"})) == ["Keynote Zukunft"]
    with search_indexed():
        offer.get_latest_revision().publish()
    assert listed(client.get(url, {"q": "Klimaanpassung"})) == ["Keynote Klimaanpassung"]
    assert listed(client.get(url, {"q": "Zukunft"})) == []


def test_listing_and_api_sort(client, catalogue):
    for sort, expected in [("", "abcd"), ("title", "bdca"), ("newest", "dbac")]:
        response = client.get(catalogue.index.url, {"sort": sort} if sort else {})
        assert listed(response) == [getattr(catalogue, key).title for key in expected], sort
        api = client.get(API_OFFERS, {"sort": sort} if sort else {})
        assert api_ids(api) == [getattr(catalogue, key).pk for key in expected], sort


def test_default_order_is_the_editors_tree_order(client, catalogue):
    catalogue.d.move(catalogue.a, pos="left")  # an editor drags d to the top
    expected = titles(catalogue.d, catalogue.a, catalogue.b, catalogue.c)
    assert listed(client.get(catalogue.index.url)) == expected
    assert listed(client.get(catalogue.index.url, {"q": "", "sort": ""})) == expected
    data = client.get(API_OFFERS).json()
    assert [item["title"] for item in data["items"]] == expected
    # sorting also applies to a filtered list
    filtered = client.get(catalogue.index.url, {"kind": "training", "sort": "title"})
    assert listed(filtered) == titles(catalogue.d, catalogue.a)


def test_newest_first_puts_offers_without_a_publication_date_last(client, catalogue):
    imported = create_offer(catalogue.index, title="Importiert", revisions=False)
    Page.objects.filter(pk=imported.pk).update(first_published_at=None)
    expected = titles(catalogue.d, catalogue.b, catalogue.a, catalogue.c, imported)
    assert listed(client.get(catalogue.index.url, {"sort": "newest"})) == expected
    data = client.get(API_OFFERS, {"sort": "newest"}).json()
    assert [item["title"] for item in data["items"]] == expected
    latest = offer_list_block().get_offers(offer_list_value(count=10))
    assert [offer.title for offer in latest] == expected


def test_listing_paginates(client, catalogue):
    OfferIndexPage.objects.filter(pk=catalogue.index.pk).update(per_page=2)
    url = catalogue.index.url
    first = client.get(url)
    assert listed(first) == titles(catalogue.a, catalogue.b)
    assert listed(client.get(url, {"page": 2})) == titles(catalogue.c, catalogue.d)
    # robust against bad page numbers: the first or the last page, never an error
    assert listed(client.get(url, {"page": "abc"})) == titles(catalogue.a, catalogue.b)
    assert listed(client.get(url, {"page": 999})) == titles(catalogue.c, catalogue.d)
    for bad in ("0", "-1", "1.5", ""):
        assert client.get(url, {"page": bad}).status_code == 200
    links = pagination_links(first)
    assert {"page": ["2"]} in links
    assert all(set(link) == {"page"} for link in links)
    page_two = client.get(url, {"page": 2})
    assert 'aria-current="page"' in section(page_two.content.decode(), "kk-pagination")
    assert audit_html(first.content.decode()).problems() == []


def test_pagination_links_keep_the_filter_state(client, catalogue):
    OfferIndexPage.objects.filter(pk=catalogue.index.pk).update(per_page=2)
    params = {"kind": ["training", "inhouse"], "q": "", "sort": "title"}
    first = client.get(catalogue.index.url, params)
    assert listed(first) == titles(catalogue.b, catalogue.d)  # three hits: b, d, a
    links = pagination_links(first)
    assert links, "expected pagination links"
    for link in links:
        assert link["kind"] == ["training", "inhouse"]
        assert link["sort"] == ["title"]
        assert link["q"] == [""]
    [next_link] = [link for link in links if link["page"] == ["2"]][:1]
    second = client.get(catalogue.index.url, next_link)
    assert listed(second) == titles(catalogue.a)
    # the page number itself is not duplicated into the links
    third = client.get(catalogue.index.url, {**params, "page": 2})
    assert all(len(link["page"]) == 1 for link in pagination_links(third))


def test_invalid_filter_values_show_an_error_in_the_form(client, catalogue):
    for param, value in [
        ("kind", "bogus"),
        ("audience", "nope"),
        ("format", "x"),
        ("element", "nope"),
        ("sort", "x"),
        ("q", "x" * 201),
    ]:
        response = client.get(catalogue.index.url, {param: value})
        assert response.status_code == 200, param
        markup = response.content.decode()
        form = section(markup, "kk-filter-form")
        assert 'aria-invalid="true"' in form, param
        assert 'class="kk-field-errors"' in form, param
        if param in ("kind", "audience", "format", "element"):
            assert f'id="kk-errors-{param}"' in form, param
        assert list(response.context["filterset"].errors) == [param]
        assert audit_html(markup).problems() == [], param


def test_invalid_values_never_give_a_500(client, catalogue):
    client.raise_request_exception = False
    for params in (
        {"kind": ["training", "bogus"]},
        {"audience": ["verwaltung", ""]},
        {"element": "<script>"},
        {"q": "\x00"},
        {"q": "*"},
        {"q": "( OR"},
        {"page": "1e9"},
        {"per_page": "1000"},
    ):
        response = client.get(catalogue.index.url, params)
        assert response.status_code == 200, params
        assert "<script>" not in section(response.content.decode(), "kk-filter-form")


@pytest.mark.parametrize("query", ['"', 'Workshop "Beteiligung'])
def test_search_with_an_unbalanced_quote_is_not_a_500(client, catalogue, query):
    client.raise_request_exception = False
    assert client.get(catalogue.index.url, {"q": query}).status_code == 200
    response = client.get(API_OFFERS, {"q": query})
    assert response.status_code in (200, 400)


def test_empty_results_show_a_helpful_message_and_a_show_all_link(client, catalogue):
    response = client.get(catalogue.index.url, {"kind": "community", "format": "online"})
    assert listed(response) == []
    markup = response.content.decode()
    assert 'class="kk-offer-list"' not in markup
    empty = section(markup, "kk-empty")
    assert 'role="status"' in markup
    assert re.search(r"<p>[^<]{10,}</p>", empty), empty  # a sentence, not nothing
    assert f'href="{catalogue.index.url}"' in empty  # "show all offers"
    assert audit_html(markup).problems() == []

    OfferIndexPage.objects.filter(pk=catalogue.index.pk).update(
        empty_text="Nichts gefunden – versucht es mit weniger Filtern."
    )
    response = client.get(catalogue.index.url, {"q": "Quantencomputer"})
    empty = section(response.content.decode(), "kk-empty")
    assert "Nichts gefunden – versucht es mit weniger Filtern." in empty
    assert f'href="{catalogue.index.url}"' in empty


def test_an_index_without_offers_shows_the_message_without_a_show_all_link(client, offer_index):
    response = client.get(offer_index.url)
    empty = section(response.content.decode(), "kk-empty")
    assert re.search(r"<p>[^<]{10,}</p>", empty)
    assert "href=" not in empty
    # sorting alone is no filter
    assert "href=" not in section(
        client.get(offer_index.url, {"sort": "title"}).content.decode(), "kk-empty"
    )


def test_submitting_the_empty_form_is_not_a_filter(client, offer_index):
    response = client.get(offer_index.url, {"q": "", "sort": ""})
    assert response.context["is_filtered"] is False
    assert "href=" not in section(response.content.decode(), "kk-empty")


def test_drafts_and_private_offers_are_never_listed(client, catalogue, hidden_offers):
    url = catalogue.index.url
    assert listed(client.get(url)) == titles(*catalogue.all)
    assert listed(client.get(url, {"q": "Verborgenwort"})) == []
    assert listed(client.get(url, {"element": "kultureller-wandel"})) == titles(
        catalogue.a, catalogue.c
    )
    assert client.get(url).context["paginator"].count == 4
    data = client.get(API_OFFERS).json()
    assert data["count"] == 4
    hidden = {offer.pk for offer in hidden_offers}
    assert not hidden & {item["id"] for item in data["items"]}
    assert client.get(API_OFFERS, {"q": "Verborgenwort"}).json()["count"] == 0


def test_offers_below_a_private_index_are_hidden_everywhere(
    client, programme, elements, catalogue, site_root
):
    """A restriction on an ancestor hides its offers from the API, blocks and element pages."""
    members = create_offer_index(site_root, title="Mitgliederbereich", slug="mitglieder")
    inner = create_offer(
        members, title="Internes Training", kind="training", elements=[elements[0]]
    )
    set_published(inner, datetime(2026, 1, 1, tzinfo=dt_timezone.utc))  # the newest of all
    PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.LOGIN)

    assert inner.pk not in api_ids(client.get(API_OFFERS))
    assert client.get(API_OFFERS, {"index": members.pk}).json()["items"] == []
    element_page = create_element_page(programme, elements[0])
    assert listed(client.get(element_page.url)) == titles(catalogue.a, catalogue.c)
    latest = offer_list_block().get_offers(offer_list_value(count=1), page=programme)
    assert latest == [catalogue.d]
    assert client.get(members.url).status_code == 302  # to the login page


@override_settings(KOKREATIVE={"TEASER_RENDITION": "fill-120x80"})
def test_teaser_rendition_is_a_setting(client, offer_index):
    image = ImageFactory(title="Einstellung")
    offer = create_offer(offer_index, title="Mit Bild", teaser_image=image)
    markup = client.get(offer_index.url).content.decode()
    assert "fill-120x80" in markup and "fill-640x360" not in markup
    [item] = client.get(API_OFFERS).json()["items"]
    assert "fill-120x80" in item["teaser_image"]["url"]
    detail = client.get(f"/api/v2/pages/{offer.pk}/").json()
    assert "fill-120x80" in detail["teaser_image"]["url"]


def test_teaser_follows_a_changed_focal_point(client, offer_index):
    image = ImageFactory(title="Fokus")
    create_offer(offer_index, title="Mit Fokus", teaser_image=image)
    client.get(offer_index.url)  # renders (and stores) the crop around the centre
    image.focal_point_x, image.focal_point_y = 8, 8
    image.focal_point_width, image.focal_point_height = 10, 10
    image.save()
    expected = image.get_rendition("fill-640x360").url  # Wagtail's lookup: the new crop
    assert f'src="{expected}"' in client.get(offer_index.url).content.decode()
    [item] = client.get(API_OFFERS).json()["items"]
    assert item["teaser_image"]["url"] == expected


def test_offers_of_another_index_are_not_listed(client, catalogue, site_root):
    other = create_offer_index(site_root, title="Archiv", slug="archiv")
    create_offer(other, title="Altes Seminar")
    assert listed(client.get(catalogue.index.url)) == titles(*catalogue.all)
    assert listed(client.get(other.url)) == ["Altes Seminar"]


def test_listing_page_is_accessible(client, catalogue):
    image = ImageFactory(title="Gruppenbild")
    catalogue.a.teaser_image = image
    catalogue.a.save_revision().publish()
    OfferIndexPage.objects.filter(pk=catalogue.index.pk).update(per_page=3)
    response = client.get(catalogue.index.url)
    markup = response.content.decode()
    audit = audit_html(markup)
    assert audit.problems() == []
    assert audit.headings[0] == (1, "Angebote")
    assert (3, "Workshop Beteiligung") in audit.headings
    assert {"main", "nav"} <= set(audit.landmarks)
    assert "fill-640x360" in markup  # the teaser rendition
    assert "<b>Angebote</b>" in markup  # the intro's rich text


def test_filter_form_works_without_javascript(client, catalogue):
    response = client.get(
        catalogue.index.url, {"kind": "inhouse", "q": "Zukunft", "sort": "newest"}
    )
    form = filter_form(response)
    assert form["attrs"]["method"].lower() == "get"
    assert form["attrs"].get("action", "") in ("", catalogue.index.url)
    controls = form["controls"]
    names = {c.get("name") for c in controls if c.get("name")}
    assert names == {"q", "kind", "audience", "format", "element", "sort"}
    assert any(c["tag"] == "button" and c.get("type") == "submit" for c in controls)
    # every checkbox has its label
    checkboxes = [c for c in controls if c.get("type") == "checkbox"]
    assert checkboxes and all(c["id"] in form["labels"] for c in checkboxes)
    assert {c["value"] for c in checkboxes if c["name"] == "kind"} == {
        "training",
        "inhouse",
        "community",
    }
    assert {c["value"] for c in checkboxes if c["name"] == "format"} == {
        "on_site",
        "online",
        "hybrid",
    }
    assert {c["value"] for c in checkboxes if c["name"] == "element"} == {
        "kultureller-wandel",
        "raumstrukturen",
    }
    # the state of the URL is the state of the form
    assert [c["value"] for c in checkboxes if "checked" in c] == ["inhouse"]
    [search] = [c for c in controls if c.get("name") == "q"]
    assert search["value"] == "Zukunft"
    [sort] = [c for c in controls if c.get("name") == "sort"]
    assert [o["value"] for o in sort["options"] if "selected" in o] == ["newest"]
    assert listed(response) == ["Keynote Zukunft"]
