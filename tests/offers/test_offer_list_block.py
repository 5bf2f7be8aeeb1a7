"""The offer-list block keeps the two modes apart (issue 19): each field says which mode it
belongs to, a filled field of the other mode is a block error naming it, and the editor shows
only the chosen mode's fields (a script registered with the block's form definition).

Messages are asserted in English (the msgids); German assertions check only the parts that
come from already translated labels.
"""

from __future__ import annotations

import html
import json

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.blocks import StructBlockValidationError
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from kokreative_wagtail.models import ProgrammePage
from kokreative_wagtail.offers.blocks import EDITOR_JS, MODE_FIELDS, OfferListBlock
from kokreative_wagtail.offers.choices import OfferKind

from ..factories import ElementFactory
from .factories import create_offer, create_offer_index

pytestmark = pytest.mark.django_db

KIND = OfferKind.choices[0][0]

FILTERED_ONLY = (
    "Only used with “The latest offers, filtered”: empty this field or change “Which offers”."
)
BY_HAND_ONLY = "Only used with “Chosen by hand”: remove these offers or change “Which offers”."
NO_OFFER = "Choose at least one offer."


def offer_list_block() -> OfferListBlock:
    block = ProgrammePage._meta.get_field("body").stream_block.child_blocks["offer_list"]
    assert isinstance(block, OfferListBlock)
    return block


@pytest.fixture
def offer(site_root):
    return create_offer(create_offer_index(site_root), title="Werkstatt", revisions=False)


@pytest.fixture
def element(db):
    return ElementFactory(name="Raumstrukturen")


def value(mode: str, *, offers=(), kind: str = "", element=None, count: int = 3):
    return offer_list_block().to_python(
        {
            "heading": "",
            "mode": mode,
            "offers": [o.pk for o in offers],
            "kind": kind,
            "element": getattr(element, "pk", None),
            "count": count,
        }
    )


def block_errors(raw) -> dict[str, str]:
    """The block's errors by field, in English, or {} when the value is valid."""
    with translation.override("en"):
        try:
            offer_list_block().clean(raw)
        except StructBlockValidationError as error:
            assert not error.non_block_errors
            return {name: " ".join(e.messages) for name, e in error.block_errors.items()}
    return {}


# --- validation: every combination of mode and filled fields -----------------------------------


@pytest.mark.parametrize("with_kind", [False, True])
@pytest.mark.parametrize("with_element", [False, True])
@pytest.mark.parametrize("count", [1, 24])
def test_latest_mode_with_any_filter_and_no_offers_is_valid(
    offer, element, with_kind, with_element, count
):
    raw = value(
        "latest",
        kind=KIND if with_kind else "",
        element=element if with_element else None,
        count=count,
    )
    assert block_errors(raw) == {}


@pytest.mark.parametrize("count", [1, 24])
def test_manual_mode_with_offers_and_no_filter_is_valid(offer, count):
    assert block_errors(value("manual", offers=[offer], count=count)) == {}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"kind": KIND}, {"kind"}),
        ({"element": True}, {"element"}),
        ({"kind": KIND, "element": True}, {"kind", "element"}),
    ],
)
def test_manual_mode_with_filters_names_each_filter(offer, element, filters, expected):
    raw = value(
        "manual",
        offers=[offer],
        kind=filters.get("kind", ""),
        element=element if filters.get("element") else None,
    )
    assert block_errors(raw) == dict.fromkeys(expected, FILTERED_ONLY)


def test_manual_mode_without_offers_still_needs_an_offer(db):
    assert block_errors(value("manual")) == {"offers": NO_OFFER}


def test_manual_mode_without_offers_but_with_filters_says_both(element):
    raw = value("manual", kind=KIND, element=element)
    assert block_errors(raw) == {
        "offers": NO_OFFER,
        "kind": FILTERED_ONLY,
        "element": FILTERED_ONLY,
    }


@pytest.mark.parametrize("with_filters", [False, True])
def test_latest_mode_with_offers_names_the_offers(offer, element, with_filters):
    raw = value(
        "latest",
        offers=[offer],
        kind=KIND if with_filters else "",
        element=element if with_filters else None,
    )
    assert block_errors(raw) == {"offers": BY_HAND_ONLY}


def test_unknown_mode_is_refused_by_the_choice_field(db):
    errors = block_errors(value("bogus"))
    assert set(errors) == {"mode"}


def test_messages_use_the_german_labels_of_mode_and_field(offer, element):
    """The mode and field names in the messages are the labels the German editor sees."""
    raw = value("manual", offers=[offer], kind=KIND)
    with translation.override("de"), pytest.raises(StructBlockValidationError) as excinfo:
        offer_list_block().clean(raw)
    [message] = excinfo.value.block_errors["kind"].messages
    assert "Die neuesten Angebote, gefiltert" in message
    assert "Welche Angebote" in message

    raw = value("latest", offers=[offer])
    with translation.override("de"), pytest.raises(StructBlockValidationError) as excinfo:
        offer_list_block().clean(raw)
    [message] = excinfo.value.block_errors["offers"].messages
    assert "Von Hand ausgewählt" in message
    assert "Welche Angebote" in message


