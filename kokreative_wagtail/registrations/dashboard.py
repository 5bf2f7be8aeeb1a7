"""A panel on Wagtail's dashboard: the next dates that take registrations, and how full they are.

Only live event pages the user may edit (``overview.editable_event_pages``); a few queries (the
pages, their settings and overrides, one grouped count) whatever the number of registrations.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wagtail.admin.ui.components import Component

from . import overview

#: How many dates the panel shows.
DATES_LIMIT = 5


class RegistrationDatesPanel(Component):
    """The next ``DATES_LIMIT`` dates with seats taken, waiting list and pending confirmations."""

    name = "kokreative_registration_dates"
    template_name = "kokreative_wagtail/registrations/admin/dashboard_panel.html"
    order = 265

    def get_context_data(self, parent_context: Mapping[str, Any]) -> dict[str, Any]:
        user = parent_context["request"].user
        pages = overview.editable_event_pages(user, live_only=True)
        return {"dates": overview.next_dates(pages, limit=DATES_LIMIT)}


def construct_homepage_panels(request, panels: list) -> None:
    """The ``construct_homepage_panels`` hook of the registrations app."""
    panels.append(RegistrationDatesPanel())
