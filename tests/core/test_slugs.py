"""ASCII slugs for our page types: German titles give ae/oe/ue/ss, not percent-encoded slugs."""

import json
from datetime import datetime, timezone
from html import unescape

import pytest
from django.urls import reverse
from wagtail.admin.widgets.slug import SlugInput
from wagtail.models import Page

from kokreative_wagtail.models import ProgrammePage
from kokreative_wagtail.page_slugs import (
    GermanSlugInput,
    german_slugify,
    js_formatters,
    with_ascii_slug_input,
)

from ..consultations.factories import create_consultation_page
from ..events.factories import create_event, create_event_index
from ..factories import create_element_page, create_programme
from ..offers.factories import create_offer, create_offer_index

pytestmark = pytest.mark.django_db

TITLE = "Beratungsgespräch für Bürger:innen – Straße & Öffnungszeiten"
ASCII_SLUG = "beratungsgespraech-fuer-buergerinnen-strasse-oeffnungszeiten"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Beratungsgespräch vereinbaren", "beratungsgespraech-vereinbaren"),
        ("ÄRGER ÖDE ÜBER GRÖẞE", "aerger-oede-ueber-groesse"),
        ("Fußgängerzone", "fussgaengerzone"),
        ("Café Crème in Łódź", "cafe-creme-in-lodz"),
        ("A\u0308pfel", "aepfel"),  # Ä typed as A + combining diaeresis
        ("", ""),
    ],
)
def test_german_slugify(title, slug):
    assert german_slugify(title) == slug


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Bera\x00tung", "beratung"),  # NUL
        ("Bera\ud800tung", "beratung"),  # a lone surrogate
        ("\x07\x1b[31mÄrger", "31maerger"),  # control characters, an escape sequence
        ("🎉", "tada"),
        ("", ""),
        (None, ""),
    ],
)
def test_bad_bytes_in_a_title_give_a_plain_slug(title, slug):
    assert german_slugify(title) == slug


def test_a_very_long_title_leaves_room_for_a_suffix():
    assert len(german_slugify("Öß" * 1000)) == 240


def test_every_page_type_of_ours_gets_an_ascii_slug_from_a_german_title(site_root):
    """The slug left empty, as by code or the demo loader: filled in transliterated."""
    programme = create_programme(site_root, title=TITLE, slug="")
    element_page = create_element_page(programme, title="Räume öffnen", slug="")
    events = create_event_index(site_root, title="Veranstaltungsübersicht", slug="")
    event = create_event(
        events, datetime(2026, 3, 2, 17, tzinfo=timezone.utc), title="Bürgerdialog", slug=""
    )
    offers = create_offer_index(site_root, title="Angebote für Schulen", slug="")
    offer = create_offer(offers, title="Workshop Straßenräume", slug="")
    consultation = create_consultation_page(
        site_root, title="Beratungsgespräch vereinbaren", slug=""
    )

    assert programme.slug == ASCII_SLUG
    assert element_page.slug == "raeume-oeffnen"
    assert events.slug == "veranstaltungsuebersicht"
    assert event.slug == "buergerdialog"
    assert offers.slug == "angebote-fuer-schulen"
    assert offer.slug == "workshop-strassenraeume"
    assert consultation.slug == "beratungsgespraech-vereinbaren"
    assert consultation.url.endswith("/beratungsgespraech-vereinbaren/")


def test_a_draft_gets_an_ascii_slug_too(site_root):
    """Drafts run ``minimal_clean`` instead of ``full_clean``."""
    page = ProgrammePage(title="Entwurf für Übungen", live=False)
    site_root.add_child(instance=page)
    page.refresh_from_db()
    assert page.slug == "entwurf-fuer-uebungen"


def test_a_slug_set_by_the_editor_is_kept(site_root):
    page = create_programme(site_root, title=TITLE, slug="beratungsgespräch")
    assert page.slug == "beratungsgespräch"
    page.title = "Größere Änderung"
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.slug == "beratungsgespräch"


def test_a_taken_slug_gets_wagtails_suffix(site_root):
    first = create_programme(site_root, title="Übersicht", slug="")
    second = create_programme(site_root, title="Übersicht", slug="")
    third = create_programme(site_root, title="Ubersicht", slug="uebersicht-3")
    fourth = create_programme(site_root, title="Übersicht", slug="")
    assert [first.slug, second.slug, third.slug, fourth.slug] == [
        "uebersicht",
        "uebersicht-2",
        "uebersicht-3",
        "uebersicht-4",
    ]


def test_opting_out_keeps_wagtails_slugs(site_root, settings):
    settings.KOKREATIVE = {**getattr(settings, "KOKREATIVE", {}), "ASCII_SLUGS": False}
    page = create_programme(site_root, title="Beratungsgespräch vereinbaren", slug="")
    assert page.slug == "beratungsgespräch-vereinbaren"  # WAGTAIL_ALLOW_UNICODE_SLUGS default


