"""``GET occurrences``: the event occurrences of the requesting site in a bounded window."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, F, Func, OuterRef, Prefetch, Subquery
from django.db.models.lookups import StartsWith
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from wagtail.models import Site

from ..api_utils import (
    DATETIME_DESCRIPTION,
    MAX_ID,
    APIError,
    DateTimeOut,
    ErrorSchema,
    ObjectId,
    QueryText,
    active_language_code,
    check_query_parameters,
    resolve_locale,
)
from ..localization import i18n_enabled, translations_in
from ..queries import public_q
from ..schemas import ElementRefSchema, PageRefSchema
from . import occurrences as occ
from .serializers import occurrence_representation
from .series import may_occur_in, occurrences_of

__all__ = ["router", "occurrence_representation"]

router = Router(tags=["events"])

#: Window length when ``to`` is not given.
DEFAULT_WINDOW = timedelta(days=90)
DEFAULT_LIMIT = 100
MAX_LIMIT = 500

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: ``+02:00`` sent unencoded in a query string arrives as `` 02:00``.
_LOST_PLUS = re.compile(r" (\d{2}(:?\d{2})?)$")


#: The event of an occurrence: a page reference.
EventRefSchema = PageRefSchema


class OccurrenceSchema(Schema):
    event: PageRefSchema
    start: DateTimeOut = Field(
        ..., description=f"Start; moved occurrences: the new start. {DATETIME_DESCRIPTION}"
    )
    end: DateTimeOut
    original_start: DateTimeOut = Field(
        ..., description=f"The start the series gave it. {DATETIME_DESCRIPTION}"
    )
    time_zone: str = Field(..., description="The event's zone (IANA name), for local display.")
    all_day: bool
    cancelled: bool = Field(..., description="Cancelled occurrences are listed (struck through).")
    moved: bool
    note: str
    location_name: str
    location_address: str
    elements: list[ElementRefSchema]
    offer_id: int | None = Field(..., description="Id of the offer page the event delivers.")


class OccurrenceListSchema(Schema):
    count: int = Field(
        ..., description="All occurrences in the window (before ``offset`` and ``limit``)."
    )
    items: list[OccurrenceSchema]


class OccurrenceFilters(Schema):
    from_: str | None = Field(
        None,
        alias="from",
        max_length=40,
        description=(
            "Window start, ISO 8601 date-time (`2026-03-05T16:30:00+01:00`, `…Z`) or date "
            "(`2026-03-05`, the start of that day); without an offset it is read in the site's "
            f"time zone. Years {occ.MIN_YEAR} to {occ.MAX_YEAR}. Default: now."
        ),
    )
    to: str | None = Field(
        None,
        max_length=40,
        description=(
            "Window end (exclusive), ISO 8601 date-time or date (a date includes that day). "
            f"Years {occ.MIN_YEAR} to {occ.MAX_YEAR}. Default: `from` + 90 days, but not past "
            f"{occ.MAX_YEAR}; at most {occ.MAX_WINDOW.days} days after `from`."
        ),
    )
    element: list[QueryText] = Field([], description="Element slugs (repeatable; any of them).")
    offer: list[ObjectId] = Field([], description="Offer page ids (repeatable; any of them).")
    index: ObjectId | None = Field(
        None, description="Only events below this event index page (id)."
    )
    locale: QueryText | None = Field(
        None, max_length=20, description="Language code; default: active."
    )
    limit: int = Field(
        DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Most occurrences returned (max 500)."
    )
    offset: int = Field(
        0, ge=0, le=MAX_ID, description="Number of occurrences to skip (in start order)."
    )


def parse_moment(value: str, name: str, *, end: bool = False) -> datetime:
    """An ISO 8601 date-time or date as an aware datetime in the zone it was given in (its
    offset; the site's zone without one).

    A date means the start of that day, or for a window end (``end=True``) the end of it. Only
    the years ``MIN_YEAR``..``MAX_YEAR`` as written are taken: no event date lies outside them,
    and near the ends of ``datetime``'s range the window arithmetic would overflow (a 500).
    """
    value = _LOST_PLUS.sub(r"+\1", value.strip())
    is_date = bool(_DATE.match(value))
    try:
        if is_date:
            moment = datetime.combine(date.fromisoformat(value), time.min)
        else:
            # Python 3.10's fromisoformat knows no "Z"; it means UTC.
            if value[-1:] in ("Z", "z"):
                value = value[:-1] + "+00:00"
            moment = datetime.fromisoformat(value)
    except (ValueError, OverflowError):
        raise APIError(
            _("Invalid request."),
            {name: [_("Give an ISO 8601 date-time or date, e.g. 2026-03-05T16:30:00+01:00.")]},
        ) from None
    if not occ.MIN_YEAR <= moment.year <= occ.MAX_YEAR:
        raise APIError(
            _("Invalid request."),
            {
                name: [
                    _("Give a date between %(first)s and %(last)s.")
                    % {"first": f"{occ.MIN_YEAR:04d}-01-01", "last": f"{occ.MAX_YEAR:04d}-12-31"}
                ]
            },
        )
    if is_date and end:
        moment += timedelta(days=1)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=timezone.get_default_timezone())
    return moment


def window(filters: OccurrenceFilters) -> tuple[datetime, datetime]:
    """The window asked for, in UTC.

    Without ``to`` it is ``DEFAULT_WINDOW`` long but ends with ``MAX_YEAR`` at the latest (in
    the zone of ``from``), so a ``from`` in the last months of the range still answers.
    """
    start = parse_moment(filters.from_, "from") if filters.from_ else timezone.now()
    if filters.to:
        end = parse_moment(filters.to, "to", end=True)
    else:
        range_end = datetime(occ.MAX_YEAR + 1, 1, 1, tzinfo=start.tzinfo)
        end = min(start.astimezone(occ.UTC) + DEFAULT_WINDOW, range_end)
    # In UTC: aware datetimes sharing one zone compare and subtract as wall times.
    start, end = start.astimezone(occ.UTC), end.astimezone(occ.UTC)
    if end <= start:
        raise APIError(_("Invalid window."), {"to": [_("Must be after `from`.")]})
    if end - start > occ.MAX_WINDOW:
        raise APIError(
            _("Invalid window."),
            {"to": [_("At most %(days)d days after `from`.") % {"days": occ.MAX_WINDOW.days}]},
        )
    return start, end


def get_events(
    request, filters: OccurrenceFilters, language_code: str, window: tuple | None = None
) -> list:
    """Live, public events of the requesting site in one language, filtered, with overrides.

    The index and the element slugs are checked inside the listing query (no queries of their
    own); only when something is wrong do extra queries find what to report.
    """
    from wagtail.models import Page

    from ..models import Element
    from .models import EventIndexPage, EventPage

    queryset = (
        EventPage.objects.live()
        .filter(public_q(), locale__language_code__iexact=language_code)
        .defer("body")
        .prefetch_related(
            "overrides", Prefetch("elements", queryset=Element.objects.select_related("locale"))
        )
        .order_by("path")
    )
    if i18n_enabled():
        # The offer in the event's language, where translated (no query of its own).
        queryset = queryset.annotate(
            localized_offer_id=Subquery(
                Page.objects.filter(
                    translation_key=OuterRef("related_offer__translation_key"),
                    locale_id=OuterRef("locale_id"),
                ).values("pk")[:1]
            )
        )
    site = Site.find_for_request(request)
    if site is not None:
        from ..offers.queries import in_site_q

        queryset = queryset.filter(in_site_q(site))
    if filters.index is not None:
        below_index = EventIndexPage.objects.filter(
            StartsWith(OuterRef("path"), F("path")), pk=filters.index, depth__lt=OuterRef("depth")
        )
        queryset = queryset.filter(Exists(below_index))
    slugs = sorted(set(filters.element))
    if slugs:
        known = Element.objects.filter(slug__in=slugs, locale__language_code__iexact=language_code)
        # by translation key: events whose elements are still the source language's match too
        queryset = queryset.filter(
            pk__in=EventPage.objects.filter(
                elements__translation_key__in=known.values("translation_key")
            ).values("pk")
        ).annotate(
            known_elements=Subquery(
                known.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1]
            )
        )
    if filters.offer:
        # any translation of the offer: an event links to it in whatever language it was made
        queryset = queryset.filter(
            related_offer__translation_key__in=Page.objects.filter(pk__in=filters.offer).values(
                "translation_key"
            )
        )
    if window is not None:
        queryset = queryset.filter(may_occur_in(*window))

    events = list(queryset)
    if not events and filters.locale:
        resolve_locale(filters.locale)  # 400 for an unknown locale
    if (
        filters.index is not None
        and not events
        and not EventIndexPage.objects.filter(pk=filters.index).exists()
    ):
        raise APIError(_("Invalid request."), {"index": [_("No event index page with this id.")]})
    if slugs and (not events or events[0].known_elements < len(slugs)):
        found = set(
            Element.objects.filter(
                slug__in=slugs, locale__language_code__iexact=language_code
            ).values_list("slug", flat=True)
        )
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            raise APIError(
                _("Invalid filter."),
                {"element": [_("Unknown element %(slug)r.") % {"slug": s} for s in unknown]},
            )
    return events


@router.get(
    "/occurrences",
    response={200: OccurrenceListSchema, 400: ErrorSchema},
    summary="List event occurrences in a time window",
    operation_id="list_occurrences",
)
def list_occurrences(request, filters: Query[OccurrenceFilters]):
    """Occurrences of the live, public events of the requesting site in one language.

    Series are expanded in the event's local time (16:30 stays 16:30 across daylight-saving
    changes); overrides are applied: a moved occurrence appears once, at its new time, and
    cancelled occurrences are included with ``cancelled: true``. Sorted by start; ``count`` is
    the number in the whole window, ``offset`` and ``limit`` page through it. Invalid values
    answer 400 with the offending parameter in ``errors``.
    """
    check_query_parameters(request, OccurrenceFilters)
    start, end = window(filters)
    language_code = filters.locale or active_language_code()
    events = get_events(request, filters, language_code, window=(start, end))
    items = occurrences_of(events, start, end)
    cache: dict = {}
    # Elements not in the events' language yet: their translations, one query for all.
    translations = (
        translations_in([e for ev in events for e in ev.elements.all()], events[0].locale_id)
        if events
        else {}
    )
    return {
        "count": len(items),
        "items": [
            occurrence_representation(i, request, cache, translations)
            for i in items[filters.offset : filters.offset + filters.limit]
        ],
    }
