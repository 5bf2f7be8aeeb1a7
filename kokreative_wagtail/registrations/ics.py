"""The .ics attachment of a registration's e-mails: the registered date in the event's zone.

One date: one VEVENT with DTSTART/DTEND at the date's current time (a moved date at its new
time) in the event's TZID with its VTIMEZONE, so 16:30 in Berlin stays 16:30 whatever the
reader's zone and across daylight-saving changes. Its UID is stable per registration and date,
so each later e-mail (moved, cancelled, reminder) updates the same entry in the reader's
calendar; SEQUENCE grows with every e-mail of the registration (RFC 5545 §3.8.7.4), and a
cancelled date (or registration) is sent with STATUS:CANCELLED. The UID derives from the
registration's random id under the site's secret, not from the id itself (half of its links).

A registration for the whole series gets the series as the event's own calendar file writes it
(``events.ical``: RRULE, EXDATE, moved dates), with the event's UIDs.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from datetime import timezone as dt_timezone
from urllib.parse import urlsplit

import icalendar
from django.utils import timezone
from django.utils.crypto import salted_hmac

from ..events.feeds import page_host
from ..events.ical import PRODID, build_calendar, vtimezone
from ..events.series import get_zone, occurrence_at
from ..outbox.models import Notification
from . import links

#: ``datetime.UTC`` is Python 3.11+; the package supports 3.10.
UTC = dt_timezone.utc

UID_SALT = "kokreative_wagtail.registrations.ics"
FALLBACK_HOST = "kokreative"


def host_of(page) -> str:
    """The host for UIDs: ``PUBLIC_BASE_URL``'s, else the page's site's."""
    return urlsplit(links.site_root(page)).hostname or page_host(page) or FALLBACK_HOST


def date_uid(registration, original_start: datetime, host: str) -> str:
    """A UID stable for this registration and one date (moved away: another UID)."""
    instant = original_start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    digest = salted_hmac(UID_SALT, f"{registration.public_id.hex}:{instant}", algorithm="sha256")
    return f"kokreative-registration-{digest.hexdigest()[:32]}@{host}"


def mails_sent_before(registration) -> list[list]:
    """The attachments of the registration's earlier e-mails, oldest first (one query)."""
    return list(
        Notification.objects.filter(
            content_type__app_label=registration._meta.app_label,
            content_type__model=registration._meta.model_name,
            object_id=str(registration.pk),
        )
        .order_by("pk")
        .values_list("attachments", flat=True)
    )


def sequence_of(registration) -> int:
    """SEQUENCE of the next file: the number of e-mails the registration got so far."""
    if registration.pk is None:
        return 0
    return len(mails_sent_before(registration))


def had_calendar(registration) -> bool:
    """Whether an earlier e-mail of the registration carried a calendar entry."""
    if registration.pk is None:
        return False
    return any(attachments for attachments in mails_sent_before(registration))


def _location(name: str, address: str) -> str:
    parts = [name.strip()] if name and name.strip() else []
    parts += [line.strip() for line in (address or "").splitlines() if line.strip()]
    return ", ".join(parts)


def _times(page, start: datetime, end: datetime, zone):
    """DTSTART and DTEND values: local times in ``zone``, dates for an all-day event."""
    first, last = start.astimezone(zone), end.astimezone(zone)
    if not page.all_day:
        return first, last
    if last.time() == time.min and last.date() > first.date():
        return first.date(), last.date()  # an end at midnight is exclusive already
    return first.date(), last.date() + timedelta(days=1)


def _calendar(page) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    return calendar


def date_event(
    registration,
    page,
    original: datetime,
    *,
    cancelled: bool = False,
    sequence: int = 0,
    description: str = "",
    host: str | None = None,
) -> icalendar.Event:
    """The VEVENT of the registration's date whose series start is ``original``."""
    occurrence = occurrence_at(page, original)
    zone = get_zone(page.time_zone)
    if occurrence is not None:
        start, end = occurrence.start, occurrence.end
        cancelled = cancelled or occurrence.cancelled
        location = _location(occurrence.location_name, occurrence.location_address)
    else:  # the rule no longer has the date: it is cancelled where it was
        start, end = original, original + max(page.end - page.start, timedelta(0))
        cancelled = True
        location = _location(page.location_name, page.location_address)
    dtstart, dtend = _times(page, start, end, zone)
    event = icalendar.Event()
    event.add("uid", date_uid(registration, original, host or host_of(page)))
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("sequence", sequence)
    event.add("summary", page.title)
    event.add("dtstart", dtstart)
    event.add("dtend", dtend)
    if location:
        event.add("location", location)
    text = "\n\n".join(part for part in (getattr(page, "teaser", ""), description) if part)
    if text:
        event.add("description", text)
    url = page.get_full_url()
    if url:
        event.add("url", url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _series_calendar(page, *, cancelled: bool, sequence: int, host: str) -> icalendar.Calendar:
    calendar = build_calendar([page], page.title, host=host, url_of=lambda p: p.get_full_url())
    for component in calendar.walk("VEVENT"):
        component["SEQUENCE"] = icalendar.vInt(sequence)
        if cancelled:
            component["STATUS"] = icalendar.vText("CANCELLED")
    return calendar


def registration_calendar(
    registration,
    page,
    *,
    cancelled: bool = False,
    also_cancel: datetime | None = None,
    description: str = "",
) -> str | None:
    """The registered date (or series) as iCalendar text in the event's zone; ``None`` if none.

    ``cancelled``: the date (a series registration: every date) is written as cancelled.
    ``also_cancel``: the series start of a date whose entry of this registration is written as
    cancelled too: the date an organiser moved the person away from.
    ``description``: text added to the entry (the online link for those with a seat).
    """
    host = host_of(page)
    sequence = sequence_of(registration)
    if registration.date.original_start is None:
        calendar = _series_calendar(page, cancelled=cancelled, sequence=sequence, host=host)
        if not calendar.walk("VEVENT"):
            return None
        return calendar.to_ical().decode()
    calendar = _calendar(page)
    original = registration.date.original_start
    events = [
        date_event(
            registration,
            page,
            original,
            cancelled=cancelled,
            sequence=sequence,
            description=description,
            host=host,
        )
    ]
    if also_cancel is not None and also_cancel != original:
        old = date_event(
            registration, page, also_cancel, cancelled=True, sequence=sequence, host=host
        )
        events.append(old)
    tzids = {event["DTSTART"].params.get("TZID") for event in events} - {None, "UTC"}
    for tzid in sorted(tzids):
        zone = vtimezone(tzid)
        if zone is not None:
            calendar.add_component(icalendar.Timezone.from_ical(zone))
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical().decode()