def test_wagtails_own_pages_are_left_alone(site_root):
    page = Page(title="Beratungsgespräch vereinbaren")
    site_root.add_child(instance=page)
    assert page.slug == "beratungsgespräch-vereinbaren"


def test_the_page_editor_slug_field_transliterates_live(admin_client, site_root):
    html = admin_client.get(add_url(ProgrammePage, site_root)).content.decode()
    tag = slug_input_tag(html)
    assert 'data-controller="w-slug"' in tag
    assert 'data-w-slug-allow-unicode-value="false"' in tag
    formatters = json.loads(unescape(attribute(tag, "data-w-slug-formatters-value")))
    assert formatters == js_formatters()
    assert [["ß", "gu"], "ss"] in formatters
    assert [["ä|a\u0308", "gu"], "ae"] in formatters


def test_opting_out_renders_wagtails_slug_field(admin_client, site_root, settings):
    settings.KOKREATIVE = {**getattr(settings, "KOKREATIVE", {}), "ASCII_SLUGS": False}
    html = admin_client.get(add_url(ProgrammePage, site_root)).content.decode()
    tag = slug_input_tag(html)
    assert 'data-controller="w-slug"' in tag
    assert "data-w-slug-formatters-value" not in tag
    assert 'data-w-slug-allow-unicode-value="false"' not in tag


def test_every_page_type_of_ours_uses_the_german_slug_widget():
    from kokreative_wagtail.consultations.models import ConsultationFormPage
    from kokreative_wagtail.events.models import EventIndexPage, EventPage
    from kokreative_wagtail.models import ElementPage
    from kokreative_wagtail.offers.models import OfferIndexPage, OfferPage

    for model in (
        ProgrammePage,
        ElementPage,
        EventIndexPage,
        EventPage,
        OfferIndexPage,
        OfferPage,
        ConsultationFormPage,
    ):
        form_class = model.get_edit_handler().get_form_class()
        assert isinstance(form_class.base_fields["slug"].widget, GermanSlugInput), model
    assert not isinstance(
        Page.get_edit_handler().get_form_class().base_fields["slug"].widget, GermanSlugInput
    )


def test_panel_shapes_of_older_wagtail_versions_are_handled():
    """A "slug" among other fields of a placeholder group (Wagtail's promote panels before 8)."""
    from wagtail.admin.panels import FieldPanel, MultiFieldPanel
    from wagtail.models.panels import PanelPlaceholder

    own_widget = SlugInput()
    panels = with_ascii_slug_input(
        [
            PanelPlaceholder(
                "wagtail.admin.panels.MultiFieldPanel",
                [["slug", "seo_title", "search_description"], "For search engines"],
                {},
            ),
            PanelPlaceholder("wagtail.admin.panels.MultiFieldPanel", [["show_in_menus"]], {}),
        ]
    )
    group = panels[0]
    assert isinstance(group, MultiFieldPanel)
    assert group.heading == "For search engines"
    assert isinstance(group.children[0], FieldPanel)
    assert isinstance(group.children[0].widget, GermanSlugInput)
    assert group.children[1:] == ["seo_title", "search_description"]
    assert isinstance(panels[1], PanelPlaceholder)  # no slug in it: untouched
    kept = with_ascii_slug_input([FieldPanel("slug", widget=own_widget)])
    assert kept[0].widget is own_widget  # a site's own widget stays


def add_url(model, parent):
    return reverse(
        "wagtailadmin_pages:add",
        args=(model._meta.app_label, model._meta.model_name, parent.pk),
    )


def slug_input_tag(html: str) -> str:
    start = html.index('name="slug"')
    return html[html.rindex("<input", 0, start) : html.index(">", start) + 1]


def attribute(tag: str, name: str) -> str:
    start = tag.index(f'{name}="') + len(name) + 2
    return tag[start : tag.index('"', start)]


@pytest.mark.parametrize(
    ("ascii_slugs", "slug"),
    [(True, "fuehrungskraefte-oeffentlichkeit"), (False, "fuhrungskrafte-offentlichkeit")],
)
def test_element_and_audience_slugs_transliterate_german(db, settings, ascii_slugs, slug):
    from kokreative_wagtail.models import Element
    from kokreative_wagtail.offers.models import Audience

    settings.KOKREATIVE = {**getattr(settings, "KOKREATIVE", {}), "ASCII_SLUGS": ascii_slugs}
    element = Element.objects.create(name="Führungskräfte & Öffentlichkeit")
    audience = Audience(name="Führungskräfte & Öffentlichkeit")
    audience.full_clean()
    assert (element.slug, audience.slug) == (slug, slug)
    kept = Element.objects.create(name="Straße", slug="strasse-alt")
    assert kept.slug == "strasse-alt"  # a slug typed by the editor is kept
