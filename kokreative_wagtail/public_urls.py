"""Absolute URLs as the visitor's front end needs them: from the request, or a configured base.

The Site record's host and port are what an editor typed once (often ``localhost:80``); a front
end on another origin, or a site behind a proxy, needs the host that answered or the public
address the site is known under (``KOKREATIVE["PUBLIC_BASE_URL"]``).
"""

from __future__ import annotations

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest

from .conf import get_setting


def base_url(request: HttpRequest | None) -> str | None:
    """``scheme://host[:port]`` of absolute URLs: the configured public base, else the request's."""
    configured = get_setting("PUBLIC_BASE_URL")
    if configured:
        return str(configured).rstrip("/")
    if request is None:
        return None
    try:
        return f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:  # Django answers such a request with a 400 anyway
        return None


def absolute(request: HttpRequest | None, url: str | None) -> str | None:
    """``url`` made absolute: a path gets the base URL; an absolute URL is kept as it is."""
    if not url or not url.startswith("/") or url.startswith("//"):
        return url or None
    base = base_url(request)
    return f"{base}{url}" if base else url


def page_url(page, request: HttpRequest | None) -> str | None:
    """The page's URL, relative where it belongs to the requesting site (Wagtail's rule)."""
    return page.get_url(request)


def page_full_url(page, request: HttpRequest | None, url: str | None = None) -> str | None:
    """The page's absolute URL: a page of the requesting site on the host that answered (or the
    public base URL); a page of another site on that site's own root URL. ``url``: the page's
    ``page_url`` when the caller has it already (it saves resolving it again)."""
    if request is None and not get_setting("PUBLIC_BASE_URL"):
        return page.get_full_url()
    return absolute(request, url if url is not None else page.get_url(request))
