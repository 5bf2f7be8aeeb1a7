"""The event index's list and month views: GET parameters in, occurrences out."""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from django import forms
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, Site

from .. import __version__
from ..conf import get_setting
from ..models import Element
from . import occurrence_index
from .filters import EventFilterSet
from .occurrence_index import Cursor, OccurrenceWindow
from .occurrences import MAX_YEAR, MIN_YEAR
from .subscriptions import listing_subscription

#: The months the month view shows: the documented year range of event dates.
FIRST_MONTH = f"{MIN_YEAR:04d}-01"
LAST_MONTH = f"{MAX_YEAR:04d}-12"


class EventViewForm(forms.Form):
    """The listing's own parameters: ``view``, ``month`` (YYYY-MM), ``past``.

    The form of ``EventListingFilterSet`` extends it with the filters ``element`` and ``offer``.
    """

    view = forms.ChoiceField(
        label=_("View"),
        choices=[("list", _("List")), ("month", _("Month"))],
        required=False,
    )
    month = forms.RegexField(
        label=_("Month"),
        # ASCII digits only: ``\d`` would also take Arabic-Indic and other Unicode digits.
        regex=r"^[0-9]{4}-(0[1-9]|1[0-2])$",
        required=False,
        error_messages={"invalid": _("Give the month as YYYY-MM, e.g. 2026-09.")},
    )
    past = forms.BooleanField(label=_("Past events"), required=False)
    day = forms.DateField(
        label=_("Day"),
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": _("Give the day as YYYY-MM-DD, e.g. 2026-09-17.")},
    )
    after = forms.CharField(label=_("Continue after"), required=False, max_length=200)

    def clean_day(self) -> date | None:
        day = self.cleaned_data.get("day")
        if day and not MIN_YEAR <= day.year <= MAX_YEAR:
            raise forms.ValidationError(
                _("Give a day between %(first)s and %(last)s."),
                code="out_of_range",
                params={"first": f"{MIN_YEAR:04d}-01-01", "last": f"{MAX_YEAR:04d}-12-31"},
            )
        return day

    def clean_after(self):
        """The position to continue the list after (a link's cursor), or None."""
        value = self.cleaned_data.get("after")
        if not value:
            return None
        try:
            return Cursor.decode(value)
        except ValueError:
            raise forms.ValidationError(
                _("This link to further dates is not valid; the list starts at the beginning."),
                code="invalid_cursor",
            ) from None

    def clean_month(self) -> str:
        """Only months in the year range: a month beyond it has no datetime window (year 9999's
        next month, year 1's day before) and no valid events."""
        month = self.cleaned_data.get("month")
        if month and not FIRST_MONTH <= month <= LAST_MONTH:
            raise forms.ValidationError(
                _("Give a month between %(first)s and %(last)s."),
                code="out_of_range",
                params={"first": FIRST_MONTH, "last": LAST_MONTH},
            )
        return month


class EventListingFilterSet(EventFilterSet):
    """The event filters of an index page: ``element`` and ``offer`` only (the page is the
    index), their values checked against the choices of its selects, and the view fields."""

    index = None  # the page lists the events below itself

    class Meta:
        form = EventViewForm


@dataclass
class Day:
    date: date
    in_month: bool
    occurrences: list
    #: Occurrences of the day not shown in the cell (the day's list view shows them all).
    more: int = 0


def month_bounds(month: str | None, zone: tzinfo) -> tuple[datetime, datetime]:
    """Start of ``month`` (YYYY-MM, validated; default: this month) and of the next, in ``zone``."""
    today = timezone.localtime(timezone.now(), zone).date()
    year, number = (int(part) for part in month.split("-")) if month else (today.year, today.month)
    first = datetime(year, number, 1, tzinfo=zone)
    following = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=zone)
    return first, following


