"""Tell registered people when their date changes: cancelled, moved, or the event withdrawn.

Publishing an event page compares each date that has registrations (and each date with an
occurrence change, for registrations of the whole series) with what its people were last told
(``RegistrationDate.notified_cancelled`` and ``notified_start``). A change is claimed by a
conditional ``UPDATE`` of the date row before its mails are queued, in one transaction with
them: two publishes at once tell nobody twice, and no mail is lost (``mails.queue`` writes the
durable outbox). Publishing again, or publishing a translation, finds nothing new.

Unpublishing (or deleting: Wagtail unpublishes a page it deletes) the last live language of
an event tells everyone registered for a date still to come that the event was withdrawn.
Their registrations stay as they are: an organiser may publish the page again and sees who
had registered.

The state of a date is read from the event in the site's default language when that is live
(the source wagtail-localize synchronises translations from), so a translation whose dates are
not yet synchronised cannot undo a change.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Locale, Page
from wagtail.signals import page_published, page_unpublished

from ..events.choices import OverrideAction
from ..events.series import checked_series, occurrence_at
from ..outbox.tasks import schedule, store
from . import mails
from .choices import ACTIVE
from .dates import HORIZON
from .models import Registration, RegistrationDate
from .seats import date_row, scope_of

#: Occurrence changes that change when (or whether) a date takes place.
CHANGING_ACTIONS = (OverrideAction.CANCEL, OverrideAction.MOVE)


def takes_registrations(page) -> bool:
    """Whether ``page`` is an event page of the kind that can have registrations."""
    return hasattr(page, "registration_options") and hasattr(page, "overrides")


def authoritative(page):
    """The live translation in the default language, else ``page`` itself."""
    try:
        default = Locale.get_default()
    except Locale.DoesNotExist:
        return page
    if page.locale_id == default.pk:
        return page
    source = (
        Page.objects.filter(translation_key=page.translation_key, locale=default, live=True)
        .specific()
        .first()
    )
    return source if source is not None and takes_registrations(source) else page


def _active(row: RegistrationDate | None) -> list[Registration]:
    if row is None:
        return []
    return list(
        Registration.objects.filter(date=row, status__in=ACTIVE)
        .select_related("page")
        .order_by("pk")
    )


def _claim(row: RegistrationDate, **change) -> bool:
    """Record ``change`` on the row unless someone else did: ``True`` if this call did."""
    unchanged = Q()
    if "notified_cancelled" in change:
        unchanged &= Q(notified_cancelled=row.notified_cancelled)
    if "notified_start" in change:
        unchanged &= (
            Q(notified_start__isnull=True)
            if row.notified_start is None
            else Q(notified_start=row.notified_start)
        )
    claimed = RegistrationDate.objects.filter(unchanged, pk=row.pk).update(**change) == 1
    if claimed:
        for name, value in change.items():
            setattr(row, name, value)
    return claimed


def _candidates(page, rows: dict, series_people: bool) -> set[datetime]:
    """Dates whose state may differ from what their people were told."""
    changed = {
        override.original_start
        for override in page.overrides.all()
        if override.original_start is not None and override.action in CHANGING_ACTIONS
    }
    # with registrations (or the series' people) every changed date gets a row, so a date
    # moved before anyone registered is recorded at its new time before they do
    if rows or series_people or next(iter(page.registration_options.all()), None) is not None:
        return set(rows) | changed
    return set()


def notify_changes(page, now: datetime | None = None) -> int:
    """Queue the mails of dates cancelled or moved since their people were last told.

    Returns the number of mails queued. Dates that took place before ``now`` (old and new
    time) are left alone.
    """
    if not takes_registrations(page):
        return 0
    page = authoritative(page)
    now = now or timezone.now()
    if checked_series(page)[1]:
        return 0  # a stored rule that cannot be read: tell nobody anything
    queued = 0
    with transaction.atomic():
        rows = {
            row.original_start: row
            for row in RegistrationDate.objects.filter(event_key=page.translation_key)
        }
        series_row = rows.pop(None, None)
        _follow_single_date(page, rows)
        series_people = _active(series_row)
        for original in sorted(_candidates(page, rows, bool(series_people))):
            occurrence = occurrence_at(page, original)
            start = occurrence.start if occurrence is not None else original
            if original <= now and start <= now:
                continue
            row = rows.get(original) or date_row(page.translation_key, original)
            people = _active(row) + series_people
            queued += _notify_date(row, occurrence, original, people)
    return queued


def _follow_single_date(page, rows: dict) -> None:
    """A one-off event whose start the editor changed keeps its registrations: its date row
    moves to the new start (people are then told of the move). A series' dates change through
    occurrence changes; a date its rule no longer has counts as cancelled."""
    series = checked_series(page)[0]
    if series.rules or series.rdates or page.start in rows or len(rows) != 1:
        return
    row = rows.pop(next(iter(rows)))
    updated = RegistrationDate.objects.filter(pk=row.pk, original_start=row.original_start).update(
        original_start=page.start, scope=scope_of(page.start)
    )
    if updated:
        row.original_start, row.scope = page.start, scope_of(page.start)
    rows[row.original_start] = row


def _notify_date(row: RegistrationDate, occurrence, original: datetime, people) -> int:
    """Compare one date with what its people were told; claim and queue what changed."""
    cancelled = occurrence is None or occurrence.cancelled  # a date the rule no longer has
    told_start = row.notified_start or original
    extra = {"occurrence": occurrence, "previous_start": told_start}
    if cancelled:
        if row.notified_cancelled or not _claim(row, notified_cancelled=True):
            return 0
        return _queue_all(people, mails.Kind.DATE_CANCELLED, extra)
    if row.notified_cancelled:
        # the cancellation was taken back: the date takes place (at its current time)
        if not _claim(row, notified_cancelled=False, notified_start=occurrence.start):
            return 0
        return _queue_all(people, mails.Kind.DATE_MOVED, {**extra, "reinstated": True})
    if occurrence.start != told_start:
        if not _claim(row, notified_start=occurrence.start):
            return 0
        return _queue_all(people, mails.Kind.DATE_MOVED, extra)
    return 0


def _queue_all(people, kind: mails.Kind, extra: dict) -> int:
    for registration in people:
        mails.queue(registration, kind, extra)
    return len(people)


def _future_rows(page, now: datetime) -> list[RegistrationDate]:
    """The event's date rows (and its series row) with a date still to come."""
    found = []
    series_has_dates = None
    for row in RegistrationDate.objects.filter(event_key=page.translation_key):
        if row.original_start is None:
            if series_has_dates is None:
                upcoming = page.get_occurrences(now, now + HORIZON)
                series_has_dates = any(not o.cancelled for o in upcoming)
            if series_has_dates:
                found.append(row)
            continue
        occurrence = occurrence_at(page, row.original_start)
        if occurrence is None or occurrence.cancelled:
            continue  # its cancellation is told by notify_changes
        if occurrence.start > now:
            found.append(row)
    return found


