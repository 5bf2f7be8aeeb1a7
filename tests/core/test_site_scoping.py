"""Every relation query lists only pages of the own site: the requesting site or the page's.

Two sites: the default one (requests to ``testserver`` fall back to it) and ``other.example``
with its own root page. Each site has an event index at ``/termine/`` and offers at
``/angebote/``; the other site's events even point at our offer. Nothing of the other site, and
no link to its host, may show up on our pages, and the other way round.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Locale, Page, Site

from kokreative_wagtail.events.blocks import UpcomingEventsBlock
from kokreative_wagtail.events.models import EventIndexPage, EventPage
from kokreative_wagtail.models import ProgrammePage
from kokreative_wagtail.offers.blocks import OfferListBlock
from kokreative_wagtail.offers.models import OfferPage

from ..factories import add_page, create_element_page
from ..offers.factories import create_offer, create_offer_index, create_second_site

pytestmark = pytest.mark.django_db

OTHER_HOST = "other.example"
OCCURRENCES_API = "/api/kokreative/v1/occurrences"
OFFERS_API = "/api/kokreative/v1/offers"
OCCURRENCE_TITLE = re.compile(r'class="kk-occurrence-title">(?:<a href="[^"]*">)?([^<]*)<')
OFFER_TITLE = re.compile(r'class="kk-offer-title"><a href="[^"]*">([^<]*)</a>')


# --- helpers -----------------------------------------------------------------------------------


def soon(days: int = 7):
    return (timezone.now() + timedelta(days=days)).replace(second=0, microsecond=0)


def add_event(index, title: str, *, days: int = 7, elements=(), **fields) -> EventPage:
    """A one-off event ``days`` from now below ``index``, published through a revision."""
    start = soon(days)
    page = EventPage(
        title=title,
        slug=fields.pop("slug", title.lower().replace(" ", "-")),
        start=start,
        end=start + timedelta(hours=1),
        **fields,
    )
    page.elements = list(elements)
    index.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def path_of(page) -> str:
    """The page's path on its own site (``page.url`` is absolute once there are two sites)."""
    return page.get_url_parts()[2]


def on_other_site(client, url: str, **params):
    return client.get(url, params, HTTP_HOST=OTHER_HOST)


def html_of(response) -> str:
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def occurrence_titles(markup: str) -> list[str]:
    return OCCURRENCE_TITLE.findall(markup)


def offer_titles(markup: str) -> list[str]:
    return OFFER_TITLE.findall(markup)


def upcoming_block() -> tuple[str, dict]:
    return ("upcoming_events", {"heading": "Termine", "index": None, "element": None, "count": 5})


def offer_list_block() -> tuple[str, dict]:
    value = {"heading": "", "mode": "latest", "offers": [], "kind": "", "element": None, "count": 5}
    return ("offer_list", value)


def request_to(host: str = "testserver"):
    """A bare request to ``host``, for blocks rendered without a page."""
    return RequestFactory().get("/", HTTP_HOST=host)


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _other_host_allowed(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, OTHER_HOST]


@pytest.fixture
def other_root(db) -> Page:
    _site, root = create_second_site(OTHER_HOST)
    return root


@pytest.fixture
def event_index(site_root) -> EventIndexPage:
    return add_page(site_root, EventIndexPage, title="Termine", slug="termine")


@pytest.fixture
def other_index(other_root) -> EventIndexPage:
    return add_page(other_root, EventIndexPage, title="Termine", slug="termine")


@pytest.fixture
def offer(site_root) -> OfferPage:
    return create_offer(create_offer_index(site_root), title="Werkstatt", slug="werkstatt")


@pytest.fixture
def two_sites(event_index, other_index, offer, elements):
    """An event on each site, both delivering our offer and tagged with the first element."""
    own = add_event(event_index, "Eigener Termin", related_offer=offer, elements=[elements[0]])
    foreign = add_event(
        other_index, "Fremder Termin", days=6, related_offer=offer, elements=[elements[0]]
    )
    return own, foreign


# --- the offer page's dates --------------------------------------------------------------------


def test_offer_page_lists_only_dates_of_its_own_site(client, offer, two_sites):
    own, foreign = two_sites
    response = client.get(path_of(offer))
    markup = html_of(response)
    assert response.context["event_series"] == [own]
    assert f'href="{path_of(own)}"' in markup
    assert foreign.title not in markup
    assert OTHER_HOST not in markup


def test_offer_page_of_the_other_site_lists_only_its_dates(
    client, other_root, event_index, other_index
):
    other_offer = create_offer(create_offer_index(other_root), title="Fremde Werkstatt")
    own = add_event(event_index, "Eigener Termin", related_offer=other_offer)
    foreign = add_event(other_index, "Fremder Termin", related_offer=other_offer)
    response = on_other_site(client, path_of(other_offer))
    markup = html_of(response)
    assert response.context["event_series"] == [foreign]
    assert own.title not in markup


