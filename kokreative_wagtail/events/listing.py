"""The event index's list and month views: GET parameters in, occurrences out."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from django import forms
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .filters import EventFilterSet
from .occurrences import MAX_YEAR, MIN_YEAR
from .series import may_occur_in, occurrences_of

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


def month_bounds(month: str | None, zone: tzinfo) -> tuple[datetime, datetime]:
    """Start of ``month`` (YYYY-MM, validated; default: this month) and of the next, in ``zone``."""
    today = timezone.localtime(timezone.now(), zone).date()
    year, number = (int(part) for part in month.split("-")) if month else (today.year, today.month)
    first = datetime(year, number, 1, tzinfo=zone)
    following = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=zone)
    return first, following


def month_weeks(first: datetime, items: list) -> list[list[Day]]:
    """Weeks (Monday first) of the month of ``first`` with the occurrences of each day."""
    zone = first.tzinfo
    by_day: dict[date, list] = {}
    for item in items:
        by_day.setdefault(item.start.astimezone(zone).date(), []).append(item)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    return [
        [Day(day, day.month == first.month, by_day.get(day, [])) for day in week] for week in weeks
    ]


def shift_month(first: datetime, months: int) -> str | None:
    """The month ``months`` after that of ``first`` as YYYY-MM; None outside the year range, so
    the month view links to no month it would refuse."""
    index = first.year * 12 + first.month - 1 + months
    month = f"{index // 12:04d}-{index % 12 + 1:02d}"
    return month if FIRST_MONTH <= month <= LAST_MONTH else None


def listing_context(page, request) -> dict:
    """Everything the index template needs, for the list or the month view."""
    from wagtail.models import Page

    from ..models import Element

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
    # --- occurrences: each view expands the series in its own window, here only ---
    if data.get("view") == "month":
        first, following = month_bounds(data.get("month"), zone)
        items = occurrences_of(events.filter(may_occur_in(first, following)), first, following)
        context.update(
            view="month",
            month_start=first,
            weeks=month_weeks(first, items),
            previous_month=shift_month(first, -1),
            next_month=shift_month(first, 1),
            occurrences=items,
        )
    elif data.get("past"):
        since = now - page.list_horizon
        items = occurrences_of(events.filter(may_occur_in(since, now)), since, now)
        context.update(view="past", occurrences=list(reversed(items))[: page.list_limit])
    else:
        until = now + page.list_horizon
        items = occurrences_of(
            events.filter(may_occur_in(now, until)), now, until, limit=page.list_limit
        )
        context.update(view="list", occurrences=items)
    # --- end of occurrences ---
    if context["view"] != "month":
        # The list views render each occurrence with ``includes/occurrence.html``, which a site
        # may override to show the event's elements: those of the events shown (one query).
        # The month view's cells show time and title only.
        shown = {id(o.event): o.event for o in context["occurrences"]}
        prefetch_related_objects(list(shown.values()), "elements")
    return context
