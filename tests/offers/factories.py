"""Factories and helpers for the offer tests (small factory-boy factories, as in factories.py)."""

from __future__ import annotations

import factory
from django.test import TestCase
from django.utils import timezone
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from kokreative_wagtail.offers.models import Audience, OfferIndexPage, OfferPage

from ..factories import ImageFactory, add_page


class AudienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audience

    name = factory.Sequence(lambda n: f"Zielgruppe {n}")
    locale = factory.LazyFunction(Locale.get_default)


def default_audiences() -> dict[str, Audience]:
    """The audiences migration 0002 creates (in the default language), by slug."""
    return {a.slug: a for a in Audience.objects.filter(locale=Locale.get_default())}


def search_indexed():
    """Run what the transaction would run on commit (the test never commits).

    Wagtail 7.0 updates the search index in a task enqueued on commit (django-tasks); Wagtail 8
    runs it at once. Wrap page saves whose search entries a test relies on.
    """
    return TestCase.captureOnCommitCallbacks(execute=True)


def create_offer_index(parent, **fields) -> OfferIndexPage:
    fields.setdefault("title", "Angebote")
    fields.setdefault("slug", "angebote")
    return add_page(parent, OfferIndexPage, **fields)


def create_offer(
    index, *, audiences=(), elements=(), publish=True, revisions=True, **fields
) -> OfferPage:
    """Create an offer below ``index`` with its audiences and elements; published unless told.

    ``revisions=False`` saves a live page directly (no revision, no publish action): faster, for
    fixtures that build many offers; the page row is what listings and the API read.
    """
    fields.setdefault("title", "Angebot")
    fields.setdefault("slug", slugify(fields["title"]))
    with search_indexed():
        return _create_offer(index, audiences, elements, publish, revisions, fields)


def _create_offer(index, audiences, elements, publish, revisions, fields) -> OfferPage:
    page = OfferPage(**fields)
    page.audiences = list(audiences)
    page.elements = list(elements)
    if not revisions:
        now = timezone.now()
        page.live = publish
        if publish:
            page.first_published_at = page.last_published_at = now
        index.add_child(instance=page)
        return page
    page.live = False
    index.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page


def create_images(count: int) -> list:
    """``count`` distinct image records (each gets its own renditions) sharing one source file.

    One real upload through ``ImageFactory``, the rest bulk-created: fast enough for 200 offers.
    """
    Image = get_image_model()
    source = ImageFactory()
    copies = [
        Image(
            title=f"Teaserbild {i}",
            file=source.file.name,
            width=source.width,
            height=source.height,
            file_size=source.file_size,
            file_hash=source.file_hash,
        )
        for i in range(count - 1)
    ]
    created = Image.objects.bulk_create(copies)
    if any(image.pk is None for image in created):  # backends without RETURNING
        created = list(Image.objects.exclude(pk=source.pk).order_by("-pk")[: count - 1])
    return [source, *created][:count]


def build_offers(index, count: int, *, start: int = 0, audiences=(), elements=()) -> list:
    """``count`` live offers below ``index``, each with its own teaser image (no revisions).

    Audiences and elements are written in two bulk inserts into the relation tables.
    """
    images = create_images(count)
    with search_indexed():
        offers = [
            _build_offer(index, number, image) for number, image in enumerate(images, start=start)
        ]
    for field, related in (("audiences", audiences), ("elements", elements)):
        through = OfferPage._meta.get_field(field).remote_field.through
        source, target = (
            OfferPage._meta.get_field(field).m2m_field_name(),
            OfferPage._meta.get_field(field).m2m_reverse_field_name(),
        )
        through.objects.bulk_create(
            [through(**{source: offer, target: item}) for offer in offers for item in related]
        )
    return offers


def _build_offer(index, number, image) -> OfferPage:
    page = OfferPage(
        title=f"Angebot {number:03d}",
        slug=f"angebot-{number:03d}",
        teaser=f"Kurzbeschreibung {number}",
        teaser_image=image,
        live=True,
    )
    index.add_child(instance=page)
    return page


def create_second_site(hostname: str = "andere-kommune.example") -> tuple[Site, Page]:
    """A second site with its own root page below Wagtail's tree root."""
    root = Page.get_first_root_node().add_child(
        instance=Page(title="Andere Kommune", slug="andere-kommune")
    )
    site = Site.objects.create(hostname=hostname, port=80, root_page=root, site_name="Andere")
    return site, root
