"""Benchmark: the offer listing page and the offers API at 10, 100 and 1000 offers.

Run: ``.venv/bin/python bench/offers_listing.py`` (SQLite in memory), or with
``DATABASE_URL=postgres://…`` for PostgreSQL. Prints a table; never asserts a timing.

Data: one ``OfferIndexPage`` (``per_page`` 12, the default) under the site root, with N live
offer pages below it. Each offer has a teaser, a teaser image, two of the four elements and two of
the three default audiences, and cycles through the three kinds and formats. The teaser images are
a handful of distinct images (``IMAGES``) shared round-robin, not one per offer: creating 1000
image files would dominate the set-up time, and every query we count is the same either way
(renditions are fetched in one prefetch query per page, whatever the number of distinct images).

Measured per N, as the median of ``RUNS`` requests after ``WARMUP + 2`` warm-up requests (the
warm-up also creates the renditions), the URLs taking turns within each round, with the query count
of one request:

- ``index page``: ``GET <index>/`` through Django's test client (HTML, 12 teasers, filter form);
- ``index filtered``: ``GET <index>/?kind=training&element=<slug>&sort=title``;
- ``api offers``: ``GET /api/kokreative/v1/offers`` (JSON, default page size 20);
- ``v2 bare``: Wagtail's API v2 listing of the same pages and page size,
  ``/api/v2/pages/?type=kokreative_offers.OfferPage&fields=teaser&limit=20``; the baseline;
- ``v2 same fields``: the same listing with the fields our API returns
  (``fields=kind,format,teaser,teaser_image,audiences,elements``), for information.

The ratio compares ``api offers`` with ``v2 bare``: the design target is a throughput of at
least 0.8x the bare Wagtail API v2 list of the same size (time ratio <= 1.25).
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from datetime import timedelta
from functools import partial
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import environment_line, setup_django, test_database  # noqa: E402

SIZES = (10, 100, 1000)
RUNS = 21
WARMUP = 3
IMAGES = 4
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

    from kokreative_wagtail.models import Element
    from kokreative_wagtail.offers.models import Audience, OfferIndexPage

    locale = Locale.get_default()
    root = Site.objects.get(is_default_site=True).root_page
    index = OfferIndexPage(title="Alle Angebote", slug="angebote", intro="<p>Alle Angebote.</p>")
    root.add_child(instance=index)
    index.save_revision().publish()
    index.refresh_from_db()

    elements = [
        Element.objects.create(
            name=name, slug=slug, summary=f"{name}.", sort_order=i, locale=locale
        )
        for i, (name, slug) in enumerate(
            [
                ("Kultureller Wandel", "kultureller-wandel"),
                ("Raumstrukturen", "raumstrukturen"),
                ("Prozessstrukturen", "prozessstrukturen"),
                ("Governancestrukturen", "governancestrukturen"),
            ],
            start=1,
        )
    ]
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


def measure_all(client, measured) -> dict[str, tuple[float, int]]:
    """``{what: (median ms, queries of one request)}`` for ``[(what, url, check), …]``.

    The URLs are requested in turn within each round (not one URL's runs back to back), so a
    change of machine load during the run shifts all of them alike and the ratio stays fair.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get(url):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        return response

    queries = {}
    for what, url, check in measured:
        check(get(url))  # also the first warm-up: renditions, caches, compiled templates
        with CaptureQueriesContext(connection) as captured:
            get(url)
        # Count now: the captured list is read from the connection's log, which the next
        # request clears (Django resets it on request_started).
        queries[what] = len(captured)
    for _ in range(WARMUP):
        for _what, url, _check in measured:
            get(url)
    gc.collect()
    times: dict[str, list[float]] = {what: [] for what, _url, _check in measured}
    for _ in range(RUNS):
        for what, url, _check in measured:
            start = time.perf_counter()
            get(url)
            times[what].append(time.perf_counter() - start)
    return {
        what: (statistics.median(times[what]) * 1000, queries[what])
        for what, _url, _check in measured
    }


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

    index, elements, audiences, images = create_fixtures()
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
        created = size
        print(
            f"  N={size}: created offers in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        # Offer i is a training when i % 3 == 0 and has elements i % 4 and (i + 1) % 4.
        filtered = sum(1 for i in range(size) if i % 3 == 0 and 0 in (i % 4, (i + 1) % 4))
        v2 = partial(check_v2, total=size)
        measured = [
            ("index page", index_url, partial(check_html, teasers=min(size, index.per_page))),
            (
                "index filtered",
                filtered_url,
                partial(check_html, teasers=min(filtered, index.per_page)),
            ),
            ("api offers", api_url, partial(check_api, total=size)),
            ("v2 bare", V2_BARE.format(limit=API_PAGE_SIZE), v2),
            ("v2 same fields", V2_SAME_FIELDS.format(limit=API_PAGE_SIZE), v2),
        ]
        results = measure_all(client, measured)
        ratio = results["api offers"][0] / results["v2 bare"][0]
        for what, _url, _check in measured:
            note = ""
            if what == "api offers":
                note = f"{ratio:.2f}x the time of v2 bare (throughput {1 / ratio:.2f}x)"
            rows.append((size, what, *results[what], note))
    return rows


def print_table(rows) -> None:
    print(f"offers_listing: median of {RUNS} runs after {WARMUP + 2} warm-up runs, interleaved")
    print(environment_line())
    print()
    header = f"| {'N':>5} | {'what':<15} | {'median ms':>9} | {'queries':>7} | note"
    print(header)
    print("|------:|:----------------|----------:|--------:|:-----")
    for size, what, ms, queries, note in rows:
        print(f"| {size:>5} | {what:<15} | {ms:>9.1f} | {queries:>7} | {note}".rstrip())


def main() -> None:
    setup_django()
    started = time.perf_counter()
    with test_database():
        rows = run()
    print_table(rows)
    print(f"\n(total {time.perf_counter() - started:.0f} s including set-up)")


if __name__ == "__main__":
    main()
