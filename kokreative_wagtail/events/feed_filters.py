"""The filters of ``<event index>/feed.ics``: ``element``, ``offer``, ``audience``, ``kind``.

``element`` and ``offer`` are the event listing's filters and filter alike (the same filter
classes, see ``filters``): a subscription built from the listing holds the listing's events.
``audience`` and ``kind`` are properties of the offer an event delivers; the offers app
answers them (its ``offer_facets`` provider), so without it they are an error, never ignored.
Each parameter is repeatable: any of its values (OR), all parameters together (AND).

A calendar subscription lives for years and is never looked at again, so a value that names
nothing is an error (400 with the reason), not an empty calendar: a typo shows at once, and a
deleted element does not leave a calendar that silently stays empty. Only what the listing
cannot know is lenient: an offer with no events (now) gives an empty calendar. Other
parameters (the listing's ``view``, ``month`` …) are ignored, as the listing ignores unknown
ones. The values are checked in the query that finds the page (``known_annotations``): a
filtered feed runs no more queries than the unfiltered one.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.db.models import F, Func, OuterRef, QuerySet, Subquery
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from .. import capabilities
from ..api_utils import MAX_ID
from ..models import Element
from .filters import EventFilterSet, ValueListField

#: The provider of the offers app the audience and kind filters need.
OFFER_FACETS = "offer_facets"
#: More values of one parameter are refused: a subscription names a few topics.
MAX_VALUES = 20
#: The annotations ``known_annotations`` puts on the page: how many values name something.
KNOWN = {
    "element": "feed_known_elements",
    "offer": "feed_known_offers",
    "audience": "feed_known_audiences",
}


class FeedFilterError(ValueError):
    """Filter values the feed refuses: ``errors`` maps a parameter to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors

    def as_text(self) -> str:
        """The errors as plain text, one line per parameter (the body of the 400)."""
        return "\n".join(f"{name}: {' '.join(messages)}" for name, messages in self.errors.items())


class FeedFilterForm(forms.Form):
    """The feed's parameters, each a list of values (``ValueListField``); empties dropped."""

    # an empty value (a select's "all") names nothing and is dropped in ``clean``
    element = ValueListField(
        item=forms.CharField(max_length=255, required=False), required=False, label=_("Element")
    )
    offer = ValueListField(
        item=forms.IntegerField(min_value=1, max_value=MAX_ID, required=False),
        required=False,
        label=_("Offer"),
    )
    audience = ValueListField(
        item=forms.CharField(max_length=255, required=False), required=False, label=_("Audience")
    )
    kind = ValueListField(
        item=forms.CharField(max_length=50, required=False), required=False, label=_("Kind")
    )

    def clean(self) -> dict:
        data = super().clean()
        for name in self.fields:
            values = [v for v in data.get(name) or [] if v not in ("", None)]
            if len(values) > MAX_VALUES:
                self.add_error(
                    name,
                    forms.ValidationError(
                        _("Give at most %(count)d values."),
                        code="too_many",
                        params={"count": MAX_VALUES},
                    ),
                )
            data[name] = values
        if data.get("audience") or data.get("kind"):
            facets = capabilities.provider(OFFER_FACETS)
            if facets is None:
                for name in ("audience", "kind"):
                    if data.get(name):
                        self.add_error(name, _("This site does not filter by offers."))
            else:
                kinds = set(facets.kinds())
                unknown = [kind for kind in data.get("kind") or [] if kind not in kinds]
                if unknown:
                    self.add_error(
                        "kind",
                        forms.ValidationError(
                            _("Unknown kind: %(value)s."),
                            code="unknown",
                            params={"value": unknown[0]},
                        ),
                    )
        return data


