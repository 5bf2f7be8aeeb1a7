"""Query helpers every capability app uses."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Q
from django.db.models.lookups import StartsWith
from wagtail.models import PageViewRestriction, Site


def public_q() -> Q:
    """Pages outside every restricted section, as one SQL condition.

    Wagtail's ``.public()`` first loads all view restrictions in a query of its own; this
    subquery does the same work inside the listing's query.
    """

    restricted = PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path")))
    return ~Q(Exists(restricted))


def site_root_url_paths(site) -> set[str]:
    """URL paths of ``site``'s root page and of its translations.

    With i18n, a site's pages in other languages sit below translations of its root page, the
    root's siblings. The paths come from Wagtail's cached site root paths (no query).
    """

    roots = {rp.root_path for rp in Site.get_site_root_paths() if rp.site_id == site.pk}
    roots.add(site.root_page.url_path)
    return roots


def nested_site_root_paths(site_id: int, roots: set[str], root_paths=None) -> set[str]:
    """Root paths of other sites that lie inside ``roots``: their pages are not this site's.

    Wagtail gives a page to the most specific site whose root is above it; a site whose root is
    below another site's root takes that subtree away from the outer site. ``root_paths``:
    Wagtail's site root paths when the caller has them already (one cache read less).
    """

    if root_paths is None:
        root_paths = Site.get_site_root_paths()
    return {
        rp.root_path
        for rp in root_paths
        if rp.site_id != site_id
        and rp.root_path not in roots
        and any(rp.root_path.startswith(root) for root in roots)
    }


def _paths_q(roots: set[str], nested: set[str]) -> Q:
    condition = Q(pk__in=[])  # no root: no page
    for root in sorted(roots):
        condition |= Q(url_path__startswith=root)
    for root in sorted(nested):
        condition &= ~Q(url_path__startswith=root)
    return condition


def in_site_q(site) -> Q:
    """Pages of ``site`` in every language: below its root page or a translation of it.

    Wagtail's ``in_site`` covers the default-language root only; with i18n the translated roots
    are its siblings. Subtrees of other sites nested inside are left out. The paths come from
    Wagtail's cached site root paths (no query).
    """
    roots = site_root_url_paths(site)
    return _paths_q(roots, nested_site_root_paths(site.pk, roots))


def site_id_of(page, root_paths=None) -> int | None:
    """The id of the site ``page`` belongs to, or ``None`` for a page outside every site.

    Like ``page.get_site()`` (the most specific site root above the page), but from Wagtail's
    cached site root paths alone: no query, where ``get_site()`` loads the site.
    """

    if root_paths is None:
        root_paths = Site.get_site_root_paths()
    url_path = getattr(page, "url_path", None) or ""
    matches = [rp for rp in root_paths if url_path.startswith(rp.root_path)]
    if not matches:
        return None
    return max(matches, key=lambda rp: len(rp.root_path)).site_id


def same_site_q(page=None, request=None) -> Q | None:
    """Pages of the site ``page`` belongs to (every language), else of the request's site.

    Relation queries of a page (the offer's dates, a block's events) use it so that nothing of
    another site, with links to its host, shows up on the page. The page's site costs no query.
    ``None`` only when neither gives a site (a page outside every site, no request).
    """

    if page is not None:
        root_paths = Site.get_site_root_paths()
        site_id = site_id_of(page, root_paths)
        if site_id is not None:
            roots = {rp.root_path for rp in root_paths if rp.site_id == site_id}
            return _paths_q(roots, nested_site_root_paths(site_id, roots, root_paths))
    site = Site.find_for_request(request) if request is not None else None
    return in_site_q(site) if site is not None else None


def in_site(page, site) -> bool:
    """Whether ``page`` belongs to ``site`` in any of its languages (not to a site nested in it)."""
    roots = site_root_url_paths(site)
    if not any(page.url_path.startswith(root) for root in roots):
        return False
    return not any(page.url_path.startswith(r) for r in nested_site_root_paths(site.pk, roots))
