"""A panel on Wagtail's dashboard: notification e-mails that failed or are overdue.

Who sees a row is who sees it in the outbox's admin (``NotificationPermissionPolicy``: the
editors of its form page). Two queries (the rows, and their number when there are more), whatever
the outbox holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from wagtail.admin.ui.components import Component

from .admin import permission_policy
from .models import Notification

#: A pending row due longer than this is overdue: no worker has sent it.
OVERDUE_AFTER = timedelta(minutes=15)
#: How many rows the panel lists at most (the newest first).
ROWS_LIMIT = 5


def troubled(rows: QuerySet, now=None) -> QuerySet:
    """``rows`` that need a look: failed for good, retrying after a failed attempt, or due for
    longer than ``OVERDUE_AFTER``."""
    now = now or timezone.now()
    pending = Q(status=Notification.Status.PENDING) & (
        Q(attempts__gt=0) | Q(next_attempt_at__lt=now - OVERDUE_AFTER)
    )
    return rows.filter(Q(status=Notification.Status.FAILED) | pending)


class NotificationProblemsPanel(Component):
    """Failed and overdue notification e-mails the user may see, the newest with their error."""

    name = "kokreative_notification_problems"
    template_name = "kokreative_wagtail/outbox/dashboard/notification_problems.html"
    order = 280

    def get_context_data(self, parent_context: Mapping[str, Any]) -> dict[str, Any]:

        user = parent_context["request"].user
        context: dict[str, Any] = {"notifications": [], "count": 0}
        rows = troubled(permission_policy.instances_user_has_permission_for(user, "view"))
        latest = list(rows.select_related("page").order_by("-created_at", "-pk")[: ROWS_LIMIT + 1])
        count = rows.count() if len(latest) > ROWS_LIMIT else len(latest)
        context.update(notifications=latest[:ROWS_LIMIT], count=count)
        return context


def construct_homepage_panels(request, panels: list) -> None:
    """The ``construct_homepage_panels`` hook of the outbox."""
    panels.append(NotificationProblemsPanel())
