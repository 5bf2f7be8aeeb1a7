"""Panels on Wagtail's dashboard: the next dates of the events an editor may edit, and the
series whose dates could not be calculated.

Both read the stored occurrence index (``occurrence_index``), never the pages' rules: a panel
costs a few queries however many events the site holds. Who sees a row is who may edit its page,
as Wagtail's own panels and its form submissions decide (the page permission policy).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.models import Page

from .models import EventPage, IndexedEvent
from .occurrence_index import OccurrenceWindow

#: How far ahead the panel of dates looks, and how many dates it shows at most.
UPCOMING_DAYS = 14
UPCOMING_LIMIT = 10
#: How many series in trouble the panel lists (it says how many there are in all).
PROBLEMS_LIMIT = 10


def page_permission_policy():
    """Wagtail's page permission policy (registered per model since Wagtail 8)."""
    try:
        from wagtail.permissions import policy_registry
    except ImportError:  # pragma: no cover - Wagtail 7
        from wagtail.permission_policies.pages import PagePermissionPolicy

        return PagePermissionPolicy(Page)
    return policy_registry.get_by_type(Page)


def editable_page_ids(user) -> QuerySet | None:
    """The ids of the pages ``user`` may edit, as a subquery; ``None`` when there are none (no
    query needed to know: the user's page permissions are cached on the user)."""
    if not user.is_active:
        return None
    policy = page_permission_policy()
    if not policy.user_has_permission(user, "change"):
        return None
    return policy.instances_user_has_permission_for(user, "change").order_by().values("pk")


class UpcomingDatesPanel(Component):
    """The next dates (cancelled and moved ones marked) of the live events the user may edit."""

    name = "kokreative_upcoming_dates"
    template_name = "kokreative_wagtail/events/dashboard/upcoming_dates.html"
    order = 260

    def get_context_data(self, parent_context: Mapping[str, Any]) -> dict[str, Any]:

        context: dict[str, Any] = {"occurrences": [], "days": UPCOMING_DAYS}
        page_ids = editable_page_ids(parent_context["request"].user)
        if page_ids is None:
            return context
        events = (
            EventPage.objects.live()
            .filter(pk__in=page_ids)
            .defer("body")
            # only when the index does not hold the window: computing applies the overrides
            .prefetch_related("overrides")
        )
        now = timezone.now()
        window = OccurrenceWindow(events, now, now + timedelta(days=UPCOMING_DAYS))
        # horizon, the rows with the window's count, their events
        found = window.page(0, UPCOMING_LIMIT)
        context["occurrences"] = list(found)
        context["more"] = window.count() - len(found) if found.more else 0
        return context


class SeriesProblemsPanel(Component):
    """Live events the index holds no dates for, with the reason (``IndexedEvent.problem``)."""

    name = "kokreative_series_problems"
    template_name = "kokreative_wagtail/events/dashboard/series_problems.html"
    order = 255

    def get_context_data(self, parent_context: Mapping[str, Any]) -> dict[str, Any]:

        context: dict[str, Any] = {"problems": [], "more": 0}
        page_ids = editable_page_ids(parent_context["request"].user)
        if page_ids is None:
            return context
        rows = (
            IndexedEvent.objects.exclude(problem="")
            .filter(page_id__in=page_ids)
            .order_by("page__title", "page_id")
            .values("page_id", "page__title", "problem", "indexed_at")
        )
        problems = list(rows[: PROBLEMS_LIMIT + 1])
        if len(problems) > PROBLEMS_LIMIT:
            context["more"] = rows.count() - PROBLEMS_LIMIT
        context["problems"] = problems[:PROBLEMS_LIMIT]
        return context


def construct_homepage_panels(request, panels: list) -> None:
    """The ``construct_homepage_panels`` hook of the events app."""
    panels.extend([SeriesProblemsPanel(), UpcomingDatesPanel()])
