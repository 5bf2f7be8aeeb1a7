"""Offers: pages and tree, the filterable listing, the offer-list block, element teasers, the API.

Assertions look at data (titles, slugs, ids, attributes), not at translated UI text, except for
the default audience names, which the issue names.
"""

from __future__ import annotations

import html
import importlib
import re
from datetime import datetime
from datetime import timezone as dt_timezone
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail import hooks
from wagtail.blocks import StructBlockValidationError
from wagtail.models import Locale, Page, PageViewRestriction
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from kokreative_wagtail.blocks import block_registry
from kokreative_wagtail.models import ElementPage, ProgrammePage
from kokreative_wagtail.offers import wagtail_hooks as offer_hooks
from kokreative_wagtail.offers.blocks import OfferListBlock
from kokreative_wagtail.offers.models import Audience, OfferIndexPage, OfferPage

from ..factories import ElementFactory, ImageFactory, add_page, create_element_page
from ..html_audit import audit_html
from .factories import (
    AudienceFactory,
    build_offers,
    create_offer,
    create_offer_index,
    create_second_site,
    default_audiences,
    search_indexed,
)

pytestmark = pytest.mark.django_db

API_OFFERS = "/api/kokreative/v1/offers"
ON_SQLITE = connection.vendor == "sqlite"

#: A listing page runs at most 25 queries, an API list at most 5, at 5 and 200 items.
#: Measured (SQLite and PostgreSQL, Wagtail 7.0 and 8.0): index page 16, API list 5.
INDEX_PAGE_MAX_QUERIES = 25
API_LIST_MAX_QUERIES = 5

OTHER_HOST = "andere-kommune.example"


# --- helpers -----------------------------------------------------------------------------------

TEASER_TITLE = re.compile(r'class="kk-offer-title"><a href="([^"]*)">([^<]*)</a>')


def listed(response) -> list[str]:
    """Titles of the offer teasers on a rendered page, in order."""
    assert response.status_code == 200
    return [
        html.unescape(title) for _href, title in TEASER_TITLE.findall(response.content.decode())
    ]


def titles(*offers) -> list[str]:
    return [offer.title for offer in offers]


def api_ids(response) -> list[int]:
    assert response.status_code == 200, response.content[:500]
    return [item["id"] for item in response.json()["items"]]


def section(markup: str, css_class: str) -> str:
    """The inner HTML of the first element with ``class="<css_class>"`` (non-nested match)."""
    match = re.search(
        rf'<(\w+) class="{re.escape(css_class)}"[^>]*>(.*?)</\1>', markup, flags=re.DOTALL
    )
    return match.group(2) if match else ""