@dataclass(frozen=True)
class FeedFilter:
    """The filter values of one feed, normalised: sorted, without repeats or empties."""

    elements: tuple[str, ...] = ()
    offers: tuple[int, ...] = ()
    audiences: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    @classmethod
    def of(cls, elements=(), offers=(), audiences=(), kinds=()) -> FeedFilter:
        return cls(
            tuple(sorted(set(elements))),
            tuple(sorted(set(offers))),
            tuple(sorted(set(audiences))),
            tuple(sorted(set(kinds))),
        )

    def __bool__(self) -> bool:
        return bool(self.elements or self.offers or self.audiences or self.kinds)

    def items(self) -> list[tuple[str, str]]:
        """``(parameter, value)`` pairs in a fixed order: one filter, one query string."""
        return [
            *(("element", slug) for slug in self.elements),
            *(("offer", str(pk)) for pk in self.offers),
            *(("audience", slug) for slug in self.audiences),
            *(("kind", kind) for kind in self.kinds),
        ]

    def query_string(self) -> str:
        """The normalised query string (``""`` without filters): URLs, ETag and cache key."""
        return urlencode(self.items())


def parse(query: QueryDict) -> FeedFilter:
    """The filter of a feed request's GET parameters; ``FeedFilterError`` for bad values."""
    form = FeedFilterForm(query)
    if not form.is_valid():
        raise FeedFilterError({name: list(errors) for name, errors in form.errors.items()})
    data = form.cleaned_data
    return FeedFilter.of(data["element"], data["offer"], data["audience"], data["kind"])


def _count(queryset: QuerySet) -> Subquery:
    """``SELECT COUNT(*)`` of ``queryset`` as a scalar subquery (no GROUP BY of the outer query)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted[:1])


def known_annotations(feed_filter: FeedFilter) -> dict[str, Subquery]:
    """Annotations for the index page's own query: how many of the given values name an
    element or audience of the page's language, or a live page (an offer in any language)."""
    annotations = {}
    if feed_filter.elements:
        elements = Element.objects.filter(
            locale_id=OuterRef("locale_id"), slug__in=feed_filter.elements
        )
        annotations[KNOWN["element"]] = _count(elements)
    if feed_filter.offers:
        annotations[KNOWN["offer"]] = _count(Page.objects.live().filter(pk__in=feed_filter.offers))
    if feed_filter.audiences:
        audiences = capabilities.provider(OFFER_FACETS).audiences()
        named = audiences.filter(locale_id=OuterRef("locale_id"), slug__in=feed_filter.audiences)
        annotations[KNOWN["audience"]] = _count(named)
    return annotations


def check_known(page: Page, feed_filter: FeedFilter) -> None:
    """``FeedFilterError`` when a value names nothing (read from ``known_annotations``)."""
    messages = {
        "element": (feed_filter.elements, gettext("Unknown element.")),
        "offer": (feed_filter.offers, gettext("Unknown offer.")),
        "audience": (feed_filter.audiences, gettext("Unknown audience.")),
    }
    errors = {}
    for name, (values, message) in messages.items():
        if values and (getattr(page, KNOWN[name], 0) or 0) < len(values):
            errors[name] = [message]
    if errors:
        raise FeedFilterError(errors)


def apply(events: QuerySet, feed_filter: FeedFilter, locale_id: int) -> QuerySet:
    """``events`` narrowed by ``feed_filter``: conditions inside the query, no query of its own.

    Element and offer through the listing's filter classes (``EventFilterSet``), so the feed
    holds the listing's events; audience and kind through the events' offers: an event whose
    offer (any of its translations) has any of the kinds and any of the audiences.
    """
    if not feed_filter:
        return events
    # choices given (empty): the values were checked; no "known" annotation on every row
    filters = EventFilterSet(queryset=events, locale=locale_id, elements=(), offers=()).filters
    if feed_filter.elements:
        events = filters["element"].filter(events, list(feed_filter.elements))
    if feed_filter.offers:
        events = filters["offer"].filter(events, list(feed_filter.offers))
    if feed_filter.audiences or feed_filter.kinds:
        facets = capabilities.provider(OFFER_FACETS)
        audience_keys = None
        if feed_filter.audiences:
            audience_keys = (
                facets.audiences()
                .filter(locale_id=locale_id, slug__in=feed_filter.audiences)
                .values("translation_key")
            )
        offers = facets.offers(audience_keys=audience_keys, kinds=list(feed_filter.kinds))
        events = events.filter(related_offer__translation_key__in=offers.values("translation_key"))
    return events
