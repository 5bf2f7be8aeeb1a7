"""System checks of the accessibility app: every site publishes a current accessibility
statement (BITV 2.0 § 7, § 12b BGG: reviewed at least once a year).

They read pages, so they are database checks: ``migrate`` runs them (on every deployment) and
``python manage.py check --database default`` on demand; a plain ``check`` does not touch the
database.
"""

from __future__ import annotations

from django.apps import apps
from django.core import checks
from django.db import DatabaseError
from wagtail.models import Site

from ..queries import public_q, site_id_of

NO_STATEMENT = "kokreative_wagtail.W020"
REVIEW_OVERDUE = "kokreative_wagtail.W021"


def statement_messages() -> list[checks.CheckMessage]:
    """A warning per site without a live statement, and per statement due for review."""
    model = apps.get_model("kokreative_accessibility", "AccessibilityStatementPage")
    statements = list(model.objects.live().filter(public_q()).order_by("path"))
    root_paths = Site.get_site_root_paths()
    by_site: dict[int, list] = {}
    for statement in statements:
        site_id = site_id_of(statement, root_paths)
        if site_id is not None:
            by_site.setdefault(site_id, []).append(statement)
    messages: list[checks.CheckMessage] = []
    for site in Site.objects.order_by("pk"):
        found = by_site.get(site.pk, [])
        if not found:
            messages.append(
                checks.Warning(
                    f"The site {site.site_name or site.hostname!r} has no published "
                    "accessibility statement (BITV 2.0 § 7, § 12b BGG).",
                    hint="Create an “Accessibility statement” page in the site and publish it.",
                    obj=site,
                    id=NO_STATEMENT,
                )
            )
        for statement in found:
            if statement.review_overdue():
                messages.append(
                    checks.Warning(
                        f"The accessibility statement {statement.title!r} (page "
                        f"{statement.pk}) was last reviewed on {statement.last_review:%Y-%m-%d}, "
                        "more than a year ago.",
                        hint="Review the site and the statement, then set “last reviewed on”.",
                        obj=statement,
                        id=REVIEW_OVERDUE,
                    )
                )
    return messages


@checks.register(checks.Tags.database)
def check_accessibility_statements(app_configs=None, databases=None, **kwargs):
    if not databases or not apps.is_installed("kokreative_wagtail.accessibility"):
        return []
    try:
        return statement_messages()
    except DatabaseError:  # before migrate: no tables to read yet
        return []