def test_the_existing_message_is_german(db):
    with translation.override("de"), pytest.raises(StructBlockValidationError) as excinfo:
        offer_list_block().clean(value("manual"))
    assert excinfo.value.block_errors["offers"].messages == ["Wählt mindestens ein Angebot aus."]


# --- help texts ----------------------------------------------------------------------------------


def help_text(name: str) -> str:
    """The help text the editor shows for child ``name`` (a field's, or the list's own)."""
    child = offer_list_block().child_blocks[name]
    field = getattr(child, "field", None)
    return str(field.help_text if field is not None else child.meta.help_text)


def test_each_field_says_which_mode_it_belongs_to():
    with translation.override("en"):
        texts = {name: help_text(name) for name in ("offers", "kind", "element", "count")}
    assert texts["offers"] == "Only for “Chosen by hand”."
    assert texts["kind"] == texts["element"] == "Only for “The latest offers, filtered”."
    assert texts["count"] == "In both modes: at most this many offers are shown."
    assert set(MODE_FIELDS) == {"offers", "kind", "element"}


# --- the editor ----------------------------------------------------------------------------------


def add_url(parent) -> str:
    return reverse(
        "wagtailadmin_pages:add", args=("kokreative_wagtail", "programmepage", parent.pk)
    )


def test_add_form_loads_the_mode_script_and_describes_the_modes(admin_client, site_root):
    response = admin_client.get(add_url(site_root))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    script = f'src="/static/{EDITOR_JS}"'
    assert script in page
    # after Wagtail's block definitions, which the script extends
    assert page.index("wagtailadmin/js/telepath/blocks.js") < page.index(script)
    assert '"_type": "kokreative_wagtail.offers.OfferListBlock"' in page
    assert '"modeFields": {"offers": "manual", "kind": "latest", "element": "latest"}' in page
    # help texts and the script's notes come from the server, in the editor's (German)
    # language; the definitions are JSON, non-ASCII characters escaped
    with translation.override("de"):
        for name in ("offers", "kind", "count"):
            assert json.dumps(help_text(name)) in page, name
        for name in ("offers", "kind"):
            assert json.dumps(offer_list_block().mode_note(name)) in page, name
    assert "Die neuesten Angebote, gefiltert" in page


def test_the_script_is_a_static_file_registering_the_definition():
    from django.contrib.staticfiles import finders

    path = finders.find(EDITOR_JS)
    assert path, EDITOR_JS
    with open(path, encoding="utf-8") as script:
        source = script.read()
    assert "window.telepath.register('kokreative_wagtail.offers.OfferListBlock'" in source
    assert "StructBlockDefinition" in source
    # hidden, never removed: the other mode's values stay in the form
    assert ".hidden =" in source
    assert ".remove(" not in source


def form_data(slug: str, **block) -> dict:
    raw = {"heading": "Angebote", "mode": "manual", "kind": "", "element": "", "count": 3}
    raw.update(block)
    return nested_form_data(
        {
            "title": "Programm",
            "slug": slug,
            "intro": rich_text(""),
            "body": streamfield([("offer_list", raw)]),
            "action-publish": "publish",
        }
    )


def chosen(offer) -> dict:
    return {"count": 1, "0": {"value": offer.pk, "deleted": "", "order": 0, "id": ""}}


def test_editor_gets_the_block_error_and_nothing_is_saved(admin_client, site_root, offer):
    response = admin_client.post(
        add_url(site_root), form_data("gemischt", offers=chosen(offer), kind=KIND)
    )
    assert response.status_code == 200  # the form again, with the block error
    assert not ProgrammePage.objects.filter(slug="gemischt").exists()
    page = html.unescape(response.content.decode())
    assert '"blockErrors": {"kind"' in page
    assert "Die neuesten Angebote, gefiltert" in page

    response = admin_client.post(add_url(site_root), form_data("passend", offers=chosen(offer)))
    assert response.status_code == 302, response.content.decode()[:2000]
    [block] = ProgrammePage.objects.get(slug="passend").body
    assert [o.pk for o in block.value["offers"]] == [offer.pk]


def test_the_editor_reads_the_modes_in_german(offer):
    with translation.override("de"):
        texts = {name: help_text(name) for name in ("offers", "kind", "count")}
        try:
            offer_list_block().clean(value("manual", offers=[offer], kind=KIND))
        except StructBlockValidationError as error:
            errors = {name: " ".join(e.messages) for name, e in error.block_errors.items()}
    assert texts == {
        "offers": "Nur für „Von Hand ausgewählt“.",
        "kind": "Nur für „Die neuesten Angebote, gefiltert“.",
        "count": "In beiden Modi: So viele Angebote werden höchstens angezeigt.",
    }
    assert errors == {
        "kind": "Nur bei „Die neuesten Angebote, gefiltert“ verwendet: "
        "Leert dieses Feld oder ändert „Welche Angebote“."
    }
