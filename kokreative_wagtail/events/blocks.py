"""The "upcoming events" block for any Kokreative page."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.models import Page
from wagtail.snippets.blocks import SnippetChooserBlock

from ..api_utils import active_language_code
from ..blocks.stream import page_of_context
from ..localization import i18n_enabled
from ..models import Element
from ..queries import public_q, same_site_q
from .models import EventPage
from .occurrence_index import OccurrenceWindow
from .serializers import occurrences_representation


class UpcomingEventsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=255)
    index = blocks.PageChooserBlock(
        page_type="kokreative_events.EventIndexPage",
        label=_("Only events of this event index"),
        required=False,
    )
    element = SnippetChooserBlock("kokreative_wagtail.Element", label=_("Element"), required=False)
    count = blocks.IntegerBlock(label=_("Number of dates"), default=3, min_value=1, max_value=20)

    def get_occurrences(self, value, page=None, request=None) -> list:
        """The next held occurrences of the events the block's settings select.

        Only events in the page's language (without a page, the active language): a page
        never mixes languages. Without an index chosen, only events of the page's site (else
        the request's site): the block must not list, and link to, another site's events. A
        chosen index is the editor's explicit choice; it is taken in the page's language where
        translated, its events (all in its language) as they are.
        """

        events = (
            EventPage.objects.live()
            .filter(public_q())
            .defer("body")
            .prefetch_related(
                "overrides",
                Prefetch("elements", queryset=Element.objects.select_related("locale")),
            )
        )
        locale_id = getattr(page, "locale_id", None) if page is not None else None
        index = value.get("index")
        if index is not None:
            # the index's events are in its language (the source's, where not translated)
            events = events.descendant_of(_localized_index(index, locale_id))
        else:
            site_q = same_site_q(page, request)
            if site_q is not None:
                events = events.filter(site_q)
            if locale_id is not None:
                events = events.filter(locale_id=locale_id)
            else:
                events = events.filter(locale__language_code__iexact=active_language_code())
        element = value.get("element")
        if element is not None:
            # any translation of the element: the events' elements are in their own language
            events = events.filter(elements__translation_key=element.translation_key)
        events = events.annotate(**_localized_offer())
        now = timezone.now()
        upcoming = OccurrenceWindow(events, now, now + timedelta(days=366), held_only=True)
        return upcoming.page(0, value.get("count") or 3, counted=False)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent = parent_context or {}
        context["occurrences"] = self.get_occurrences(
            value, parent.get("page"), parent.get("request")
        )
        return context

    def get_api_representation(self, value, context=None):
        """The occurrences in the shape of ``GET occurrences`` (``occurrence_representation``)."""

        request = (context or {}).get("request")
        page = page_of_context(context)
        occurrences = self.get_occurrences(value, page=page, request=request)
        return {
            "heading": value.get("heading") or "",
            "occurrences": occurrences_representation(occurrences, request),
        }

    class Meta:
        icon = "date"
        label = _("Upcoming events")
        template = "kokreative_wagtail/events/blocks/upcoming_events.html"


def _localized_index(index, locale_id: int | None):
    """The chosen event index in ``locale_id`` where translated (a query only when it is not)."""
    if locale_id is None or getattr(index, "locale_id", locale_id) == locale_id:
        return index

    if not i18n_enabled():
        return index
    return index.get_translation_or_none(locale_id) or index


def _localized_offer() -> dict:
    """``localized_offer_id``: the related offer in the event's language, inside the query."""

    if not i18n_enabled():
        return {}
    return {
        "localized_offer_id": Subquery(
            Page.objects.filter(
                translation_key=OuterRef("related_offer__translation_key"),
                locale_id=OuterRef("locale_id"),
            ).values("pk")[:1]
        )
    }
