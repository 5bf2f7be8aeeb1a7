from collections.abc import Callable

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connections, transaction
from pytest_django.plugin import blocking_manager_key
from wagtail.models import Page, Site

from kokreative_wagtail.blocks import block_registry

from .factories import ElementFactory, create_element_page, create_programme

# --- the migrated data, kept across transactional tests -------------------------------------
#
# Transactional tests (browser tests against the live server, concurrency tests) end with a
# flush that also deletes what the migrations created: the root page, the default site and
# locale, default audiences and cookie groups. With pytest-xdist's file distribution, a later
# test module in the same worker would find an empty database. Django's ``serialized_rollback``
# is meant for this, but restores only at the start of a test marked with it. So the data is
# serialized once after the test database is set up and restored before the first test that
# follows a transactional one, whatever its kind.

_BASELINE: dict[str, str] = {}
_DIRTY = {"flag": False}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        for alias in connections:
            _BASELINE[alias] = connections[alias].creation.serialize_db_to_string()


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(
        {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
        or (marker is not None and marker.kwargs.get("transaction"))
    )


def _reset_sequences(connection) -> None:
    """Rows came back with their ids; PostgreSQL's sequences must continue after them."""
    from django.apps import apps
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    if _DIRTY["flag"] and _BASELINE:
        with item.config.stash[blocking_manager_key].unblock():
            for alias, data in _BASELINE.items():
                # the flush re-created content types and permissions with new ids: clear them
                call_command(
                    "flush",
                    interactive=False,
                    inhibit_post_migrate=True,
                    database=alias,
                    verbosity=0,
                )
                connection = connections[alias]
                connection.creation.deserialize_db_from_string(data)
                _reset_sequences(connection)
            ContentType.objects.clear_cache()  # ids cached from the flushed content types
        _DIRTY["flag"] = False
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if _is_transactional(item):
        _DIRTY["flag"] = True


# --- data loaded once per test module ----------------------------------------------------


def module_data(load: Callable[[], object]):
    """A module-scoped fixture whose value is ``load()``, run once for the test module.

    ``load`` runs inside a transaction that is rolled back after the module's last test; each
    test runs in a savepoint within it (pytest-django's ``db``), so it sees the loaded data and
    whatever it changes is undone before the next. For data that takes a second or more to
    load (the demo content) and that many tests read. Every test of the module should use it
    (a test that does not, after one that did, still sees the data) and none may be
    transactional (its flush would end the transaction).
    """

    @pytest.fixture(scope="module")
    def fixture(request, django_db_setup, django_db_blocker):
        transactional = [
            item.name
            for item in request.session.items
            if item.getparent(pytest.Module) is request.node and _is_transactional(item)
        ]
        assert not transactional, f"module data cannot serve transactional tests: {transactional}"
        with django_db_blocker.unblock():
            outer = transaction.atomic()
            outer.__enter__()
            try:
                yield load()
            finally:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)

    return fixture


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
def _no_language_left_active():
    """A request through LocaleMiddleware leaves its language active in the test thread (an
    English page's request would make the next test's ``page.url`` start with /en/)."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_block_registry():
    """Tests that register blocks must not leak them into other tests."""
    block_registry.reset()
    yield
    block_registry.reset()


@pytest.fixture
def admin_client(client, django_user_model):
    # the demo content (``load_demo``) brings a superuser of this name
    user = django_user_model.objects.filter(username="admin", is_superuser=True).first()
    if user is None:
        user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return client
