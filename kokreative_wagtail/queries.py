"""Query helpers every capability app uses."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.lookups import StartsWith


def public_q() -> Q:
    """Pages outside every restricted section, as one SQL condition.

    Wagtail's ``.public()`` first loads all view restrictions in a query of its own; this
    subquery does the same work inside the listing's query.
    """
    from wagtail.models import PageViewRestriction

    restricted = PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path")))
    return ~Q(Exists(restricted))
