"""Delete registrations when they are no longer needed (data protection, issue 21 point 7).

- a date's registrations ``REGISTRATION_RETENTION_DAYS`` after the date (its later start, if it
  was moved);
- a series' registrations that many days after the series' last date; while the series goes
  on, the registrations cancelled (or left without a seat) that many days ago;
- registrations whose address was not confirmed within ``REGISTRATION_CONFIRM_HOURS``;
- date rows left without registrations after their date.

Their outbox mails go with them (``connect``). The consultations app's purge command runs
:func:`purge` as the ``"purge"`` provider of this app, so one cron line purges everything.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.db.models.signals import post_delete
from django.utils import timezone
from wagtail.models import Page

from ..conf import get_setting
from ..events.occurrences import MAX_WINDOW
from ..outbox.models import delete_notifications_of
from .choices import Status
from .models import Registration, RegistrationDate

#: What :func:`purge` reports, by key: the label the purge command prints.
LABELS = {
    "past_dates": "registration(s) of dates past the retention",
    "ended_series": "registration(s) of series that ended before the retention",
    "cancelled_in_series": "cancelled registration(s) of running series",
    "unconfirmed": "registration(s) never confirmed",
    "empty_dates": "empty registration date(s)",
}


def _series_ended_before(event_key, cutoff: datetime) -> bool:
    """Whether the series of ``event_key`` has no date from ``cutoff`` on (a series without end
    always has one). An event whose pages are gone has none."""
    page = Page.objects.filter(translation_key=event_key).specific().first()
    if page is None or not hasattr(page, "get_occurrences"):
        return True
    return not page.get_occurrences(cutoff, cutoff + MAX_WINDOW)


def _querysets(now: datetime) -> dict[str, QuerySet]:
    retention = timedelta(days=get_setting("REGISTRATION_RETENTION_DAYS"))
    cutoff = now - retention
    past_dates = RegistrationDate.objects.filter(original_start__lt=cutoff).filter(
        Q(notified_start__isnull=True) | Q(notified_start__lt=cutoff)
    )
    series_rows = list(RegistrationDate.objects.filter(original_start__isnull=True))
    ended = [row.pk for row in series_rows if _series_ended_before(row.event_key, cutoff)]
    running = [row.pk for row in series_rows if row.pk not in ended]
    confirm_cutoff = now - timedelta(hours=get_setting("REGISTRATION_CONFIRM_HOURS"))
    return {
        "past_dates": Registration.objects.filter(date__in=past_dates),
        "ended_series": Registration.objects.filter(date_id__in=ended),
        "cancelled_in_series": Registration.objects.filter(
            date_id__in=running,
            status__in=(Status.CANCELLED, Status.FULL),
            changed_at__lt=cutoff,
        ),
        # the kinds are disjoint, so a dry run counts what a real run deletes
        "unconfirmed": Registration.objects.filter(
            status=Status.PENDING, created_at__lt=confirm_cutoff
        )
        .exclude(date__in=past_dates)
        .exclude(date_id__in=ended),
        # last: the rows whose registrations all went above
        "empty_dates": RegistrationDate.objects.filter(
            Q(pk__in=past_dates.values("pk")) | Q(pk__in=ended)
        ),
    }


def purge(now: datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Delete what is due (``dry_run``: only count it); ``{label: count}`` per kind, in the
    order of ``LABELS``. Counts only, never what a registration holds."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    with transaction.atomic():
        querysets = _querysets(now)
        for key, queryset in querysets.items():
            if dry_run:
                count = queryset.count()
            else:
                count = queryset.delete()[1].get(queryset.model._meta.label, 0)
            counts[LABELS[key]] = count
    return counts


def connect() -> None:
    """A deleted registration (or date row) takes its outbox mails (personal data) with it."""
    post_delete.connect(
        delete_notifications_of,
        sender=Registration,
        dispatch_uid="kokreative_outbox_delete_with_registration",
    )
    post_delete.connect(
        delete_notifications_of,
        sender=RegistrationDate,
        dispatch_uid="kokreative_outbox_delete_with_registration_date",
    )