def test_offer_page_dates_run_a_constant_number_of_queries(client, offer, event_index, other_index):
    def count() -> int:
        client.get(path_of(offer))  # warm caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path_of(offer))
        assert response.status_code == 200
        return len(queries)

    add_event(event_index, "Termin 0", related_offer=offer)
    at_one = count()
    for number in range(1, 6):
        add_event(event_index, f"Termin {number}", related_offer=offer)
        add_event(other_index, f"Fremd {number}", related_offer=offer)
    assert count() == at_one
    assert len(client.get(path_of(offer)).context["event_series"]) == 6


# --- the "upcoming events" block ---------------------------------------------------------------


def test_upcoming_events_block_lists_only_events_of_the_pages_site(
    client, programme, other_root, two_sites
):
    own, foreign = two_sites
    programme.body = [upcoming_block()]
    programme.save_revision().publish()
    markup = html_of(client.get(path_of(programme)))
    assert occurrence_titles(markup) == [own.title]
    assert OTHER_HOST not in markup

    # the same block on the other site's programme page lists that site's events
    other_programme = add_page(
        other_root, ProgrammePage, title="Programm", slug="programm", body=[upcoming_block()]
    )
    markup = html_of(on_other_site(client, path_of(other_programme)))
    assert occurrence_titles(markup) == [foreign.title]


def test_upcoming_events_block_in_api_v2_lists_only_events_of_the_requesting_site(
    client, programme, other_root, two_sites
):
    own, foreign = two_sites
    programme.body = [upcoming_block()]
    programme.save_revision().publish()
    data = client.get(f"/api/v2/pages/{programme.pk}/").json()
    [block] = data["body"]
    assert [o["event"]["id"] for o in block["value"]["occurrences"]] == [own.pk]
    assert OTHER_HOST not in str(block)

    other_programme = add_page(
        other_root, ProgrammePage, title="Programm", slug="programm", body=[upcoming_block()]
    )
    response = on_other_site(client, f"/api/v2/pages/{other_programme.pk}/")
    assert response.status_code == 200
    [block] = response.json()["body"]
    assert [o["event"]["id"] for o in block["value"]["occurrences"]] == [foreign.pk]


def test_upcoming_events_block_without_a_page_takes_the_requests_site(two_sites):
    own, foreign = two_sites
    block = UpcomingEventsBlock()
    value = block.to_python(upcoming_block()[1])
    markup = block.render(value, context={"request": request_to()})
    assert occurrence_titles(markup) == [own.title]
    markup = block.render(value, context={"request": request_to(OTHER_HOST)})
    assert occurrence_titles(markup) == [foreign.title]


def test_a_site_nested_inside_another_keeps_its_events(client, programme, site_root, two_sites):
    """Wagtail gives a page to the most specific site root above it; so do the listings."""
    own, _foreign = two_sites
    nested_root = add_page(site_root, Page, title="Ortsteil", slug="ortsteil")
    Site.objects.create(hostname="ortsteil.example", port=80, root_page=nested_root)
    nested_index = add_page(nested_root, EventIndexPage, title="Termine", slug="termine")
    nested = add_event(nested_index, "Ortsteiltermin", days=5)
    programme.body = [upcoming_block()]
    programme.save_revision().publish()
    markup = html_of(client.get(path_of(programme)))
    assert occurrence_titles(markup) == [own.title]
    assert "ortsteil.example" not in markup
    assert nested.pk not in [i["event"]["id"] for i in client.get(OCCURRENCES_API).json()["items"]]


# --- element pages -----------------------------------------------------------------------------


def test_element_page_lists_only_offers_of_its_site(client, programme, elements, other_root):
    own = create_offer(create_offer_index(programme), title="Eigenes", elements=[elements[0]])
    other_offers = create_offer_index(other_root)
    create_offer(other_offers, title="Fremdes", elements=[elements[0]])
    page = create_element_page(programme, elements[0])
    response = client.get(path_of(page))
    markup = html_of(response)
    assert response.context["element_offers"] == [own]
    assert offer_titles(markup) == ["Eigenes"]
    assert OTHER_HOST not in markup


# --- offer blocks and listings -----------------------------------------------------------------


@pytest.fixture
def offers_on_both_sites(site_root, other_root):
    own = create_offer(create_offer_index(site_root), title="Eigenes")
    foreign = create_offer(create_offer_index(other_root), title="Fremdes")
    return own, foreign


