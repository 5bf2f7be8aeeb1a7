"""Reminders shortly before a date, for confirmed registrations (cron:
``kokreative_send_registration_reminders``).

Each reminder is claimed by a conditional ``UPDATE`` of ``Registration.reminded_for`` (the
date's series start) and queued in the outbox in the same transaction: cron on several servers
at once sends each reminder once, and a failure rolls the claim back for the next run. People
whose address was confirmed inside the reminder window got their confirmation (with the date)
just now and get no reminder on top. Only live events remind.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from wagtail.models import Locale, Page

from ..events.series import occurrence_at
from . import mails
from .choices import Status
from .dates import options_for
from .models import Registration, RegistrationDate


def _live_page(event_key):
    """The live event page of ``event_key``: the default language's, else any live one."""
    pages = list(Page.objects.filter(translation_key=event_key, live=True).specific())
    if not pages:
        return None
    default = Locale.get_default() if Locale.objects.exists() else None
    for page in pages:
        if default is not None and page.locale_id == default.pk:
            return page
    return pages[0]


def _rows_to_look_at() -> dict:
    """Date rows (by event) that have confirmed registrations not yet reminded for them."""
    not_reminded = Q(reminded_for__isnull=True) | ~Q(reminded_for=F("date__original_start"))
    date_ids = Registration.objects.filter(
        not_reminded, status=Status.CONFIRMED, date__original_start__isnull=False
    ).values("date_id")
    series_ids = Registration.objects.filter(
        status=Status.CONFIRMED, date__original_start__isnull=True
    ).values("date_id")
    by_event = defaultdict(list)
    for row in RegistrationDate.objects.filter(Q(pk__in=date_ids) | Q(pk__in=series_ids)):
        by_event[row.event_key].append(row)
    return by_event


def _due_dates(page, row: RegistrationDate, now: datetime, until: datetime) -> list:
    """The (not cancelled) occurrences of the row that begin in ``(now, until]``."""
    if row.original_start is not None:
        occurrence = occurrence_at(page, row.original_start)
        if occurrence is None or occurrence.cancelled:
            return []
        return [occurrence] if now < occurrence.start <= until else []
    upcoming = page.get_occurrences(now, until + timedelta(seconds=1))
    return [o for o in upcoming if not o.cancelled and now < o.start <= until]


def _claim_and_queue(registration: Registration, occurrence, window_start: datetime) -> bool:
    original = occurrence.original_start
    if registration.date.original_start is None:
        # a series: the last reminder was for an earlier date
        not_yet = Q(reminded_for__isnull=True) | Q(reminded_for__lt=original)
    else:
        not_yet = Q(reminded_for__isnull=True) | ~Q(reminded_for=original)
    with transaction.atomic():
        claimed = (
            Registration.objects.filter(not_yet, pk=registration.pk, status=Status.CONFIRMED)
            .exclude(confirmed_at__gte=window_start)
            .update(reminded_for=original)
        )
        if not claimed:
            return False
        registration.reminded_for = original
        mails.queue(registration, mails.Kind.REMINDER, {"occurrence": occurrence})
    return True


def send_reminders(now: datetime | None = None, dry_run: bool = False) -> int:
    """Queue the reminders that are due; returns how many (with ``dry_run``: would be)."""
    now = now or timezone.now()
    sent = 0
    for event_key, rows in _rows_to_look_at().items():
        page = _live_page(event_key)
        options = options_for(page) if page is not None else None
        if options is None or not options.reminder_hours_before:
            continue
        window = timedelta(hours=options.reminder_hours_before)
        for row in rows:
            for occurrence in _due_dates(page, row, now, now + window):
                window_start = occurrence.start - window
                candidates = (
                    Registration.objects.filter(date=row, status=Status.CONFIRMED)
                    .exclude(confirmed_at__gte=window_start)
                    .select_related("page", "date")
                    .order_by("pk")
                )
                for registration in candidates:
                    if dry_run:
                        sent += _would_remind(registration, occurrence.original_start)
                    else:
                        sent += _claim_and_queue(registration, occurrence, window_start)
    return sent


def _would_remind(registration: Registration, original: datetime) -> bool:
    done = registration.reminded_for
    if registration.date.original_start is None:
        return done is None or done < original
    return done != original
