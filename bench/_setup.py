"""Shared set-up of the benchmarks: Django with the test settings and a fresh test database.

The benchmarks run as plain scripts (``.venv/bin/python bench/<name>.py``), not under pytest, so
this module does what pytest's ``pythonpath`` and pytest-django do for the test suite: put the
repository root and ``example_site/`` on ``sys.path``, select ``tests.settings`` and create (and
afterwards destroy) a test database. SQLite in memory by default; PostgreSQL when ``DATABASE_URL``
is set (the test database is then ``test_<name>_bench`` on that server, so a benchmark never
clobbers the ``test_<name>`` database of a test run going on at the same time).

It also holds what the listing benchmarks share: the interleaved measurement of a set of URLs
(``measure_all``), their table (``print_table``), the elements, and the *bare Wagtail page*
they are compared with (``install_bare_listing``, ``create_bare_index``, ``add_bare_children``).
"""

from __future__ import annotations

import gc
import os
import platform
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "templates"

#: Requests per URL and figure, and warm-up rounds before them (``measure_all``).
RUNS = 21
WARMUP = 3

ELEMENTS = [
    ("Kultureller Wandel", "kultureller-wandel"),
    ("Raumstrukturen", "raumstrukturen"),
    ("Prozessstrukturen", "prozessstrukturen"),
    ("Governancestrukturen", "governancestrukturen"),
]


def setup_django() -> None:
    for path in (REPO, REPO / "example_site"):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()


