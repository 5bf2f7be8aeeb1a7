"""``GET occurrences``: the event occurrences of the requesting site in a bounded window."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import HttpResponse, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from wagtail.models import Page, Site

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
from ..models import Element
from ..queries import in_site_q, public_q
from ..schemas import ElementRefSchema, PageRefSchema
from . import occurrences
from .filters import EventFilterSet
from .models import EventIndexPage, EventPage
from .occurrence_index import Cursor, OccurrenceWindow, Position
from .serializers import (
    SharedEventData,
    event_shared,
    occurrence_json,
    occurrence_representation,
    shared_json,
    to_json,
)

__all__ = ["occurrence_representation", "router"]

router = Router(tags=["events"])

#: Window length when ``to`` is not given.
DEFAULT_WINDOW = timedelta(days=90)
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: ``+02:00`` sent unencoded in a query string arrives as `` 02:00``.
_LOST_PLUS = re.compile(r" (\d{2}(:?\d{2})?)$")


#: The event of an occurrence: a page reference.
EventRefSchema = PageRefSchema


class OccurrenceSchema(Schema):
    event: PageRefSchema
    start: DateTimeOut = Field(
        ...,
        description=f"Start; moved occurrences: the new start. {DATETIME_DESCRIPTION}",
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
        ...,
        description="All occurrences in the window (before ``offset``, ``cursor`` and ``limit``).",
    )
    next_cursor: str | None = Field(
        ...,
        description=(
            "Pass as ``cursor`` (with the same other parameters) for the occurrences after "
            "these; null after the last. Opaque."
        ),
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
            f"time zone. Years {occurrences.MIN_YEAR} to {occurrences.MAX_YEAR}. Default: now."
        ),
    )
    to: str | None = Field(
        None,
        max_length=40,
        description=(
            "Window end (exclusive), ISO 8601 date-time or date (a date includes that day). "
            f"Years {occurrences.MIN_YEAR} to {occurrences.MAX_YEAR}. Default: `from` + 90 days, "
            f"but not past {occurrences.MAX_YEAR}; at most {occurrences.MAX_WINDOW.days} days "
            "after `from`."
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
        DEFAULT_LIMIT,
        ge=1,
        le=MAX_LIMIT,
        description=f"Most occurrences returned (max {MAX_LIMIT}).",
    )
    offset: int = Field(
        0,
        ge=0,
        le=MAX_ID,
        description="Number of occurrences to skip (in start order).",
    )
    cursor: QueryText | None = Field(
        None,
        max_length=200,
        description=(
            "Continue after the occurrence a previous answer's ``next_cursor`` names (instead "
            "of ``offset``): no repeats and no gaps, however deep."
        ),
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
    if not occurrences.MIN_YEAR <= moment.year <= occurrences.MAX_YEAR:
        raise APIError(
            _("Invalid request."),
            {
                name: [
                    _("Give a date between %(first)s and %(last)s.")
                    % {
                        "first": f"{occurrences.MIN_YEAR:04d}-01-01",
                        "last": f"{occurrences.MAX_YEAR:04d}-12-31",
                    }
                ]
            },
        )
    if is_date and end:
        moment += timedelta(days=1)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=timezone.get_default_timezone())
    return moment


MAX_WINDOW_DAYS = occurrences.MAX_WINDOW.days


def window(filters: OccurrenceFilters) -> tuple[datetime, datetime]:
    """The window asked for, in UTC.

    Without ``to`` it is ``DEFAULT_WINDOW`` long but ends with ``MAX_YEAR`` at the latest (in
    the zone of ``from``), so a ``from`` in the last months of the range still answers.
    """
    start = parse_moment(filters.from_, "from") if filters.from_ else timezone.now()
    if filters.to:
        end = parse_moment(filters.to, "to", end=True)
    else:
        range_end = datetime(occurrences.MAX_YEAR + 1, 1, 1, tzinfo=start.tzinfo)
        end = min(start.astimezone(occurrences.UTC) + DEFAULT_WINDOW, range_end)
    # In UTC: aware datetimes sharing one zone compare and subtract as wall times.
    start, end = start.astimezone(occurrences.UTC), end.astimezone(occurrences.UTC)
    if end <= start:
        raise APIError(_("Invalid window."), {"to": [_("Must be after `from`.")]})
    if end - start > occurrences.MAX_WINDOW:
        raise APIError(
            _("Invalid window."),
            {"to": [_("At most %(days)d days after `from`.") % {"days": MAX_WINDOW_DAYS}]},
        )
    return start, end


def event_queryset(request, language_code: str) -> QuerySet:
    """Live, public events of the requesting site in one language, ordered by path, with what an
    occurrence shows prefetched (overrides, elements) and, where translations are on, the offer
    in the event's language annotated (``localized_offer_id``: no query of its own)."""

    queryset = (
        EventPage.objects.live()
        .filter(public_q(), locale__language_code__iexact=language_code)
        .defer("body")
        .prefetch_related(
            "overrides",
            Prefetch("elements", queryset=Element.objects.select_related("locale")),
        )
        .order_by("path")
    )
    if i18n_enabled():
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
        queryset = queryset.filter(in_site_q(site))
    return queryset


