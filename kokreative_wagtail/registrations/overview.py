"""How full the dates are, for the editors: the admin's views and the dashboard panel.

Who sees an event's registrations is who may edit its page (as Wagtail's form submissions,
GHSA-pwm3-7fv4-g6xx). The counts of any number of pages come from one grouped query; the dates
are computed from the pages (their overrides prefetched), so a view costs a constant number of
queries whatever the number of registrations.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, QuerySet
from django.utils import timezone

from ..events.dashboard import editable_page_ids
from ..events.models import EventPage
from .choices import Mode, Status
from .dates import HORIZON, options_for, own_seats, seats_of_date
from .models import Registration, RegistrationOptions
from .seats import SERIES_SCOPE, parse_scope, scope_of

#: Counts per (event key, scope): ``{status: number}``.
Counts = dict[tuple[uuid.UUID, str], dict[str, int]]


@dataclass
class DateFill:
    """One date (or the whole series) of an event page and how full it is."""

    page: EventPage
    original_start: datetime | None  # None: the whole series
    start: datetime | None  # the current start (a moved date's new one); series: the next date
    seats: int
    counts: dict[str, int] = field(default_factory=dict)
    cancelled: bool = False
    moved: bool = False

    @property
    def scope(self) -> str:
        return scope_of(self.original_start)

    @property
    def zone(self) -> ZoneInfo:
        return self.page.zone

    @property
    def local_start(self) -> datetime | None:
        return self.start.astimezone(self.zone) if self.start else None

    @property
    def confirmed(self) -> int:
        return self.counts.get(Status.CONFIRMED, 0)

    @property
    def waiting(self) -> int:
        return self.counts.get(Status.WAITING, 0)

    @property
    def pending(self) -> int:
        return self.counts.get(Status.PENDING, 0)

    @property
    def seats_left(self) -> int:
        return max(self.seats - self.confirmed, 0)

    @property
    def percent(self) -> int:
        """Share of the seats taken, for a meter (0–100)."""
        return min(100, round(100 * self.confirmed / self.seats)) if self.seats else 100


def editable_event_pages(user, *, live_only: bool = False) -> QuerySet:
    """Event pages with registration settings ``user`` may edit, their settings and overrides
    prefetched (three queries when evaluated)."""
    page_ids = editable_page_ids(user)
    if page_ids is None:
        return EventPage.objects.none()
    pages = (
        EventPage.objects.filter(pk__in=page_ids)
        .filter(pk__in=RegistrationOptions.objects.order_by().values("page_id"))
        .prefetch_related("registration_options", "overrides")
    )
    if live_only:
        pages = pages.live()
    return pages.order_by("title", "pk")


def may_see(user, page) -> bool:
    """Whether ``user`` may see the registrations of ``page``: who may edit it."""
    return bool(user.is_active and page.permissions_for_user(user).can_edit())


def counts_of(pages: Iterable) -> Counts:
    """Registrations per status for every date of ``pages``, in one query."""
    keys = {page.translation_key for page in pages}
    if not keys:
        return {}
    rows = (
        Registration.objects.filter(date__event_key__in=keys)
        .order_by()
        .values_list("date__event_key", "date__scope", "status")
        .annotate(n=Count("pk"))
    )
    counts: Counts = {}
    for key, scope, status, n in rows:
        counts.setdefault((key, scope), {})[status] = n
    return counts


def _fill(page, options, counts: Counts, original_start, occurrence=None, own=None) -> DateFill:
    seats = seats_of_date(page, options, original_start, own) if options else 0
    return DateFill(
        page=page,
        original_start=original_start,
        start=occurrence.start if occurrence is not None else original_start,
        seats=seats,
        counts=counts.get((page.translation_key, scope_of(original_start)), {}),
        cancelled=bool(occurrence is not None and occurrence.cancelled),
        moved=bool(occurrence is not None and occurrence.moved),
    )


def upcoming(page, counts: Counts, *, now: datetime | None = None, limit: int = 12) -> list:
    """The page's next dates (or its series with the next date) with their fill levels."""
    options = options_for(page)
    if options is None:
        return []
    now = now or timezone.now()
    found = page.get_occurrences(now, now + HORIZON)
    if options.mode == Mode.SERIES:
        following = next((o for o in found if not o.cancelled), None)
        fill = _fill(page, options, counts, None)
        fill.start = following.start if following else None
        return [fill]
    own = own_seats(page)
    return [_fill(page, options, counts, item.original_start, item, own) for item in found[:limit]]


def earlier(page, counts: Counts, shown: Iterable[DateFill], limit: int = 12) -> list:
    """The page's other dates that have registrations, the latest first: past ones (to mark
    attendance) and dates no longer in the series."""
    options = options_for(page)
    seen = {fill.scope for fill in shown}
    starts = sorted(
        parse_scope(scope)
        for (key, scope) in counts
        if key == page.translation_key and scope != SERIES_SCOPE and scope not in seen
    )
    own = own_seats(page) if options and options.mode == Mode.DATE else {}
    return [_fill(page, options, counts, start, None, own) for start in reversed(starts[-limit:])]


def next_dates(pages: Iterable, *, now: datetime | None = None, limit: int = 5) -> list:
    """The next ``limit`` held dates across ``pages``, sorted by start."""
    pages = list(pages)
    counts = counts_of(pages)
    now = now or timezone.now()
    fills = [
        fill
        for page in pages
        for fill in upcoming(page, counts, now=now, limit=limit)
        if fill.start is not None and not fill.cancelled
    ]
    fills.sort(key=lambda fill: (fill.start, fill.page.pk))
    return fills[:limit]


def may_see_some(user) -> bool:
    """Whether ``user`` may edit any page at all (no query: Wagtail caches the permissions)."""
    return editable_page_ids(user) is not None
