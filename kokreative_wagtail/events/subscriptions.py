"""Calendar subscriptions: the feed URLs of an event index (filtered), the "Subscribe to the
calendar" panel of the index and of element pages, and the index's ``feed_url`` API field.

The panel gives two forms of one address: ``webcal://`` (a link the operating system hands to
the calendar app, which subscribes) and ``https://`` (to copy into the apps that want a URL,
Google Calendar first). Both carry the filter in the feed's normalised form (``feed_filters``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.template.loader import render_to_string
from wagtail.models import Page

from ..public_urls import page_full_url
from ..queries import public_q
from ..serializers import PageValueField, request_of
from .feed_filters import FeedFilter

FEED_NAME = "feed.ics"
TEMPLATE = "kokreative_wagtail/events/includes/subscribe.html"


@dataclass(frozen=True)
class Subscription:
    """The two addresses of one (filtered) feed, for the panel."""

    https_url: str
    webcal_url: str
    filtered: bool


def feed_url(
    index: Page, request: HttpRequest | None, feed_filter: FeedFilter | None = None
) -> str | None:
    """The absolute URL of ``index``'s feed with ``feed_filter``; None for a page without URL."""
    url = page_full_url(index, request)
    if not url:
        return None
    url = url.rstrip("/") + "/" + FEED_NAME  # also where WAGTAIL_APPEND_SLASH is off
    query = feed_filter.query_string() if feed_filter else ""
    return f"{url}?{query}" if query else url


def subscription(
    index: Page, request: HttpRequest | None, feed_filter: FeedFilter | None = None
) -> Subscription | None:
    """The panel's addresses; None when the feed has no absolute http(s) URL."""
    url = feed_url(index, request, feed_filter)
    scheme, sep, rest = (url or "").partition("://")
    if not sep or scheme not in ("http", "https"):
        return None
    return Subscription(https_url=url, webcal_url=f"webcal://{rest}", filtered=bool(feed_filter))


def listing_subscription(index: Page, request: HttpRequest, data: dict) -> Subscription | None:
    """The index page's panel: its feed with the listing's valid filters (``cleaned_data``)."""
    feed_filter = FeedFilter.of(data.get("element") or (), data.get("offer") or ())
    return subscription(index, request, feed_filter)


def programme_event_index(page: Page) -> Page | None:
    """The event index of the programme an element page belongs to: the first live, public one
    in the page's language below the page's parent (shallowest first), in one query."""
    # from the registry: the abstract pages use this module (``FeedUrlField``)
    model = apps.get_model("kokreative_events", "EventIndexPage")
    parent_path = page.path[: -page.steplen]
    return (
        model.objects.live()
        .filter(public_q(), path__startswith=parent_path, depth__gt=page.depth - 1)
        .filter(locale_id=page.locale_id)
        .order_by("depth", "path")
        .first()
    )


def element_page_sections(page: Page, request: HttpRequest | None = None) -> str:
    """The element page's subscription panel (``CapabilityConfig.providers``): the programme's
    event feed filtered by the page's element; ``""`` without element or event index."""
    element = getattr(page, "element", None)
    if element is None or page.pk is None:
        return ""
    index = programme_event_index(page)
    if index is None:
        return ""
    found = subscription(index, request, FeedFilter.of(elements=[element.slug]))
    if found is None:
        return ""
    context = {"subscription": found, "element": element, "page": page}
    return render_to_string(TEMPLATE, context, request=request)


class FeedUrlField(PageValueField):
    """``feed_url`` of an event index in API v2: the absolute URL of its unfiltered feed;
    ``element``, ``offer``, ``audience`` and ``kind`` may be added (docs/events.md)."""

    def to_representation(self, page) -> Any:
        if page.pk is None:
            return None
        return feed_url(page, request_of(self))