def notify_withdrawn(page, now: datetime | None = None, *, deleting: bool = False) -> int:
    """Queue ``EVENT_WITHDRAWN`` to everyone registered for a date still to come, unless
    another language of the event stays live. Returns the number of mails queued.

    ``deleting``: the page is being deleted, and the registrations made on it (and their
    mails) with it; their mails are stored with the date row as cause and no page, so that
    they survive the deletion and are still sent.
    """
    if not takes_registrations(page):
        return 0
    others = Page.objects.filter(translation_key=page.translation_key, live=True).exclude(
        pk=page.pk
    )
    if others.exists():
        return 0
    now = now or timezone.now()
    if checked_series(page)[1]:
        return 0
    queued = 0
    with transaction.atomic():
        for row in _future_rows(page, now):
            for registration in _active(row):
                if deleting and registration.page_id == page.pk:
                    _queue_detached(row, registration)
                else:
                    mails.queue(registration, mails.Kind.EVENT_WITHDRAWN)
                queued += 1
    return queued


def _queue_detached(row: RegistrationDate, registration: Registration) -> None:
    message = mails.build(registration, mails.Kind.EVENT_WITHDRAWN)
    notification = store(row, message, page_id=None)
    schedule([notification.pk])


def on_published(sender, instance, **kwargs) -> None:
    notify_changes(instance)


def on_unpublished(sender, instance, **kwargs) -> None:
    # Wagtail unpublishes a live page in its ``pre_delete`` receiver without saving it
    # (``commit=False``): the row still says live then, and the page is being deleted.
    deleting = Page.objects.filter(pk=instance.pk, live=True).exists()
    notify_withdrawn(instance, deleting=deleting)


def connect() -> None:
    """Connect the receivers; called once from the app's ``ready()``."""
    page_published.connect(on_published, dispatch_uid="kokreative_registrations_published")
    page_unpublished.connect(on_unpublished, dispatch_uid="kokreative_registrations_unpublished")