def filter_data(filters: OccurrenceFilters) -> QueryDict:
    """The validated parameters as the GET data the event index's FilterSet reads."""
    data = QueryDict(mutable=True)
    data.setlist("element", filters.element)
    data.setlist("offer", [str(pk) for pk in filters.offer])
    if filters.index is not None:
        data["index"] = str(filters.index)
    return data


def event_filterset(
    queryset: QuerySet, filters: OccurrenceFilters, language_code: str
) -> EventFilterSet:
    """The event FilterSet (``element``, ``offer``, ``index``) over ``queryset``; its ``qs`` is
    the filtered events. Values are taken unchecked, as conditions inside the one query;
    ``diagnose_filters`` finds afterwards the ones that named nothing."""
    filterset = EventFilterSet(filter_data(filters), queryset, language_code=language_code)
    if not filterset.is_valid():  # the schema checked the values already; defence in depth
        errors = {field: [str(m) for m in messages] for field, messages in filterset.errors.items()}
        raise APIError(_("Invalid filter."), errors)
    return filterset


def diagnose_filters(filterset: EventFilterSet, filters: OccurrenceFilters, events: list) -> None:
    """Raise the 400 naming what was wrong: an unknown locale, index or element.

    Runs queries only when something may be wrong (nothing found, or fewer elements known than
    slugs given), so a request that finds events pays nothing for the checks.
    """

    if not events and filters.locale:
        resolve_locale(filters.locale)  # 400 for an unknown locale
    if (
        filters.index is not None
        and not events
        and not EventIndexPage.objects.filter(pk=filters.index).exists()
    ):
        raise APIError(_("Invalid request."), {"index": [_("No event index page with this id.")]})
    unknown = filterset.unknown_elements(events)
    if unknown:
        raise APIError(
            _("Invalid filter."),
            {"element": [_("Unknown element %(slug)r.") % {"slug": s} for s in sorted(unknown)]},
        )


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
    position = parse_cursor(filters)
    language_code = filters.locale or active_language_code()
    filterset = event_filterset(event_queryset(request, language_code), filters, language_code)
    # --- occurrences: read from the stored index (or computed beyond its horizon) ---
    # the events' JSON from the cache where it is; not with element filters, whose diagnosis
    # reads an annotation of the loaded events
    shared = None if filters.element else SharedEventData(request, language_code)
    window_rows = OccurrenceWindow(
        filterset.qs,
        start,
        end,
        defer=("recurrence",),
        event_loader=shared.load if shared else None,
        text_times=True,  # written by ``occurrence_json`` as they come
    )
    limit = filters.limit
    if position is not None:
        items = window_rows.after(position.key, limit)
    else:
        items = window_rows.page(filters.offset, limit)
    more = items.more
    if position is None and filters.offset == 0 and not more:
        count = len(items)  # the whole window is on this page: no count query
    elif (
        position is not None
        and position.count is not None
        and (position.version == window_rows.version)
    ):
        count = position.count  # counted on the first page; the index has not changed since
    else:
        count = window_rows.count()
    # --- end of occurrences ---
    events = list({item.event.pk: item.event for item in items}.values())
    diagnose_filters(filterset, filters, events)
    fragments = shared.fragments if shared else {}
    loaded = shared.loaded if shared else events
    # Elements not in the events' language yet: their translations, one query for all.
    translations = (
        translations_in([e for ev in loaded for e in ev.elements.all()], loaded[0].locale_id)
        if loaded
        else {}
    )
    # Written here as text, not validated again by the schema: up to a thousand items per
    # request, and ``occurrence_json`` writes exactly ``OccurrenceSchema`` (held by the tests).
    written = []
    for item in items:
        fragment = fragments.get(item.event.pk)
        if fragment is None:
            fragment = shared_json(event_shared(item.event, request, translations))
            fragments[item.event.pk] = fragment
        written.append(occurrence_json(item, fragment))
    if shared:
        shared.store()
    next_cursor = Cursor.encode(items[-1], count, window_rows.version) if more else None
    body = f'{{"count":{count},"next_cursor":{to_json(next_cursor)},"items":[{",".join(written)}]}}'
    return HttpResponse(body, content_type="application/json")


def parse_cursor(filters: OccurrenceFilters) -> Position | None:
    """The position ``cursor`` names, or None; 400 for a cursor not made by us, or one given
    together with an ``offset``."""
    if not filters.cursor:
        return None
    if filters.offset:
        raise APIError(
            _("Invalid request."),
            {"cursor": [_("Give either `cursor` or `offset`, not both.")]},
        )
    try:
        return Cursor.decode(filters.cursor)
    except ValueError:
        raise APIError(
            _("Invalid request."),
            {"cursor": [_("Not a cursor of this API: pass `next_cursor` of an answer as it is.")]},
        ) from None