class _FormParser(HTMLParser):
    """Collects the forms of a page with their controls."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._form = {"attrs": attributes, "controls": [], "labels": set()}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag in ("input", "select", "textarea", "button"):
            control = {"tag": tag, **attributes}
            self._form["controls"].append(control)
            if tag == "select":
                control["options"] = []
                self._select = control
        elif tag == "option" and self._select is not None:
            self._select["options"].append(attributes)
        elif tag == "label" and attributes.get("for"):
            self._form["labels"].add(attributes["for"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def filter_form(response) -> dict:
    parser = _FormParser()
    parser.feed(response.content.decode())
    forms = [f for f in parser.forms if "kk-filter-form" in f["attrs"].get("class", "")]
    assert len(forms) == 1, parser.forms
    return forms[0]


def pagination_links(response) -> list[dict[str, list[str]]]:
    nav = section(response.content.decode(), "kk-pagination")
    hrefs = [html.unescape(h) for h in re.findall(r'href="([^"]*)"', nav)]
    assert all(h.startswith("?") for h in hrefs), hrefs
    return [parse_qs(urlsplit(h).query, keep_blank_values=True) for h in hrefs]


def set_published(page, when: datetime) -> None:
    Page.objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)


def make_private(page) -> None:
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )


def add_url(model, parent) -> str:
    return reverse(
        "wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.pk)
    )


def offer_list_block() -> OfferListBlock:
    block = ProgrammePage._meta.get_field("body").stream_block.child_blocks["offer_list"]
    assert isinstance(block, OfferListBlock)
    return block


def offer_list_value(**values):
    raw = {
        "heading": "",
        "mode": "latest",
        "offers": [],
        "kind": "",
        "element": None,
        "count": 3,
    }
    raw.update(values)
    raw["offers"] = [getattr(o, "pk", o) for o in raw["offers"]]
    raw["element"] = getattr(raw["element"], "pk", raw["element"])
    return offer_list_block().to_python(raw)


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def audiences(db) -> dict[str, Audience]:
    return default_audiences()


@pytest.fixture
def offer_index(site_root) -> OfferIndexPage:
    return create_offer_index(site_root, intro="<p>Unsere <b>Angebote</b> für euch</p>")


@pytest.fixture
def catalogue(offer_index, audiences, elements):
    """Four live offers with distinct facts, in tree order a, b, c, d.

    Published: c oldest, then a, b, d newest. Alphabetically: b, d, c, a.
    """
    verwaltung, politik, zivil = (
        audiences["verwaltung"],
        audiences["politik"],
        audiences["zivilgesellschaft"],
    )
    culture, space = elements
    a = create_offer(
        offer_index,
        revisions=False,
        title="Workshop Beteiligung",
        kind="training",
        format="on_site",
        teaser="Moderation von Bürgerdialogen in der Kommune",
        audiences=[verwaltung],
        elements=[culture],
    )
    b = create_offer(
        offer_index,
        revisions=False,
        title="Keynote Zukunft",
        kind="inhouse",
        format="online",
        teaser="Ein Impulsvortrag über Stadtentwicklung",
        audiences=[politik],
        elements=[space],
    )
    c = create_offer(
        offer_index,
        revisions=False,
        title="Praxisgemeinschaft",
        kind="community",
        format="hybrid",
        teaser="Austausch unter Kolleginnen",
        body=[("rich_text", "<p>Kollegiale Fallberatung jeden Monat</p>")],
        audiences=[verwaltung, zivil],
        elements=[culture, space],
    )
    d = create_offer(
        offer_index,
        revisions=False,
        title="Onlineschulung Recht",
        kind="training",
        format="online",
        teaser="Grundlagen des Vergaberechts für die Kommune",
        audiences=[zivil],
    )
    for offer, month in ((c, 1), (a, 2), (b, 3), (d, 4)):
        set_published(offer, datetime(2025, month, 1, 9, tzinfo=dt_timezone.utc))
    return SimpleNamespace(a=a, b=b, c=c, d=d, index=offer_index, all=[a, b, c, d])


@pytest.fixture
def hidden_offers(offer_index, elements):
    """Offers no visitor may see: a draft, an unpublished one, two private ones."""
    culture = elements[0]

    def offer(title, teaser, **kwargs):
        return create_offer(
            offer_index, title=title, teaser=teaser, elements=[culture], revisions=False, **kwargs
        )

    draft = offer("Entwurf Geheimkurs", "Verborgenwort Entwurf", publish=False)
    unpublished = offer("Zurückgezogen", "Verborgenwort alt")
    unpublished.unpublish()
    private = offer("Intern Passwort", "Verborgenwort intern")
    make_private(private)
    login_only = offer("Nur Angemeldete", "Verborgenwort Login")
    PageViewRestriction.objects.create(page=login_only, restriction_type=PageViewRestriction.LOGIN)
    return [draft, unpublished, private, login_only]


# --- models and tree ---------------------------------------------------------------------------


def test_offer_pages_live_only_below_an_offer_index(site_root, programme, offer_index):
    assert OfferIndexPage.can_create_at(site_root)
    assert OfferIndexPage.can_create_at(programme)  # an index may sit anywhere
    assert not OfferPage.can_create_at(site_root)
    assert not OfferPage.can_create_at(programme)
    assert OfferPage.can_create_at(offer_index)
    assert OfferIndexPage.allowed_subpage_models() == [OfferPage]
    assert OfferPage.allowed_subpage_models() == []
    assert OfferPage.allowed_parent_page_models() == [OfferIndexPage]


def test_the_index_lists_offer_pages_and_they_expose_their_fields():
    """(Subclassing the abstract pages is shown for real by the example site's element page
    subclass, tests/core/test_extending.py; offers follow the same mixin pattern.)"""
    assert OfferIndexPage().get_offer_model() is OfferPage
    api_names = {field.name for field in OfferPage.api_fields}
    assert {
        "kind",
        "audiences",
        "format",
        "elements",
        "duration",
        "group_size",
        "cost",
    } <= api_names
    assert {"teaser_image", "body", "contact_name", "consultation_url"} <= api_names


def test_default_audiences_exist_after_migrate(audiences):
    defaults = list(Audience.objects.filter(locale=Locale.get_default()).order_by("sort_order"))
    assert [a.slug for a in defaults] == ["verwaltung", "politik", "zivilgesellschaft"]
    assert [a.name for a in defaults] == ["Verwaltung", "Politik", "Zivilgesellschaft"]


def test_default_audience_migration_is_idempotent_and_reversible(audiences):
    migration = importlib.import_module(
        "kokreative_wagtail.offers.migrations.0002_default_audiences"
    )
    migration.create_audiences(django_apps, None)
    assert Audience.objects.count() == 3
    migration.remove_audiences(django_apps, None)
    assert Audience.objects.count() == 0
    migration.create_audiences(django_apps, None)
    assert sorted(Audience.objects.values_list("slug", flat=True)) == [
        "politik",
        "verwaltung",
        "zivilgesellschaft",
    ]


def test_audience_slug_is_filled_from_the_name(db):
    audience = AudienceFactory(name="Presse & Öffentlichkeit")
    assert audience.slug == "presse-oeffentlichkeit"
    kept = AudienceFactory(name="Jugendliche", slug="jugend")
    assert kept.slug == "jugend"
    assert str(kept) == "Jugendliche"


def test_audience_slug_is_unique_per_locale(audiences):
    from django.core.exceptions import ValidationError

    clash = Audience(name="Verwaltung neu", slug="verwaltung", locale=Locale.get_default())
    with pytest.raises(ValidationError) as excinfo:
        clash.full_clean()
    assert "slug" in excinfo.value.message_dict
    # the same slug in another language is fine
    english = Locale.objects.create(language_code="en")
    other = Audience(name="Administration", slug="verwaltung", locale=english)
    other.full_clean()
    other.save()
    # editing an audience does not clash with itself
    audiences["verwaltung"].full_clean()


# --- admin -------------------------------------------------------------------------------------


def offer_form_data(audiences=(), elements=(), **overrides):
    data = {
        "title": "Workshop Beteiligung",
        "slug": "workshop-beteiligung",
        "teaser": "Moderation von Bürgerdialogen",
        "teaser_image": "",
        "kind": "training",
        "format": "hybrid",
        "duration": "zwei Tage",
        "group_size": "8 bis 20 Personen",
        "cost": "auf Anfrage",
        "body": streamfield([("heading", {"text": "Ablauf", "level": "h2", "anchor": ""})]),
        "contact_name": "Kim Muster",
        "contact_role": "Beratung",
        "contact_email": "kim@example.org",
        "contact_phone": "030 123 456",
        "consultation_page": "",
        "consultation_link_label": "",
        "action-publish": "publish",
    }
    data.update(overrides)
    form_data = nested_form_data(data)
    # checkbox lists: one key with several values (nested_form_data would number them)
    form_data["audiences"] = [str(pk) for pk in audiences]
    form_data["elements"] = [str(pk) for pk in elements]
    return form_data


def test_editor_creates_an_offer_index_and_an_offer(admin_client, site_root, audiences, elements):
    image = ImageFactory(title="Werkstatt")
    assert admin_client.get(add_url(OfferIndexPage, site_root)).status_code == 200
    response = admin_client.post(
        add_url(OfferIndexPage, site_root),
        nested_form_data(
            {
                "title": "Unsere Angebote",
                "slug": "unsere-angebote",
                "intro": rich_text("Trainings, Keynotes und Austausch"),
                "empty_text": "",
                "per_page": 12,
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    index = OfferIndexPage.objects.get(slug="unsere-angebote")
    assert index.live and index.get_parent().pk == site_root.pk

    # The add-subpage step below the index offers the offer page type.
    choose = admin_client.get(reverse("wagtailadmin_pages:add_subpage", args=(index.pk,)))
    if choose.status_code == 302:  # the only allowed type: straight to its form
        assert choose["Location"] == add_url(OfferPage, index)
    else:
        assert choose.status_code == 200
        assert "offerpage" in choose.content.decode()
    form = admin_client.get(add_url(OfferPage, index))
    assert form.status_code == 200
    for name in ("kind", "format", "audiences", "elements", "consultation_page"):
        assert f'name="{name}"' in form.content.decode(), name
    response = admin_client.post(
        add_url(OfferPage, index),
        offer_form_data(
            teaser_image=image.pk,
            audiences=[audiences["verwaltung"].pk, audiences["politik"].pk],
            elements=[elements[1].pk],
            consultation_page=site_root.pk,
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    offer = OfferPage.objects.get(slug="workshop-beteiligung")
    assert offer.live and offer.get_parent().pk == index.pk
    assert offer.format == "hybrid" and offer.kind == "training"
    assert sorted(a.slug for a in offer.audiences.all()) == ["politik", "verwaltung"]
    assert [e.slug for e in offer.elements.all()] == ["raumstrukturen"]
    assert offer.teaser_image == image
    assert offer.consultation_page.pk == site_root.pk
    assert [block.block_type for block in offer.body] == ["heading"]
    # the published offer is listed on the index
    assert listed(admin_client.get(index.url)) == ["Workshop Beteiligung"]


def test_editor_cannot_add_an_offer_outside_an_index(admin_client, site_root, programme):
    for parent in (site_root, programme):
        refused = admin_client.get(add_url(OfferPage, parent))
        assert refused.status_code in (302, 403)
    response = admin_client.post(add_url(OfferPage, site_root), offer_form_data())
    assert response.status_code in (302, 403)
    assert not OfferPage.objects.exists()


def test_invalid_offer_form_is_a_form_error(admin_client, offer_index):
    response = admin_client.post(
        add_url(OfferPage, offer_index),
        offer_form_data(kind="bogus", contact_email="not-an-address", audiences=[999999]),
    )
    assert response.status_code == 200  # the form again, with errors
    assert not OfferPage.objects.exists()


def programme_with_offer_list(slug, **block):
    value = {"heading": "Angebote", "mode": "manual", "kind": "", "element": "", "count": 3}
    value.update(block)
    return nested_form_data(
        {
            "title": "Programm",
            "slug": slug,
            "intro": rich_text(""),
            "body": streamfield([("offer_list", value)]),
            "action-publish": "publish",
        }
    )


def test_offer_list_block_in_manual_mode_needs_offers_in_the_editor(
    admin_client, site_root, catalogue
):
    url = add_url(ProgrammePage, site_root)
    response = admin_client.post(url, programme_with_offer_list("leer", offers={"count": 0}))
    assert response.status_code == 200  # the form again, with the block error
    assert not ProgrammePage.objects.filter(slug="leer").exists()

    # the same block in latest mode, or with a chosen offer, is saved
    response = admin_client.post(
        url, programme_with_offer_list("neueste", mode="latest", offers={"count": 0})
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    chosen = {"count": 1, "0": {"value": catalogue.b.pk, "deleted": "", "order": 0, "id": ""}}
    response = admin_client.post(url, programme_with_offer_list("handverlesen", offers=chosen))
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ProgrammePage.objects.get(slug="handverlesen")
    [block] = page.body
    assert [offer.pk for offer in block.value["offers"]] == [catalogue.b.pk]
    assert listed(admin_client.get(page.url)) == ["Keynote Zukunft"]


def test_editor_manages_audience_snippets(admin_client, site_root, audiences):
    list_url = reverse("wagtailsnippets_kokreative_offers_audience:list")
    add = reverse("wagtailsnippets_kokreative_offers_audience:add")
    listing = admin_client.get(list_url)
    assert listing.status_code == 200
    for name in ("Verwaltung", "Politik", "Zivilgesellschaft"):
        assert name in listing.content.decode()

    response = admin_client.post(add, {"name": "Presse & Medien", "slug": "", "sort_order": 4})
    assert response.status_code == 302, response.content.decode()[:2000]
    press = Audience.objects.get(name="Presse & Medien")
    assert press.slug == "presse-medien"
    assert press.locale == Locale.get_default()
    assert "Presse &amp; Medien" in admin_client.get(list_url).content.decode()

    edit = reverse("wagtailsnippets_kokreative_offers_audience:edit", args=(press.pk,))
    response = admin_client.post(edit, {"name": "Presse", "slug": "presse", "sort_order": 4})
    assert response.status_code == 302
    press.refresh_from_db()
    assert (press.name, press.slug) == ("Presse", "presse")

    # renaming onto another audience's slug is a form error
    response = admin_client.post(edit, {"name": "Presse", "slug": "politik", "sort_order": 4})
    assert response.status_code == 200
    press.refresh_from_db()
    assert press.slug == "presse"

    # a new audience is listed as a filter choice on the offer index
    index = create_offer_index(site_root)
    form = filter_form(admin_client.get(index.url))
    values = {c.get("value") for c in form["controls"] if c.get("name") == "audience"}
    assert values == {"verwaltung", "politik", "zivilgesellschaft", "presse"}


def test_adding_an_audience_with_a_taken_slug_is_a_form_error(admin_client, audiences):
    add = reverse("wagtailsnippets_kokreative_offers_audience:add")
    # "Verwaltung" slugifies to the slug of the default audience
    response = admin_client.post(add, {"name": "Verwaltung", "slug": "", "sort_order": 9})
    assert response.status_code == 200
    assert Audience.objects.filter(slug="verwaltung").count() == 1


# --- listing: filters, search, sorting, pagination ---------------------------------------------

#: (GET parameters, the catalogue offers expected, in tree order)
FILTER_CASES = [
    ({}, "abcd"),
    ({"kind": ["training"]}, "ad"),
    ({"kind": ["training", "inhouse"]}, "abd"),  # OR within a filter
    ({"audience": ["verwaltung"]}, "ac"),
    ({"audience": ["verwaltung", "politik"]}, "abc"),
    ({"format": ["online"]}, "bd"),
    ({"format": ["online", "hybrid"]}, "bcd"),
    ({"element": ["kultureller-wandel"]}, "ac"),
    ({"element": ["kultureller-wandel", "raumstrukturen"]}, "abc"),  # c has both: listed once
    ({"kind": ["training"], "format": ["online"]}, "d"),  # AND across filters
    ({"audience": ["verwaltung"], "element": ["raumstrukturen"]}, "c"),
    ({"kind": ["training", "community"], "audience": ["zivilgesellschaft"]}, "cd"),
    ({"kind": ["inhouse"], "audience": ["verwaltung"], "format": ["online"]}, ""),
]


def test_listing_filters(client, catalogue):
    for params, expected in FILTER_CASES:
        response = client.get(catalogue.index.url, params)
        wanted = [getattr(catalogue, key).title for key in expected]
        assert listed(response) == wanted, params
        assert response.context["paginator"].count == len(wanted), params


SEARCH_CASES = [
    ("Beteiligung", "a"),  # a title word
    ("beteiligung", "a"),  # case does not matter
    ("Impulsvortrag", "b"),  # a teaser word
    ("Fallberatung", "c"),  # a body word: all indexed text is searched
    ("Workshop Moderation", "a"),  # a title and a teaser word, both required
    ("Workshop Impulsvortrag", ""),
    ("Quantencomputer", ""),
    ("  Beteiligung  ", "a"),
]


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
