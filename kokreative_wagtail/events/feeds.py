"""Serving the calendar feeds: loading, the site's host, HTTP validators and a body cache.

``ical.py`` writes; this module decides when it has to. A feed's *version* is one aggregate
query over its events (how many, which, the newest publication and revision) plus the index
page's own fields, so it changes whenever publishing, unpublishing, deleting or restricting an
event, or changing the index, changes the file. The ETag is a hash of that version with the
host and the kind of file:

* ``If-None-Match`` naming it (weak comparison, RFC 9110 §13.1.2) answers 304 without loading
  a single event; it wins over ``If-Modified-Since``;
* otherwise the body is read from Django's cache under a key derived from the ETag, and built
  and stored only on a miss. Nothing is held in process memory: several app servers share
  the cache, and a new version simply gets a new key (old ones expire).

``Last-Modified`` is the time the current version's body was built, stored with it: removing
an event changes the file without a newer publication time, so the newest publication would
answer a stale 304 to a client sending only ``If-Modified-Since``.

A filtered feed (``feed_filters``) is versioned over its own events, with the normalised
filter in the version: each filter has its own ETag and cache entry, invalidated like the
unfiltered feed's.

A page behind a view restriction is served only to requests its restriction accepts (the view
404s the others); such a file is ``private`` and never read from or written to the cache.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from django.core.cache import caches
from django.db.models import Count, Max, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import content_disposition_header, http_date, parse_http_date_safe
from wagtail.models import Page, Site

from .. import __version__
from ..http_caching import etag_matches, not_modified, public_cache_control
from . import feed_filters, ical
from .feed_filters import FeedFilter
from .index_models import IndexedEvent

logger = logging.getLogger(__name__)

#: The cache holding the bodies (shared by all app servers).
CACHE_ALIAS = "default"
#: How long a body is kept; a changed feed gets a new key at once, so this only bounds memory.
CACHE_TIMEOUT = 24 * 60 * 60
CACHE_KEY_PREFIX = "kokreative:ical:"
#: Part of every ETag: a new release may write other bytes for the same pages.
FORMAT = f"ical/{__version__}/1"
#: ``Cache-Control`` of a file behind a view restriction: the browser's own, revalidated.
PRIVATE_CACHE_CONTROL = "private, no-cache"

FALLBACK_HOST = "kokreative"


def page_host(page: Page) -> str:
    """The host of the page's site (for UIDs), from Wagtail's cached site root paths."""
    url_path = getattr(page, "url_path", "") or ""
    for root in Site.get_site_root_paths():
        if url_path.startswith(root.root_path):
            return urlsplit(root.root_url).hostname or FALLBACK_HOST
    return FALLBACK_HOST


def _stamp(value) -> str:
    return value.isoformat() if value is not None else "-"


def _page_parts(page: Page) -> list[str]:
    """What of the page itself is in its file (name, place in the tree, language, times)."""
    return [
        str(page.pk),
        str(page.locale_id),
        page.title,
        page.url_path,
        _stamp(page.last_published_at),
        _stamp(page.latest_revision_created_at),
    ]


def feed_version(page: Page, events_queryset: QuerySet) -> str:
    """The version of an index page's feed: changes whenever its file would.

    One aggregate query over ``events_queryset`` (the feed's events, unsliced). Add further
    aggregates here when the file comes to depend on more.
    """
    # when the occurrence index last wrote each event: also a save without a publication (an
    # override saved on its own, a move, ``page.save()`` in code)
    indexed = IndexedEvent.objects.filter(page_id=OuterRef("pk")).values("indexed_at")[:1]
    values = (
        events_queryset.order_by()
        .annotate(indexed_at=Subquery(indexed))
        .aggregate(
            count=Count("pk"),
            pk_sum=Sum("pk"),
            published=Max("last_published_at"),
            revised=Max("latest_revision_created_at"),
            indexed=Max("indexed_at"),
        )
    )
    events = [
        str(values["count"]),
        str(values["pk_sum"] or 0),
        _stamp(values["published"]),
        _stamp(values["revised"]),
        _stamp(values["indexed"]),
    ]
    return "|".join(["feed", *_page_parts(page), *events])


def event_version(page: Page) -> str:
    """The version of one event's file: the page, and when the occurrence index last wrote it
    (one query: an override saved on its own changes the file without a publication)."""
    indexed = IndexedEvent.objects.filter(page_id=page.pk).values_list("indexed_at", flat=True)
    return "|".join(["event", *_page_parts(page), _stamp(indexed.first())])


def make_etag(version: str, host: str, kind: str) -> str:
    """A strong ETag of the file ``kind`` of ``version`` served on ``host``."""
    text = "\n".join([FORMAT, kind, host, version])
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def _if_modified_since(request: HttpRequest) -> int | None:
    return parse_http_date_safe(request.META.get("HTTP_IF_MODIFIED_SINCE", ""))


def calendar_response(
    request: HttpRequest,
    page: Page,
    *,
    kind: str,
    version: str,
    build: Callable[[], bytes],
) -> HttpResponse:
    """The file of ``page`` (``build()`` writes it), with validators, 304s and the body cache.

    ``page.is_public`` (set by the view) decides between the shared cache and a private file.
    """
    public = bool(getattr(page, "is_public", False))
    site = Site.find_for_request(request)
    root_url = site.root_url if site is not None else ""
    etag = make_etag(version, f"{page_host(page)} {root_url}", kind)

    headers = HttpResponse(content_type=ical.CONTENT_TYPE)
    headers["ETag"] = etag
    headers["Cache-Control"] = public_cache_control() if public else PRIVATE_CACHE_CONTROL
    if not public:
        patch_vary_headers(headers, ("Cookie",))

    if_none_match = request.META.get("HTTP_IF_NONE_MATCH", "")
    if if_none_match and etag_matches(if_none_match, etag):
        return not_modified(headers)

    cache = caches[CACHE_ALIAS]
    key = CACHE_KEY_PREFIX + etag.strip('"')
    entry = cache.get(key) if public else None
    if entry is None:
        body = build()
        last_modified = int(time.time())
        if public:
            cache.set(key, (last_modified, body), CACHE_TIMEOUT)
    else:
        last_modified, body = entry

    if public:
        headers["Last-Modified"] = http_date(last_modified)
        since = None if if_none_match else _if_modified_since(request)
        if since is not None and last_modified <= since:
            return not_modified(headers)

    response = HttpResponse(body, content_type=ical.CONTENT_TYPE)
    for name, value in headers.items():
        response[name] = value
    response["Content-Disposition"] = content_disposition_header(True, f"{page.slug}.ics")
    return response


def _url_of(request: HttpRequest) -> Callable[[Page], str | None]:
    # with the request, Wagtail keeps the site root paths on it: no cache read per event
    return lambda page: page.get_full_url(request)


def feed_response(
    request: HttpRequest, index: Page, feed_filter: FeedFilter | None = None
) -> HttpResponse:
    """``<event index>/feed.ics``: every live, public event below ``index`` that
    ``feed_filter`` (checked already, see ``views``) selects."""
    events = index.get_events()
    version_extra = []
    if feed_filter:
        events = feed_filters.apply(events, feed_filter, index.locale_id)
        version_extra = ["filter", feed_filter.query_string()]

    def build() -> bytes:
        # the feed needs no elements: one prefetch less than the listing; the overrides as
        # plain lists (a queryset per page costs time and objects the writer has no use for)
        # a row whose stored rule cannot be read loads as unreadable (``fields``); the writer
        # leaves it out with a warning
        overrides = Prefetch("overrides", to_attr=ical.PREFETCHED_OVERRIDES)
        pages = list(events.prefetch_related(None).prefetch_related(overrides))
        return ical.write_calendar(
            pages, index.title, host=page_host(index), url_of=_url_of(request)
        )

    version = "|".join([feed_version(index, events), *version_extra])
    return calendar_response(request, index, kind="feed", version=version, build=build)


def event_response(request: HttpRequest, event: Page) -> HttpResponse:
    """``<event>/event.ics``: one event or series."""

    def build() -> bytes:
        return ical.write_calendar(
            [event], event.title, host=page_host(event), url_of=_url_of(request)
        )

    return calendar_response(
        request, event, kind="event", version=event_version(event), build=build
    )
