"""A panel on Wagtail's dashboard: the forms that received submissions in the last days.

Who sees a form is who may see its submissions in Wagtail's "Forms" (``get_forms_for_user``:
the editors of the form page, narrowed by ``filter_form_submissions_for_user`` hooks). One grouped
query counts them, whatever the number of forms and submissions.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.db.models import Count, Max
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.contrib.forms.models import FormSubmission
from wagtail.contrib.forms.utils import get_forms_for_user

#: Submissions newer than this count as new.
NEW_DAYS = 7
#: How many forms the panel lists at most (those with the latest submissions first).
FORMS_LIMIT = 10


class NewSubmissionsPanel(Component):
    """Per form page the user may see submissions of: the new ones' number and the latest."""

    name = "kokreative_new_submissions"
    template_name = "kokreative_wagtail/consultations/dashboard/new_submissions.html"
    order = 270

    def get_context_data(self, parent_context: Mapping[str, Any]) -> dict[str, Any]:

        user = parent_context["request"].user
        context: dict[str, Any] = {"forms": [], "days": NEW_DAYS}
        if not user.is_active:
            return context
        since = timezone.now() - timedelta(days=NEW_DAYS)
        forms = get_forms_for_user(user).order_by().values("pk")
        rows = (
            FormSubmission.objects.filter(page__in=forms, submit_time__gte=since)
            .order_by()
            .values("page_id", "page__title")
            .annotate(count=Count("pk"), latest=Max("submit_time"))
            .order_by("-latest", "page_id")
        )
        context["forms"] = list(rows[:FORMS_LIMIT])
        return context


def construct_homepage_panels(request, panels: list) -> None:
    """The ``construct_homepage_panels`` hook of the consultations app."""
    panels.append(NewSubmissionsPanel())
