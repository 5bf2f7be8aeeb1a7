import pytest
from wagtail.models import Page, Site

from kokreative_wagtail.blocks import block_registry

from .factories import ElementFactory, create_element_page, create_programme


@pytest.fixture
def site_root(db) -> Page:
    """The root page of the default site (Wagtail's initial "Welcome" page)."""
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def programme(site_root):
    return create_programme(site_root, intro="<p>Kokreative Kommune bedeutet …</p>")


@pytest.fixture
def elements(db):
    return [
        ElementFactory(name="Kultureller Wandel", sort_order=1, colour="#b5361c"),
        ElementFactory(name="Raumstrukturen", sort_order=2, colour="#1d6f42"),
    ]


@pytest.fixture
def element_page(programme, elements):
    return create_element_page(programme, elements[0], intro="<p>Gemeinsam mit euch …</p>")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Wagtail caches site root paths; a cache surviving a rolled-back test misroutes the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_block_registry():
    """Tests that register blocks must not leak them into other tests."""
    block_registry.reset()
    yield
    block_registry.reset()


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return client
