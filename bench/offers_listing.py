"""Benchmark: the offer listing page and the offers API at 10, 100 and 1000 offers.

Run: ``.venv/bin/python bench/offers_listing.py`` (SQLite in memory), or with
``DATABASE_URL=postgres://…`` for PostgreSQL. Prints a table; never asserts a timing.

Data: one ``OfferIndexPage`` (``per_page`` 12, the default) under the site root, with N live
offer pages below it. Each offer has a teaser, a teaser image, two of the four elements and two of
the three default audiences, and cycles through the three kinds and formats. The teaser images are
a handful of distinct images (``IMAGES``) shared round-robin, not one per offer: creating 1000
image files would dominate the set-up time, and every query we count is the same either way
(renditions are fetched in one prefetch query per page, whatever the number of distinct images).
On PostgreSQL, ``ANALYZE`` runs after each fill (a live site's autovacuum keeps the planner's
statistics current).

Next to them, as the baseline of the HTML rows, N *bare Wagtail pages* below a bare listing page
(``_setup.install_bare_listing``): the example site's ``HomePage`` type, served by Wagtail's
``Page.serve()`` with the listing a Wagtail site writes itself, ``get_children().live().public()
.specific()`` paginated 12 per page, through a minimal template (title, intro, per child a linked
title and its intro). Measured per N, as the median of ``RUNS`` requests after ``WARMUP + 2``
warm-up requests (the warm-up also creates the renditions), the URLs taking turns within each
round, with the query count of one request:

- ``index page``: ``GET <index>/`` through Django's test client (HTML, 12 teasers, filter form);
- ``index filtered``: ``GET <index>/?kind=training&element=<slug>&sort=title``;
- ``bare page``: ``GET <bare index>/``: the bare Wagtail page, 12 of its N children; the
  baseline of the two rows above;
- ``bare, site frame``: ``GET <bare index>/?frame=1``: the same listing in the example site's
  ``base.html`` (menu, language switcher, consent banner), the frame our pages have; for
  information;
- ``api offers``: ``GET /api/kokreative/v1/offers`` (JSON, default page size 20);
- ``v2 bare``: Wagtail's API v2 listing of the same pages and page size,
  ``/api/v2/pages/?type=kokreative_offers.OfferPage&fields=teaser&limit=20``; the baseline of
  the row above;
- ``v2 same fields``: the same listing with the fields our API returns
  (``fields=kind,format,teaser,teaser_image,audiences,elements``), for information.

The notes give the ratios: the design target is a throughput of at least 0.8x the bare Wagtail
page / API v2 list of the same size (time ratio <= 1.25).
"""

from __future__ import annotations

import sys
import time
from datetime import timedelta
from functools import partial
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import (  # noqa: E402
    add_bare_children,
    analyze,
    check_count,
    create_bare_index,
    create_elements,
    install_bare_listing,
    measure_all,
    print_table,
    ratio_note,
    setup_django,
    test_database,
)

SIZES = (10, 100, 1000)
IMAGES = 4
PER_PAGE = 12  # OfferIndexPage.per_page default; the bare page lists as many
API_PAGE_SIZE = 20  # KOKREATIVE["API_PAGE_SIZE"] default; the v2 listings use the same limit

V2_BARE = "/api/v2/pages/?type=kokreative_offers.OfferPage&fields=teaser&limit={limit}"
V2_SAME_FIELDS = (
    "/api/v2/pages/?type=kokreative_offers.OfferPage"
    "&fields=kind,format,teaser,teaser_image,audiences,elements&limit={limit}"
)


