"""``<event index>/feed.ics`` and ``<event>/event.ics``.

Wagtail's page URLs end in a slash and allow no dot, so these two names never reach a page's
``route()``; this view resolves the page part of the path through Wagtail's own routing instead.
"""

from __future__ import annotations

from django.http import Http404
from wagtail.models import Page


def ical_view(request, page_path: str, name: str):
    from .ical import ical_response
    from .models import EventIndexPage, EventPage

    route = Page.route_for_request(request, "/" + page_path)
    page = route[0] if route else None
    if not isinstance(page, Page) or not page.live:
        raise Http404
    page = page.specific
    for restriction in page.get_view_restrictions():
        if not restriction.accept_request(request):
            raise Http404
    if name == "event" and isinstance(page, EventPage):
        return ical_response([page], filename=f"{page.slug}.ics", name=page.title)
    if name == "feed" and isinstance(page, EventIndexPage):
        # the feed needs no elements: one prefetch less than the listing
        events = page.get_events().prefetch_related(None).prefetch_related("overrides")
        return ical_response(events, filename=f"{page.slug}.ics", name=page.title)
    raise Http404