@contextmanager
def test_database() -> Iterator[None]:
    """A fresh, migrated test database for the duration of the block, destroyed afterwards."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":
        # Not pytest's test_<name>: a benchmark must not clobber a test run on the same server.
        connection.settings_dict.setdefault("TEST", {})
        connection.settings_dict["TEST"]["NAME"] = f"test_{old_name}_bench"
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        # tests.settings makes a temporary media folder per process; it held our images.
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.name.startswith("kokreative-test-media-"):
            shutil.rmtree(media_root, ignore_errors=True)


def analyze() -> None:
    """Update PostgreSQL's planner statistics after filling the database.

    A live site's autovacuum does so; a freshly filled test database has none yet, and its
    planner then picks plans no site would run (the filtered offer listing at 1000 offers took
    twice its time without). SQLite: nothing to do.
    """
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def median_ms(func: Callable[[], object], runs: int, warmup: int = 2) -> float:
    """Median wall time of ``func()`` in milliseconds over ``runs`` runs after ``warmup`` runs."""
    for _ in range(warmup):
        func()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def environment_line() -> str:
    import django
    import wagtail
    from django.db import connection

    vendor = connection.vendor
    if vendor == "postgresql":
        vendor = f"PostgreSQL {connection.pg_version // 10000}"
    elif vendor == "sqlite":
        vendor = "SQLite in memory" if connection.is_in_memory_db() else "SQLite"
    return (
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"Wagtail {wagtail.__version__}, {vendor}, {os.cpu_count()} CPUs"
    )


def create_elements() -> list:
    """The four elements of the programme, in the default locale."""
    from wagtail.models import Locale

    from kokreative_wagtail.models import Element

    locale = Locale.get_default()
    return [
        Element.objects.create(
            name=name, slug=slug, summary=f"{name}.", sort_order=i, locale=locale
        )
        for i, (name, slug) in enumerate(ELEMENTS, start=1)
    ]


def install_bare_listing(per_page: int) -> None:
    """Let the example site's ``HomePage`` serve a plain paginated listing of its children.

    The *bare Wagtail page* the listing benchmarks compare our pages with: no model of ours and
    no new model, but the example site's own page type (``home.HomePage``: Wagtail's ``Page``
    plus a rich-text ``intro``), served by Wagtail's ``Page.serve()``. For this process only, its
    ``get_context`` becomes what a Wagtail site writes for a listing page (the tutorial's blog
    index, paginated): ``Paginator(self.get_children().live().public().specific(), per_page)``;
    its template is ``bench/templates/bare_listing.html``, a minimal HTML document with the
    title, the intro and, per child, a linked title and the child's intro, and "page x of y".
    With ``?frame=1`` the template is ``bare_listing_framed.html`` instead: the same listing
    inside the example site's ``base.html``, the frame our pages are rendered in.
    """
    from django.core.paginator import Paginator
    from django.template import engines
    from home.models import HomePage
    from wagtail.models import Page

    engine = engines["django"]
    minimal = engine.from_string((TEMPLATES / "bare_listing.html").read_text())
    framed = engine.from_string((TEMPLATES / "bare_listing_framed.html").read_text())

    def get_context(self, request, *args, **kwargs):
        context = Page.get_context(self, request, *args, **kwargs)
        children = self.get_children().live().public().specific()
        context["page_obj"] = Paginator(children, per_page).get_page(request.GET.get("page"))
        return context

    def get_template(self, request, *args, **kwargs):
        return framed if request.GET.get("frame") else minimal

    HomePage.get_context = get_context
    HomePage.get_template = get_template


def create_bare_index(title: str, slug: str):
    """A ``HomePage`` below the site root, published: the bare listing page."""
    from home.models import HomePage
    from wagtail.models import Site

    root = Site.objects.get(is_default_site=True).root_page
    page = HomePage(title=title, slug=slug, intro=f"<p>{title}.</p>")
    root.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def add_bare_children(index, start: int, stop: int, word: str) -> None:
    """``HomePage`` children ``start`` … ``stop - 1``: title and a two-sentence intro each.

    Live, without revisions, like the pages they stand in for.
    """
    from django.utils import timezone
    from home.models import HomePage

    now = timezone.now()
    for i in range(start, stop):
        published = now - timedelta(minutes=i)
        index.add_child(
            instance=HomePage(
                title=f"{word} {i:04d}",
                slug=f"{word.lower()}-{i:04d}",
                intro=f"<p>Zwei oder drei Sätze über {word} {i}. Für Verwaltung und Politik.</p>",
                live=True,
                first_published_at=published,
                last_published_at=published,
            )
        )


def check_count(marker: str, expected: int) -> Callable:
    """A response check: ``marker`` occurs ``expected`` times in the HTML."""

    def check(response) -> None:
        found = response.content.decode().count(marker)
        if found != expected:
            raise RuntimeError(f"{expected} times {marker!r} expected, {found} found")

    return check


def measure_all(client, measured) -> dict[str, tuple[float, int]]:
    """``{what: (median ms, queries of one request)}`` for ``[(what, url, check), …]``.

    Each URL is requested once and its answer checked, once more to count its SQL queries, then
    ``WARMUP`` rounds, then ``RUNS`` timed rounds. The URLs are requested in turn within each
    round (not one URL's runs back to back), so a change of machine load during the run shifts
    all of them alike and the ratios stay fair.
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


def ratio_note(ms: float, baseline_ms: float, baseline: str) -> str:
    """``"1.75x the time of <baseline> (throughput 0.57x)"``."""
    ratio = ms / baseline_ms
    return f"{ratio:.2f}x the time of {baseline} (throughput {1 / ratio:.2f}x)"


def print_table(name: str, rows) -> None:
    """The table of ``(N, what, median ms, queries, note)`` rows, with the run's conditions."""
    print(f"{name}: median of {RUNS} runs after {WARMUP + 2} warm-up runs, interleaved")
    print(environment_line())
    print()
    width = max(len(what) for _size, what, _ms, _queries, _note in rows)
    print(f"| {'N':>5} | {'what':<{width}} | {'median ms':>9} | {'queries':>7} | note")
    print(f"|------:|:{'-' * (width + 1)}|----------:|--------:|:-----")
    for size, what, ms, queries, note in rows:
        print(f"| {size:>5} | {what:<{width}} | {ms:>9.1f} | {queries:>7} | {note}".rstrip())
