"""Offers: the offer page and the offers shown on element pages."""

from __future__ import annotations

import pytest

from kokreative_wagtail.models import ProgrammePage

from ..factories import ElementFactory, ImageFactory, add_page, create_element_page
from ..html_audit import audit_html
from .factories import (
    create_offer,
    create_offer_index,
    create_second_site,
)
from .offer_helpers import (
    API_OFFERS,
    OTHER_HOST,
    listed,
    section,
    titles,
)

pytestmark = pytest.mark.django_db


# --- the offer page ----------------------------------------------------------------------------


def test_offer_page_shows_facts_contact_and_consultation_link(
    client, site_root, offer_index, audiences, elements
):
    consultation = add_page(site_root, ProgrammePage, title="Beratung", slug="beratung")
    image = ImageFactory(title="Menschen im Workshop")
    offer = create_offer(
        offer_index,
        title="Workshop Beteiligung",
        kind="inhouse",
        format="hybrid",
        teaser="Moderation von Bürgerdialogen",
        teaser_image=image,
        duration="zwei Tage",
        group_size="8 bis 20 Personen",
        cost="auf Anfrage",
        body=[("heading", {"text": "Ablauf", "level": "h2"})],
        contact_name="Kim Muster",
        contact_role="Prozessbegleitung",
        contact_email="kim@example.org",
        contact_phone="030 123 456",
        consultation_page=consultation,
        consultation_link_label="Jetzt Beratung vereinbaren",
        audiences=[audiences["politik"], audiences["zivilgesellschaft"]],
        elements=[elements[1]],
    )
    response = client.get(offer.url)
    assert response.status_code == 200
    markup = response.content.decode()
    audit = audit_html(markup)
    assert audit.problems() == []
    assert audit.headings[0] == (1, "Workshop Beteiligung")
    assert (2, "Ablauf") in audit.headings
    for text in (
        "zwei Tage",
        "8 bis 20 Personen",
        "auf Anfrage",
        "Politik, Zivilgesellschaft",
        "Raumstrukturen",
        "Moderation von Bürgerdialogen",
        "Kim Muster",
        "Prozessbegleitung",
    ):
        assert text in markup, text
    assert 'href="mailto:kim@example.org"' in markup
    assert 'href="tel:030123456"' in markup
    assert 'alt="Menschen im Workshop"' in markup
    cta = section(markup, "kk-cta")
    assert f'href="{consultation.url}"' in cta
    assert "Jetzt Beratung vereinbaren" in cta

    # the consultation page goes offline: no dead link
    consultation.unpublish()
    markup = client.get(offer.url).content.decode()
    assert 'class="kk-cta"' not in markup
    assert "Jetzt Beratung vereinbaren" not in markup
    assert client.get(f"/api/v2/pages/{offer.pk}/").json()["consultation_url"] is None


def test_minimal_offer_page_renders_without_optional_parts(client, offer_index):
    offer = create_offer(offer_index, title="Nur ein Titel")
    response = client.get(offer.url)
    markup = response.content.decode()
    assert response.status_code == 200
    assert audit_html(markup).problems() == []
    assert 'class="kk-cta"' not in markup
    assert 'class="kk-contact"' not in markup
    assert "<img" not in section(markup, "kk-page-header")


def test_offer_with_deleted_image_and_element_still_renders(client, catalogue, elements):
    offer = catalogue.c
    offer.teaser_image = ImageFactory(title="Bald weg")
    offer.save_revision().publish()
    assert client.get(catalogue.index.url).status_code == 200  # renditions exist now
    offer.teaser_image.delete()
    elements[1].delete()

    assert client.get(offer.url).status_code == 200
    assert "Praxisgemeinschaft" in listed(client.get(catalogue.index.url))
    [item] = [i for i in client.get(API_OFFERS).json()["items"] if i["id"] == offer.pk]
    assert item["teaser_image"] is None
    assert [e["slug"] for e in item["elements"]] == ["kultureller-wandel"]
    detail = client.get(f"/api/v2/pages/{offer.pk}/")
    assert detail.status_code == 200
    assert detail.json()["teaser_image"] is None
    assert [e["slug"] for e in detail.json()["elements"]] == ["kultureller-wandel"]
    # filtering by the deleted element's slug is an invalid value now, not a 500
    assert client.get(catalogue.index.url, {"element": "raumstrukturen"}).status_code == 200
    assert client.get(API_OFFERS, {"element": "raumstrukturen"}).status_code == 400


def test_offer_with_a_missing_image_file_still_renders(client, offer_index):
    image = ImageFactory(title="Kaputt")
    offer = create_offer(offer_index, title="Bildfehler", teaser_image=image)
    image.file.storage.delete(image.file.name)  # no renditions yet, the source is gone
    assert client.get(offer.url).status_code == 200
    assert listed(client.get(offer_index.url)) == ["Bildfehler"]
    [item] = client.get(API_OFFERS).json()["items"]
    assert item["teaser_image"]["url"] is None
    detail = client.get(f"/api/v2/pages/{offer.pk}/")
    assert detail.status_code == 200
    assert detail.json()["teaser_image"].get("url") is None


# --- element pages -----------------------------------------------------------------------------


def test_element_page_shows_teasers_of_its_offers_only(
    client, programme, elements, catalogue, hidden_offers
):
    culture_page = create_element_page(programme, elements[0])
    space_page = create_element_page(programme, elements[1])
    response = client.get(culture_page.url)
    markup = response.content.decode()
    assert listed(response) == titles(catalogue.a, catalogue.c)
    assert 'class="kk-element-offers"' in markup
    for offer in hidden_offers:
        assert offer.title not in markup
    assert audit_html(markup).problems() == []
    assert response.context["element_offers"] == [catalogue.a, catalogue.c]

    assert listed(client.get(space_page.url)) == titles(catalogue.b, catalogue.c)


def test_element_page_without_offers_has_no_offer_section(client, programme, catalogue):
    lonely = ElementFactory(name="Governancestrukturen")
    page = create_element_page(programme, lonely)
    response = client.get(page.url)
    assert response.status_code == 200
    assert listed(response) == []
    assert "kk-element-offers" not in response.content.decode()
    no_element = create_element_page(programme, None, slug="ohne-element")
    assert client.get(no_element.url).status_code == 200


def test_element_page_ignores_offers_of_another_site(client, programme, elements, catalogue):
    _site, other_root = create_second_site(OTHER_HOST)
    other_index = create_offer_index(other_root, title="Fremde Angebote", slug="fremd")
    create_offer(other_index, title="Fremdes Training", elements=[elements[0]])
    page = create_element_page(programme, elements[0])
    assert listed(client.get(page.url)) == titles(catalogue.a, catalogue.c)
