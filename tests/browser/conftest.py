"""Browser tests: Playwright driving Debian's chromium (never a downloaded browser).

Outside CI a missing chromium skips these tests with the line that installs it; under CI=true
they must run, so a missing browser fails them.
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.core.management import call_command
from django.core.servers.basehttp import WSGIServer

from ..embed_finder import FINDERS_SETTING
from .chromium import CHROMIUM, CHROMIUM_ARGS
from .helpers import Requests

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# next to one unless told that this is deliberate (it is: the loop only drives the browser).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

INSTALL_HINT = "chromium is not installed: run `apt-get install -y chromium` (as root)"


def chromium_path() -> str | None:
    return shutil.which("chromium") or (CHROMIUM if os.access(CHROMIUM, os.X_OK) else None)


class SerialWSGIServer(WSGIServer):
    """The live server, one request at a time.

    With SQLite's in-memory test database all server threads share one connection; a browser
    loading a page's scripts in parallel then used it from several threads at once ("bad
    parameter or other API misuse" on Python 3.13). Serving requests one after another in the
    server thread keeps to the two threads Django's live server supports. Connections close
    after each response (Django sends "Connection: close" from a non-threading server).
    """

    def __init__(self, *args, connections_override=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.connections_override = connections_override


@pytest.fixture(autouse=True, scope="session")
def _serial_live_server_on_sqlite():
    from django.db import connection
    from django.test.testcases import LiveServerThread

    if connection.vendor != "sqlite":
        yield
        return
    original = LiveServerThread.server_class
    LiveServerThread.server_class = SerialWSGIServer
    yield
    LiveServerThread.server_class = original


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    path = chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{INSTALL_HINT}; browser tests must run under CI=true")
        pytest.skip(INSTALL_HINT)
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_ARGS}


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")


@pytest.fixture
def admin_page(page, live_server, admin_user):
    """A browser page logged in to Wagtail's admin of the live test server."""
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page


@pytest.fixture
def demo(live_server, settings):
    """The example site's demo content; oEmbed answers from a fixed finder (no network)."""
    settings.WAGTAILEMBEDS_FINDERS = FINDERS_SETTING
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from kokreative_wagtail.models import ElementPage

    return ElementPage.objects.get(slug="raumstrukturen")


@pytest.fixture
def requests(context, live_server) -> Requests:
    return Requests(context, live_server.url)
