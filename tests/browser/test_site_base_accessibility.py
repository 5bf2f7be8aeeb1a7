"""axe-core on our pages inside a stranger's base template (tests/templates/site_bases/).

One test per site base visits every page type, so a nested ``<main>``, a duplicate id or a second
breadcrumb navigation that only appears with a site's own base template is caught in a browser.
"""

from __future__ import annotations

import pytest

from ..core.test_site_base_templates import SITE_BASES
from .helpers import assert_no_violations, require_axe
from .test_accessibility import PAGES

pytestmark = pytest.mark.django_db(transaction=True)

VISITED = [
    "programme page",
    "element page",
    "offer index",
    "offer page",
    "event index (list)",
    "event page",
    "consultation form with errors",
]


@pytest.mark.parametrize("base", list(SITE_BASES))
def test_axe_audit_in_a_sites_base(base, page, live_server, demo, requests, settings):
    require_axe()
    kokreative, _site_classes = SITE_BASES[base]
    settings.KOKREATIVE = {**kokreative, "FORM_MIN_FILL_SECONDS": 0}
    for name in VISITED:
        PAGES[name](page, live_server.url)
        assert page.locator("main").count() == 1, f"{name} in {base}"
        assert_no_violations(page, f"on the {name} in {base}")
