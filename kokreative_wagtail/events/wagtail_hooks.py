from wagtail import hooks

from ..hook_names import OFFER_PAGE_CONTEXT, REGISTER_BLOCKS
from ..queries import public_q, same_site_q
from .blocks import UpcomingEventsBlock
from .dashboard import construct_homepage_panels
from .models import EventPage


@hooks.register(REGISTER_BLOCKS)
def register_upcoming_events_block(registry):
    registry.register("upcoming_events", UpcomingEventsBlock())


@hooks.register(OFFER_PAGE_CONTEXT)
def add_event_series(page, request, context) -> None:
    """An offer page links to the event series that deliver it (``EventPage.related_offer``).

    Only events of the offer page's site: an event of another site may point at this offer too,
    and its link would lead visitors to that site's host.
    """

    events = EventPage.objects.live().filter(public_q(), related_offer=page)
    site_q = same_site_q(page, request)  # from the cached site root paths: no query
    if site_q is not None:
        events = events.filter(site_q)
    # what the page and its structured data read of each series, in a fixed number of queries
    events = events.select_related("locale", "registration_page").prefetch_related("overrides")
    context["event_series"] = list(events.order_by("start"))


@hooks.register("construct_homepage_panels")
def add_event_dashboard_panels(request, panels) -> None:
    """The next dates of the events the editor may edit, and the series in trouble."""

    construct_homepage_panels(request, panels)
