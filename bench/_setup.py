"""Shared set-up of the benchmarks: Django with the test settings and a fresh test database.

The benchmarks run as plain scripts (``.venv/bin/python bench/<name>.py``), not under pytest, so
this module does what pytest's ``pythonpath`` and pytest-django do for the test suite: put the
repository root and ``example_site/`` on ``sys.path``, select ``tests.settings`` and create (and
afterwards destroy) a test database. SQLite in memory by default; PostgreSQL when ``DATABASE_URL``
is set (the test database is then ``test_<name>_bench`` on that server, so a benchmark never
clobbers the ``test_<name>`` database of a test run going on at the same time).
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


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
