"""The "upcoming events" block for any Kokreative page."""

from __future__ import annotations

import itertools
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock


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

        Without an index chosen, only events of the page's site (else the request's site): the
        block must not list, and link to, another site's events. A chosen index is the editor's
        explicit choice and is taken as it is.
        """
        from ..queries import public_q, same_site_q
        from .models import EventPage
        from .series import iter_occurrences_of

        events = EventPage.objects.live().filter(public_q()).prefetch_related("overrides")
        index = value.get("index")
        if index is not None:
            events = events.descendant_of(index)
        else:
            site_q = same_site_q(page, request)
            if site_q is not None:
                events = events.filter(site_q)
            if page is not None and getattr(page, "locale_id", None):
                events = events.filter(locale_id=page.locale_id)
        if value.get("element") is not None:
            events = events.filter(elements=value["element"])
        now = timezone.now()
        upcoming = iter_occurrences_of(events, now, now + timedelta(days=366))
        held = (o for o in upcoming if not o.cancelled)
        return list(itertools.islice(held, value.get("count") or 3))

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parent = parent_context or {}
        context["occurrences"] = self.get_occurrences(
            value, parent.get("page"), parent.get("request")
        )
        return context

    def get_api_representation(self, value, context=None):
        request = (context or {}).get("request")
        return {
            "heading": value.get("heading") or "",
            "occurrences": [
                {
                    "event": {
                        "id": o.event.pk,
                        "title": o.event.title,
                        "url": o.event.get_url(request),
                    },
                    "start": o.start.isoformat(),
                    "end": o.end.isoformat(),
                    "time_zone": o.event.time_zone,
                    "all_day": o.all_day,
                    "moved": o.moved,
                    "original_start": o.original_start.isoformat(),
                    "note": o.note,
                }
                for o in self.get_occurrences(value, request=request)
            ],
        }

    class Meta:
        icon = "date"
        label = _("Upcoming events")
        template = "kokreative_wagtail/events/blocks/upcoming_events.html"
