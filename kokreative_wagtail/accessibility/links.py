"""Where the links of the header, the footer and a page's header lead: the site's Leichte Sprache
start page, its accessibility statement, and a page's Leichte Sprache companion.

These links appear on every page, so they cost no query once cached: the answers are kept in
Django's cache per site, language and page, under a generation that ``signals`` renews whenever
pages are published, unpublished, moved or deleted, or view restrictions and sites change.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.utils import translation
from wagtail.models import Page, Site

from ..queries import in_site_q, public_q, same_site_q

GENERATION_KEY = "kokreative_accessibility_links_generation"
TIMEOUT = 60 * 60
#: Request attribute memoizing the answers within one request.
MEMO_ATTRIBUTE = "_kokreative_accessibility_links"


@dataclass(frozen=True)
class Link:
    url: str
    page_id: int


def forget() -> None:
    """Start a new generation: every cached answer is stale from now on."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def _generation() -> str:
    return cache.get_or_set(GENERATION_KEY, lambda: uuid.uuid4().hex, None)


def _memo(request) -> dict:
    if request is None:
        return {}
    memo = getattr(request, MEMO_ATTRIBUTE, None)
    if memo is None:
        memo = {}
        setattr(request, MEMO_ATTRIBUTE, memo)
    return memo


def _cached(request, key: str, compute) -> Link | None:
    memo = _memo(request)
    if key in memo:
        return memo[key]
    cache_key = f"kokreative_accessibility:{_generation()}:{key}"
    found = cache.get(cache_key)
    if found is None:
        link = compute()
        found = (link.url, link.page_id) if link is not None else ()
        cache.set(cache_key, found, TIMEOUT)
    result = Link(*found) if found else None
    memo[key] = result
    return result


def _language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0].lower()


def _prefer_language(pages: list[Page]) -> Page | None:
    """The first page in the active language, else the first in the default one, else any."""
    if not pages:
        return None
    default = settings.LANGUAGE_CODE.split("-")[0].lower()
    for code in (_language(), default):
        for page in pages:
            if page.locale.language_code.split("-")[0].lower() == code:
                return page
    return pages[0]


def _link(page: Page | None, request) -> Link | None:
    if page is None:
        return None
    url = page.get_url(request=request)
    return Link(url, page.pk) if url else None


def _site_pages(model, site: Site, condition: Q | None = None) -> list[Page]:
    queryset = model.objects.live().filter(public_q(), in_site_q(site)).select_related("locale")
    if condition is not None:
        queryset = queryset.filter(condition)
    return list(queryset.order_by("path"))


def easy_language_model():
    return apps.get_model("kokreative_accessibility", "EasyLanguagePage")


def statement_model():
    return apps.get_model("kokreative_accessibility", "AccessibilityStatementPage")


def find_start_page(site: Site) -> Page | None:
    """The site's Leichte Sprache start page in the active language (else the default one).

    The page marked as start page; without one, the highest Leichte Sprache page that explains
    no other page (docs/leichte-sprache.md#the-start-page).
    """
    pages = _site_pages(
        easy_language_model(), site, Q(is_start_page=True) | Q(explains__isnull=True)
    )
    marked = [page for page in pages if page.is_start_page]
    if marked:
        return _prefer_language(marked)
    lowest_depth = min((page.depth for page in pages), default=0)
    return _prefer_language([page for page in pages if page.depth == lowest_depth])


def find_statement(site: Site) -> Page | None:
    """The site's accessibility statement in the active language (else the default one)."""
    return _prefer_language(_site_pages(statement_model(), site))


def find_companion(page: Page) -> Page | None:
    """The live, public Leichte Sprache page explaining ``page``, in its site and language."""
    condition = same_site_q(page=page)
    if condition is None:
        return None
    return (
        easy_language_model()
        .objects.live()
        .filter(public_q(), condition, explains_id=page.pk, locale_id=page.locale_id)
        .order_by("path")
        .first()
    )


def _site(request) -> Site | None:
    return Site.find_for_request(request) if request is not None else None


def start_page_link(request) -> Link | None:
    site = _site(request)
    if site is None:
        return None
    return _cached(
        request,
        f"start:{site.pk}:{_language()}",
        lambda: _link(find_start_page(site), request),
    )


def statement_link(request) -> Link | None:
    site = _site(request)
    if site is None:
        return None
    return _cached(
        request,
        f"statement:{site.pk}:{_language()}",
        lambda: _link(find_statement(site), request),
    )


def companion_link(page, request) -> Link | None:
    if not isinstance(page, Page) or not page.pk or page.locale_id is None:
        return None
    if isinstance(page, easy_language_model()):
        return None  # a Leichte Sprache page explains; it is not explained
    site = _site(request)
    return _cached(
        request,
        f"companion:{site.pk if site else 0}:{page.pk}",
        lambda: _link(find_companion(page), request),
    )