def png(colour: tuple[int, int, int]) -> bytes:
    from PIL import Image as PILImage

    buffer = BytesIO()
    PILImage.new("RGB", (1280, 720), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def create_fixtures():
    """The index page, four elements, the default audiences and a few teaser images."""
    from django.core.files.images import ImageFile
    from wagtail.images import get_image_model
    from wagtail.models import Collection, Locale, Site

    from kokreative_wagtail.offers.models import Audience, OfferIndexPage

    locale = Locale.get_default()
    root = Site.objects.get(is_default_site=True).root_page
    index = OfferIndexPage(title="Alle Angebote", slug="angebote", intro="<p>Alle Angebote.</p>")
    root.add_child(instance=index)
    index.save_revision().publish()
    index.refresh_from_db()

    elements = create_elements()
    audiences = list(Audience.objects.filter(locale=locale).order_by("sort_order"))
    assert len(audiences) == 3, "migration 0002 creates the three default audiences"

    image_model = get_image_model()
    collection = Collection.get_first_root_node()
    images = []
    for i in range(IMAGES):
        image = image_model(title=f"Teaserbild {i}", collection=collection)
        image.file = ImageFile(BytesIO(png((40 * i, 90, 160))), name=f"teaser-{i}.png")
        image._set_image_file_metadata()
        image.save()
        images.append(image)
    return index, elements, audiences, images


def add_offers(index, start: int, stop: int, elements, audiences, images) -> None:
    """Offers ``start`` … ``stop - 1`` below ``index``, live, without revisions (faster)."""
    from django.utils import timezone

    from kokreative_wagtail.offers.choices import OfferFormat, OfferKind
    from kokreative_wagtail.offers.models import OfferPage

    kinds, formats = list(OfferKind), list(OfferFormat)
    now = timezone.now()
    for i in range(start, stop):
        published = now - timedelta(minutes=i)
        offer = OfferPage(
            title=f"Angebot {i:04d}",
            slug=f"angebot-{i:04d}",
            kind=kinds[i % len(kinds)],
            format=formats[(i // 3) % len(formats)],
            teaser=f"Zwei oder drei Sätze über Angebot {i}. Für Verwaltung und Politik.",
            teaser_image=images[i % len(images)],
            duration="zwei Tage",
            cost="auf Anfrage",
            live=True,
            first_published_at=published,
            last_published_at=published,
        )
        offer.audiences = [audiences[i % 3], audiences[(i + 1) % 3]]
        offer.elements = [elements[i % 4], elements[(i + 1) % 4]]
        index.add_child(instance=offer)


def check_html(response, teasers: int) -> None:
    html = response.content.decode()
    found = html.count('class="kk-offer-teaser"')
    if found != teasers:
        raise RuntimeError(f"{teasers} offer teasers expected, {found} found")
    if teasers and 'class="kk-offer-image"' not in html:
        raise RuntimeError("no teaser image rendered")


def check_api(response, total: int) -> None:
    data = response.json()
    if data["count"] != total or len(data["items"]) != min(total, API_PAGE_SIZE):
        raise RuntimeError(f"unexpected offers API answer: count {data['count']}")
    if not data["items"][0]["teaser_image"]["url"]:
        raise RuntimeError("no teaser image in the offers API")


def check_v2(response, total: int) -> None:
    data = response.json()
    if data["meta"]["total_count"] != total or len(data["items"]) != min(total, API_PAGE_SIZE):
        raise RuntimeError(f"unexpected API v2 answer: {data['meta']}")


def run() -> list[tuple[int, str, float, int, str]]:
    from django.test import Client

    install_bare_listing(per_page=PER_PAGE)
    index, elements, audiences, images = create_fixtures()
    if index.per_page != PER_PAGE:
        raise RuntimeError(f"the offer index lists {index.per_page} per page, not {PER_PAGE}")
    bare = create_bare_index("Alle Seiten", "seiten")
    client = Client()
    element = elements[0]
    index_url = index.url
    filtered_url = f"{index_url}?kind=training&element={element.slug}&sort=title"
    api_url = "/api/kokreative/v1/offers"

    rows = []
    created = 0
    for size in SIZES:
        started = time.perf_counter()
        add_offers(index, created, size, elements, audiences, images)
        add_bare_children(bare, created, size, "Seite")
        analyze()
        created = size
        print(
            f"  N={size}: created offers and bare pages in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        # Offer i is a training when i % 3 == 0 and has elements i % 4 and (i + 1) % 4.
        filtered = sum(1 for i in range(size) if i % 3 == 0 and 0 in (i % 4, (i + 1) % 4))
        v2 = partial(check_v2, total=size)
        bare_check = check_count('class="bare-teaser"', min(size, PER_PAGE))
        measured = [
            ("index page", index_url, partial(check_html, teasers=min(size, PER_PAGE))),
            (
                "index filtered",
                filtered_url,
                partial(check_html, teasers=min(filtered, PER_PAGE)),
            ),
            ("bare page", bare.url, bare_check),
            ("bare, site frame", f"{bare.url}?frame=1", bare_check),
            ("api offers", api_url, partial(check_api, total=size)),
            ("v2 bare", V2_BARE.format(limit=API_PAGE_SIZE), v2),
            ("v2 same fields", V2_SAME_FIELDS.format(limit=API_PAGE_SIZE), v2),
        ]
        results = measure_all(client, measured)
        baselines = {
            "index page": "bare page",
            "index filtered": "bare page",
            "api offers": "v2 bare",
        }
        for what, _url, _check in measured:
            note = ""
            if what in baselines:
                baseline = baselines[what]
                note = ratio_note(results[what][0], results[baseline][0], baseline)
            rows.append((size, what, *results[what], note))
    return rows


def main() -> None:
    setup_django()
    started = time.perf_counter()
    with test_database():
        rows = run()
    print_table("offers_listing", rows)
    print(f"\n(total {time.perf_counter() - started:.0f} s including set-up)")


if __name__ == "__main__":
    main()
