"""The event index's list and month views: GET parameters in, occurrences out."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from django import forms
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .occurrences import MAX_YEAR, MIN_YEAR
from .series import may_occur_in, occurrences_of

#: The months the month view shows: the documented year range of event dates.
FIRST_MONTH = f"{MIN_YEAR:04d}-01"
LAST_MONTH = f"{MAX_YEAR:04d}-12"


class EventFilterForm(forms.Form):
    """Plain GET parameters: ``view``, ``month`` (YYYY-MM), ``past``, ``element``, ``offer``."""

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
    element = forms.SlugField(label=_("Element"), required=False, max_length=100)
    offer = forms.IntegerField(label=_("Offer"), required=False, min_value=1)

    def __init__(self, *args, elements=(), offers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.element_choices = list(elements)
        self.offer_choices = list(offers)

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

    def clean_element(self):
        slug = self.cleaned_data.get("element")
        if slug and slug not in {e.slug for e in self.element_choices}:
            raise forms.ValidationError(_("Unknown element."))
        return slug

    def clean_offer(self):
        offer = self.cleaned_data.get("offer")
        if offer and offer not in {o.pk for o in self.offer_choices}:
            raise forms.ValidationError(_("Unknown offer."))
        return offer


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
    from ..models import Element

    events = page.get_events()
    elements = Element.objects.filter(locale_id=page.locale_id)
    offer_ids = set(
        events.filter(related_offer__isnull=False)
        .prefetch_related(None)
        .values_list("related_offer_id", flat=True)
    )
    from wagtail.models import Page

    offers = Page.objects.filter(pk__in=offer_ids).live().order_by("title")
    form = EventFilterForm(request.GET or None, elements=elements, offers=offers)
    form.is_valid()  # invalid parameters are shown as errors and otherwise ignored
    data = dict(getattr(form, "cleaned_data", {}))
    if data.get("element"):
        events = events.filter(elements__slug=data["element"]).distinct()
    if data.get("offer"):
        events = events.filter(related_offer_id=data["offer"])

    zone = timezone.get_current_timezone()
    now = timezone.now()
    context = {"filter_form": form, "element_choices": elements, "offer_choices": offers}
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
    # Elements only of the events shown, for templates that show them (one query).
    shown = {id(o.event): o.event for o in context["occurrences"]}
    prefetch_related_objects(list(shown.values()), "elements")
    return context
