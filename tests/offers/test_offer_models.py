"""Offers: page types, the tree, translations in the admin and the admin views."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from wagtail.models import Locale
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from kokreative_wagtail.models import ProgrammePage
from kokreative_wagtail.offers.models import Audience, OfferIndexPage, OfferPage

from ..factories import ImageFactory
from .factories import (
    AudienceFactory,
    create_offer_index,
)
from .offer_helpers import (
    add_url,
    filter_form,
    listed,
)

pytestmark = pytest.mark.django_db


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
