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


def site_root_url_paths(site) -> set[str]:
    """URL paths of ``site``'s root page and of its translations.

    With i18n, a site's pages in other languages sit below translations of its root page, the
    root's siblings. The paths come from Wagtail's cached site root paths (no query).
    """
    from wagtail.models import Site

    roots = {rp.root_path for rp in Site.get_site_root_paths() if rp.site_id == site.pk}
    roots.add(site.root_page.url_path)
    return roots


def in_site(page, site) -> bool:
    """Whether ``page`` belongs to ``site`` in any of its languages."""
    return any(page.url_path.startswith(root) for root in site_root_url_paths(site))
