"""Factories of the accessibility tests: Leichte Sprache pages and accessibility statements."""

from __future__ import annotations

import datetime

from django.utils import timezone

from kokreative_wagtail.accessibility.models import (
    AccessibilityStatementPage,
    EasyLanguagePage,
    NonAccessiblePart,
)

from ..factories import add_page

SENTENCES = "Hier lernen Sie die Kokreative Kommune kennen.\nDas ist ein Programm für Kommunen."


def create_easy_language_page(parent, **fields) -> EasyLanguagePage:
    fields.setdefault("title", "Leichte Sprache")
    fields.setdefault("slug", "leichte-sprache")
    fields.setdefault("intro", SENTENCES)
    return add_page(parent, EasyLanguagePage, **fields)


def create_statement(parent, *, parts=(), age_days: int = 30, **fields):
    """A live statement below ``parent``, prepared ``age_days`` ago; ``parts``: (description,
    reason, alternative) of its non-accessible content."""
    fields.setdefault("title", "Erklärung zur Barrierefreiheit")
    fields.setdefault("slug", "barrierefreiheit")
    fields.setdefault("body_name", "Stadt Musterstadt")
    fields.setdefault("prepared_on", timezone.localdate() - datetime.timedelta(days=age_days))
    fields["non_accessible_parts"] = [
        NonAccessiblePart(
            description=description, reason=reason, alternative=alternative, sort_order=order
        )
        for order, (description, reason, alternative) in enumerate(parts)
    ]
    return add_page(parent, AccessibilityStatementPage, **fields)