def day_bounds(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """Start of ``day`` and of the next day in ``zone`` (local midnights, DST included)."""
    first = datetime(day.year, day.month, day.day, tzinfo=zone)
    following = day + timedelta(days=1)
    return first, datetime(following.year, following.month, following.day, tzinfo=zone)


def month_days(first: datetime) -> list[occurrence_index.Day]:
    """The days of the month of ``first`` with their bounds in its zone."""
    days = []
    for number in range(calendar.monthrange(first.year, first.month)[1]):
        day = first.date() + timedelta(days=number)
        days.append(occurrence_index.Day(day, *day_bounds(day, first.tzinfo)))
    return days


def month_weeks(first: datetime, by_day: dict[date, tuple[list, int]]) -> list[list[Day]]:
    """Weeks (Monday first) of the month of ``first``; each day with the occurrences shown in
    its cell and the number left for its own list."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    result = []
    for week in weeks:
        row = []
        for day in week:
            shown, total = by_day.get(day, ([], 0))
            row.append(Day(day, day.month == first.month, shown, max(total - len(shown), 0)))
        result.append(row)
    return result


class MonthCalendar:
    """The month view's days, read when the template first asks for them: a grid served from
    the cache (``month_grid_key``) reads no occurrence and loads no event."""

    def __init__(self, window: OccurrenceWindow, first: datetime, per_day: int):
        self.window = window
        self.first = first
        self.per_day = per_day

    @cached_property
    def by_day(self) -> dict[date, tuple[list, int]]:
        return self.window.by_day(month_days(self.first), self.per_day)

    @cached_property
    def weeks(self) -> list[list[Day]]:
        return month_weeks(self.first, self.by_day)

    @cached_property
    def occurrences(self) -> list:
        return [item for shown, _total in self.by_day.values() for item in shown]


def month_grid_key(
    page, request, window: OccurrenceWindow, first: datetime, data: dict
) -> str | None:
    """The cache key of the month grid ``page`` renders for ``request``, or None: not cached.

    It names everything the grid shows: the occurrence index's version (every write, and every
    change of who may see which event where, gives a new one: ``occurrence_index.touch``), the
    index page as published, the month, the language, the time zone, the request's site (its
    links are relative to it) and the valid filters (``data``: the form's ``cleaned_data``; its
    links carry them on, and invalid ones are ignored, so they make no key of their own). A month
    beyond the index's horizon (computed) is not cached.
    """
    seconds = get_setting("MONTH_GRID_CACHE_SECONDS")
    if not seconds or window.version is None:
        return None
    site = Site.find_for_request(request)
    parts = [
        __version__,
        window.version,
        str(page.pk),
        str(page.last_published_at),
        str(page.latest_revision_created_at),
        first.strftime("%Y-%m"),
        get_language() or "",
        timezone.get_current_timezone_name(),
        f"{site.pk} {site.root_url}" if site else "-",
        *(
            f"{name}={value}"
            for name in ("element", "offer")
            for value in sorted(map(str, data.get(name) or ()))
        ),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _query_with(request, **values) -> str:
    """The request's query string with ``values`` set (the filters stay as they are)."""
    query = request.GET.copy()
    for name, value in values.items():
        query[name] = value
    return query.urlencode()


def shift_month(first: datetime, months: int) -> str | None:
    """The month ``months`` after that of ``first`` as YYYY-MM; None outside the year range, so
    the month view links to no month it would refuse."""
    index = first.year * 12 + first.month - 1 + months
    month = f"{index // 12:04d}-{index % 12 + 1:02d}"
    return month if FIRST_MONTH <= month <= LAST_MONTH else None


def listing_context(page, request) -> dict:
    """Everything the index template needs, for the list or the month view."""

    events = page.get_events()
    # The choices of the selects (one query each): the elements of the page's language, the
    # live offers its events deliver.
    elements = list(Element.objects.filter(locale_id=page.locale_id))
    offered = events.filter(related_offer__isnull=False).prefetch_related(None)
    offers = list(
        Page.objects.filter(pk__in=offered.values("related_offer_id")).live().order_by("title")
    )
    filterset = EventListingFilterSet(
        request.GET or None, events, locale=page.locale_id, elements=elements, offers=offers
    )
    form = filterset.form
    filterset.is_valid()  # invalid parameters are shown as errors and otherwise ignored
    data = dict(getattr(form, "cleaned_data", {}))
    events = filterset.qs

    zone = timezone.get_current_timezone()
    now = timezone.now()
    context = {"filter_form": form, "element_choices": elements, "offer_choices": offers}
    # the "Subscribe to the calendar" panel: the feed with the filters shown (no query)
    context["subscription"] = listing_subscription(page, request, data)
    # --- occurrences: each view reads its own window (the stored index, or computed) ---
    if data.get("view") == "month":
        first, following = month_bounds(data.get("month"), zone)
        window = OccurrenceWindow(events, first, following)
        month = MonthCalendar(window, first, page.month_day_limit)
        context.update(
            view="month",
            month_start=first,
            # read only where the grid is rendered, not served from the cache
            weeks=SimpleLazyObject(lambda: month.weeks),
            occurrences=SimpleLazyObject(lambda: month.occurrences),
            month_grid_key=month_grid_key(page, request, window, first, data),
            month_grid_seconds=get_setting("MONTH_GRID_CACHE_SECONDS"),
            previous_month=shift_month(first, -1),
            next_month=shift_month(first, 1),
        )
    elif data.get("past"):
        since = now - page.list_horizon
        items = OccurrenceWindow(events, since, now).last(page.list_limit)
        context.update(view="past", occurrences=items)
    else:
        if data.get("day"):
            start, end = day_bounds(data["day"], zone)
            context["day"] = data["day"]
        else:
            start, end = now, now + page.list_horizon
        upcoming = OccurrenceWindow(events, start, end)
        after = data.get("after")
        limit = page.list_limit
        if after:
            items = upcoming.after(after.key, limit)
        else:
            items = upcoming.page(0, limit, counted=False)
        if items.more:
            context["more_query"] = _query_with(request, after=Cursor.encode(items[-1]))
        context.update(view="list", occurrences=items)
    # --- end of occurrences ---
    if context["view"] != "month":
        # The list views render each occurrence with ``includes/occurrence.html``, which a site
        # may override to show the event's elements: those of the events shown (one query).
        # The month view's cells show time and title only.
        shown = {id(o.event): o.event for o in context["occurrences"]}
        prefetch_related_objects(list(shown.values()), "elements")
    return context
