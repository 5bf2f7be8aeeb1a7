"""``<event index>/feed.ics`` and ``<event>/event.ics``.

Wagtail's page URLs end in a slash and allow no dot, so these two names never reach a page's
``route()``. This view finds the page by its URL path below the site's root instead: one query
for the page (its restriction state included) rather than one per path segment, so a feed
runs in five queries at most whatever the number of events, and in three when its file is
unchanged (see ``feeds``). Only GET and HEAD are answered.
"""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_safe
from wagtail.models import Page, Site

from ..queries import public_q
from . import feeds
from .models import EventIndexPage, EventPage


def find_live_page(request, page_path: str, model: type[Page]) -> Page:
    """The live ``model`` page at ``page_path`` of the request's site, or 404.

    A page in a restricted section is served only to a request its restrictions accept (a
    password entered, a group member's session); calendar clients have neither, so they get
    a 404, as for a draft.
    """
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    root = site.root_page.localized
    page = (
        model.objects.live()
        .filter(url_path=root.url_path + page_path)
        .annotate(is_public=ExpressionWrapper(public_q(), output_field=BooleanField()))
        .first()
    )
    if page is None:
        raise Http404
    if page.specific_class is not type(page):  # a site's subclass: its own methods apply
        is_public = page.is_public
        page = page.specific
        page.is_public = is_public
    if not page.is_public:
        for restriction in page.get_view_restrictions():
            if not restriction.accept_request(request):
                raise Http404
    return page


@require_safe
def ical_view(request, page_path: str, name: str) -> HttpResponse:
    """The file ``name`` (``feed`` or ``event``) of the page at ``page_path``; see ``feeds``."""

    if name == "event":
        return feeds.event_response(request, find_live_page(request, page_path, EventPage))
    return feeds.feed_response(request, find_live_page(request, page_path, EventIndexPage))
