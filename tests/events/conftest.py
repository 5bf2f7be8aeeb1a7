"""Fixtures of the occurrence index's tests (a module may define its own of the same name)."""

import pytest

from kokreative_wagtail.events import occurrence_index
from kokreative_wagtail.events.models import EventIndexPage, OccurrenceHorizon
from tests.factories import add_page


@pytest.fixture
def event_index(site_root):
    return add_page(site_root, EventIndexPage, title="Termine", slug="termine")


@pytest.fixture
def horizon(db):
    """A fresh index around today (the test database's may date from the session's start)."""
    occurrence_index.extend(rebuild_all=True)
    return OccurrenceHorizon.objects.get()