def test_offer_list_block_lists_only_offers_of_the_pages_site(
    client, programme, offers_on_both_sites
):
    own, _foreign = offers_on_both_sites
    programme.body = [offer_list_block()]
    programme.save_revision().publish()
    markup = html_of(client.get(path_of(programme)))
    assert offer_titles(markup) == [own.title]
    assert OTHER_HOST not in markup

    data = client.get(f"/api/v2/pages/{programme.pk}/").json()
    assert [o["id"] for o in data["body"][0]["value"]["offers"]] == [own.pk]
    assert OTHER_HOST not in str(data["body"])


def test_offer_list_block_without_a_page_takes_the_requests_site(offers_on_both_sites):
    own, foreign = offers_on_both_sites
    block = OfferListBlock()
    value = block.to_python(offer_list_block()[1])
    assert offer_titles(block.render(value, context={"request": request_to()})) == [own.title]
    markup = block.render(value, context={"request": request_to(OTHER_HOST)})
    assert offer_titles(markup) == [foreign.title]


def test_offer_index_and_offers_api_list_only_the_sites_offers(client, offers_on_both_sites):
    own, foreign = offers_on_both_sites
    markup = html_of(client.get(path_of(own.get_parent())))
    assert offer_titles(markup) == [own.title]
    assert OTHER_HOST not in markup
    markup = html_of(on_other_site(client, path_of(foreign.get_parent())))
    assert offer_titles(markup) == [foreign.title]

    data = client.get(OFFERS_API).json()
    assert [item["id"] for item in data["items"]] == [own.pk]
    assert OTHER_HOST not in str(data)
    data = on_other_site(client, OFFERS_API).json()
    assert [item["id"] for item in data["items"]] == [foreign.pk]


# --- the event index, feeds and the occurrences API -------------------------------------------


def test_event_index_lists_only_its_sites_events(client, event_index, other_index, two_sites):
    own, foreign = two_sites
    response = client.get(path_of(event_index))
    markup = html_of(response)
    assert [o.event for o in response.context["occurrences"]] == [own]
    assert foreign.title not in markup and OTHER_HOST not in markup

    response = on_other_site(client, path_of(other_index))
    assert [o.event for o in response.context["occurrences"]] == [foreign]
    assert own.title not in html_of(response)


def test_feeds_serve_only_the_requesting_sites_events(client, event_index, other_index, two_sites):
    own, foreign = two_sites
    feed = f"{path_of(event_index)}feed.ics"
    assert feed == f"{path_of(other_index)}feed.ics"  # the same path on both sites
    ours = html_of(client.get(feed))
    assert f"SUMMARY:{own.title}" in ours
    assert foreign.title not in ours and OTHER_HOST not in ours
    theirs = html_of(on_other_site(client, feed))
    assert f"SUMMARY:{foreign.title}" in theirs
    assert own.title not in theirs

    # a single event's file is found only on its own site
    assert client.get(f"{path_of(foreign)}event.ics").status_code == 404
    assert on_other_site(client, f"{path_of(foreign)}event.ics").status_code == 200


def test_occurrences_api_lists_only_the_requesting_sites_events(client, two_sites):
    own, foreign = two_sites
    data = client.get(OCCURRENCES_API).json()
    assert [item["event"]["id"] for item in data["items"]] == [own.pk]
    assert OTHER_HOST not in str(data)
    data = on_other_site(client, OCCURRENCES_API).json()
    assert [item["event"]["id"] for item in data["items"]] == [foreign.pk]
    assert data["items"][0]["event"]["full_url"].startswith(f"http://{OTHER_HOST}/")


# --- a site's other languages ------------------------------------------------------------------


@override_settings(
    WAGTAIL_I18N_ENABLED=True,
    WAGTAIL_CONTENT_LANGUAGES=[("de", "Deutsch"), ("en", "English")],
)
def test_translated_tree_counts_to_its_site(client, site_root, other_root):
    """With i18n, a site's English pages sit below a translation of its root: still its own."""
    english = Locale.objects.create(language_code="en")
    en_root = site_root.copy_for_translation(english)
    en_root.save_revision().publish()
    en_offer = create_offer(
        create_offer_index(en_root, title="Offers", slug="offers", locale=english),
        title="Workshop",
        locale=english,
    )
    en_index = add_page(en_root, EventIndexPage, title="Events", slug="events", locale=english)
    own = add_event(en_index, "Own date", related_offer=en_offer, locale=english)
    foreign_index = add_page(
        other_root, EventIndexPage, title="Events", slug="events", locale=english
    )
    add_event(foreign_index, "Foreign date", related_offer=en_offer, locale=english)
    en_programme = add_page(
        en_root,
        ProgrammePage,
        title="Programme",
        slug="programme",
        locale=english,
        body=[upcoming_block()],
    )

    response = client.get(path_of(en_offer))
    assert response.context["event_series"] == [own]
    assert OTHER_HOST not in html_of(response)
    assert occurrence_titles(html_of(client.get(path_of(en_programme)))) == [own.title]
