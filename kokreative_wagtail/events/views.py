"""``<event index>/feed.ics`` and ``<event>/event.ics``.

Wagtail's page URLs end in a slash and allow no dot, so these two names never reach a page's
``route()``. This view finds the page by its URL path below the site's root instead: one query
for the page (its restriction state included) rather than one per path segment, so a feed
runs in five queries at most whatever the number of events, and in three when its file is
unchanged (see ``feeds``). Only GET and HEAD are answered.

The feed's filters (``feed_filters``) are read before the page is looked for and checked in
the page's own query; bad values answer 400 with the reasons as plain text (a calendar client
shows no HTML, a person pasting the address reads it as it is).
"""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_safe
from wagtail.models import Page, Site

from ..queries import public_q
from . import feed_filters, feeds
from .models import EventIndexPage, EventPage


def find_live_page(
    request, page_path: str, model: type[Page], annotations: dict | None = None
) -> Page:
    """The live ``model`` page at ``page_path`` of the request's site, or 404.

    ``annotations``: more values read in the same query (kept on the specific page).

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
        .annotate(**(annotations or {}))
        .first()
    )
    if page is None:
        raise Http404
    if page.specific_class is not type(page):  # a site's subclass: its own methods apply
        values = {name: getattr(page, name) for name in ["is_public", *(annotations or {})]}
        page = page.specific
        for name, value in values.items():
            setattr(page, name, value)
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
    try:
        feed_filter = feed_filters.parse(request.GET)
        annotations = feed_filters.known_annotations(feed_filter)
        index = find_live_page(request, page_path, EventIndexPage, annotations)
        feed_filters.check_known(index, feed_filter)
    except feed_filters.FeedFilterError as error:
        return bad_request(error)
    return feeds.feed_response(request, index, feed_filter)


def bad_request(error: feed_filters.FeedFilterError) -> HttpResponse:
    """400 with the reasons as plain text; never cached (the fix must show at once)."""
    response = HttpResponseBadRequest(
        error.as_text() + "\n", content_type="text/plain; charset=utf-8"
    )
    response["Cache-Control"] = "no-store"
    return response
