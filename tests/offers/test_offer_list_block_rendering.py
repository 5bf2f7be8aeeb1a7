"""Offers: the offer-list block, rendered and in the API."""

from __future__ import annotations

from datetime import datetime
from datetime import timezone as dt_timezone

import pytest
from wagtail import hooks
from wagtail.blocks import StructBlockValidationError

from kokreative_wagtail.blocks import block_registry
from kokreative_wagtail.models import ElementPage, ProgrammePage
from kokreative_wagtail.offers import wagtail_hooks as offer_hooks
from kokreative_wagtail.offers.blocks import OfferListBlock
from kokreative_wagtail.offers.models import OfferPage

from ..html_audit import audit_html
from .factories import (
    create_offer,
    create_offer_index,
    create_second_site,
)
from .offer_helpers import (
    OTHER_HOST,
    listed,
    offer_list_block,
    offer_list_value,
    set_published,
    titles,
)

pytestmark = pytest.mark.django_db


# --- the offer-list block ----------------------------------------------------------------------


def test_offer_list_block_is_registered_through_the_hook():
    assert offer_hooks.register_offer_list_block in hooks.get_hooks("register_kokreative_blocks")
    block_registry.reset()
    for model in (ProgrammePage, ElementPage, OfferPage):
        child_blocks = model._meta.get_field("body").stream_block.child_blocks
        assert isinstance(child_blocks["offer_list"], OfferListBlock), model


def test_offer_list_block_manual_mode_keeps_the_order_and_skips_unpublished(
    catalogue, hidden_offers
):
    block = offer_list_block()
    draft, unpublished, private, _login = hidden_offers
    value = offer_list_value(
        mode="manual",
        offers=[catalogue.c, draft, catalogue.a, unpublished, private, catalogue.b],
        count=10,
    )
    assert block.get_offers(value) == [catalogue.c, catalogue.a, catalogue.b]
    # published when chosen, unpublished later
    catalogue.a.unpublish()
    assert block.get_offers(value) == [catalogue.c, catalogue.b]
    # the count limits the hand-picked list too
    value = offer_list_value(mode="manual", offers=[catalogue.d, catalogue.c, catalogue.b], count=2)
    assert block.get_offers(value) == [catalogue.d, catalogue.c]


def test_offer_list_block_latest_mode_filters_and_limits(catalogue, elements, hidden_offers):
    block = offer_list_block()
    culture, space = elements
    latest = block.get_offers(offer_list_value(count=10))
    assert latest == [catalogue.d, catalogue.b, catalogue.a, catalogue.c]  # newest first
    assert block.get_offers(offer_list_value(count=2)) == [catalogue.d, catalogue.b]
    assert block.get_offers(offer_list_value(kind="training")) == [catalogue.d, catalogue.a]
    assert block.get_offers(offer_list_value(element=culture)) == [catalogue.a, catalogue.c]
    assert block.get_offers(offer_list_value(element=space, kind="community")) == [catalogue.c]
    assert block.get_offers(offer_list_value(kind="training", count=1)) == [catalogue.d]
    # chosen offers are ignored in latest mode
    assert block.get_offers(offer_list_value(offers=[catalogue.c], count=1)) == [catalogue.d]


def test_offer_list_block_validation():
    block = offer_list_block()
    with pytest.raises(StructBlockValidationError) as excinfo:
        block.clean(offer_list_value(mode="manual", offers=[]))
    assert "offers" in excinfo.value.block_errors
    block.clean(offer_list_value(mode="latest"))  # latest mode needs no chosen offers
    for count in (0, 25):
        with pytest.raises(StructBlockValidationError) as excinfo:
            block.clean(offer_list_value(count=count))
        assert "count" in excinfo.value.block_errors


def test_offer_list_block_validation_accepts_chosen_offers(catalogue):
    value = offer_list_block().clean(offer_list_value(mode="manual", offers=[catalogue.b]))
    assert [page.pk for page in value["offers"]] == [catalogue.b.pk]


def test_offer_list_block_on_a_programme_page_and_in_api_v2(
    client, programme, catalogue, hidden_offers
):
    programme.body = [
        (
            "offer_list",
            {
                "heading": "Ausgewählte Angebote",
                "mode": "manual",
                "offers": [catalogue.c, hidden_offers[0], catalogue.a],
                "kind": "",
                "element": None,
                "count": 3,
            },
        ),
        (
            "offer_list",
            {
                "heading": "",
                "mode": "latest",
                "offers": [],
                "kind": "training",
                "element": None,
                "count": 1,
            },
        ),
    ]
    programme.save_revision().publish()

    response = client.get(programme.url)
    markup = response.content.decode()
    audit = audit_html(markup)
    assert audit.problems() == []
    assert (2, "Ausgewählte Angebote") in audit.headings
    assert listed(response) == titles(catalogue.c, catalogue.a, catalogue.d)
    assert hidden_offers[0].title not in markup

    data = client.get(f"/api/v2/pages/{programme.pk}/").json()
    manual, latest = data["body"]
    assert manual["type"] == latest["type"] == "offer_list"
    assert manual["value"]["heading"] == "Ausgewählte Angebote"
    assert [o["id"] for o in manual["value"]["offers"]] == [catalogue.c.pk, catalogue.a.pk]
    first = manual["value"]["offers"][0]
    assert first["title"] == "Praxisgemeinschaft"
    assert first["url"] == catalogue.c.url
    assert first["kind"] == "community"
    assert sorted(a["slug"] for a in first["audiences"]) == ["verwaltung", "zivilgesellschaft"]
    assert [o["id"] for o in latest["value"]["offers"]] == [catalogue.d.pk]


def test_offer_list_block_lists_only_offers_of_the_pages_site(
    client, programme, catalogue, elements
):
    _site, other_root = create_second_site(OTHER_HOST)
    other_index = create_offer_index(other_root, title="Fremde Angebote", slug="fremd")
    foreign = create_offer(other_index, title="Fremdes Training", kind="training")
    set_published(foreign, datetime(2026, 1, 1, tzinfo=dt_timezone.utc))  # the newest of all
    programme.body = [
        (
            "offer_list",
            {
                "heading": "",
                "mode": "latest",
                "offers": [],
                "kind": "",
                "element": None,
                "count": 2,
            },
        )
    ]
    programme.save_revision().publish()
    assert listed(client.get(programme.url)) == titles(catalogue.d, catalogue.b)


def test_offer_list_block_in_api_v2_lists_only_offers_of_the_pages_site(
    client, programme, catalogue
):
    _site, other_root = create_second_site(OTHER_HOST)
    other_index = create_offer_index(other_root, title="Fremde Angebote", slug="fremd")
    foreign = create_offer(other_index, title="Fremdes Training", kind="training")
    set_published(foreign, datetime(2026, 1, 1, tzinfo=dt_timezone.utc))
    programme.body = [
        (
            "offer_list",
            {
                "heading": "",
                "mode": "latest",
                "offers": [],
                "kind": "",
                "element": None,
                "count": 2,
            },
        )
    ]
    programme.save_revision().publish()
    data = client.get(f"/api/v2/pages/{programme.pk}/").json()
    ids = [o["id"] for o in data["body"][0]["value"]["offers"]]
    assert ids == [catalogue.d.pk, catalogue.b.pk]
