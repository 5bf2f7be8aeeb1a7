from django.urls import path
from django.views.i18n import JavaScriptCatalog
from wagtail import hooks

from .blocks import UpcomingEventsBlock
from .widgets import JS_CATALOG_URL_NAME


@hooks.register("register_admin_urls")
def register_recurrence_catalog():
    """django-recurrence's German labels: the catalogue its widget looks for no longer exists."""
    return [
        path(
            "kokreative/recurrence-jsi18n/",
            JavaScriptCatalog.as_view(packages=["recurrence"]),
            name=JS_CATALOG_URL_NAME,
        )
    ]


@hooks.register("register_kokreative_blocks")
def register_upcoming_events_block(registry):
    registry.register("upcoming_events", UpcomingEventsBlock())


@hooks.register("kokreative_offer_page_context")
def add_event_series(page, request, context):
    """An offer page links to the event series that deliver it (``EventPage.related_offer``)."""
    from ..queries import public_q
    from .models import EventPage

    context["event_series"] = list(
        EventPage.objects.live().filter(public_q(), related_offer=page).order_by("start")
    )
