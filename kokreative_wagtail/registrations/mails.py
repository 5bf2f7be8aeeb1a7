"""The e-mails of a registration, rendered into the outbox in the transaction of the change.

Each is a plain-text template ``kokreative_wagtail/registrations/mail/<kind>.txt`` (a site
overrides it like any template), rendered in the language of the page the person registered on;
the first line is the subject. Times are written in the event's zone. Mails about a seat carry
the date as an .ics attachment (``ics.py``); a mail that takes a seat or a date away carries it
as cancelled, if the person got the entry before. Every mail has the link to cancel (its page
also says where the registration stands).
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import Enum

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext

from ..conf import get_setting
from ..events.choices import OnlineLinkVisibility
from ..events.series import DEFAULT_ZONE, get_zone, occurrence_at
from ..outbox.tasks import schedule, store
from . import links
from .choices import Status
from .ics import had_calendar, registration_calendar


class Kind(str, Enum):
    PENDING = "pending"  # confirm your address
    CONFIRMED = "confirmed"  # your seat (.ics)
    WAITING = "waiting"  # on the waiting list
    FULL = "full"  # address confirmed, no seat left
    PROMOTED = "promoted"  # a seat came free for you (.ics)
    CANCELLED = "cancelled"  # your cancellation
    CANCELLED_BY_EDITOR = "cancelled_by_editor"
    MOVED_BY_EDITOR = "moved_by_editor"  # an organiser moved you to another date (.ics)
    DATE_CANCELLED = "date_cancelled"  # the date was cancelled (.ics with STATUS:CANCELLED)
    DATE_MOVED = "date_moved"  # the date has a new time (.ics)
    EVENT_WITHDRAWN = "event_withdrawn"  # the event page was unpublished
    REMINDER = "reminder"  # shortly before the date (.ics)

    @classmethod
    def for_status(cls, status: str) -> Kind:
        return {
            Status.PENDING: cls.PENDING,
            Status.CONFIRMED: cls.CONFIRMED,
            Status.WAITING: cls.WAITING,
            Status.FULL: cls.FULL,
            Status.CANCELLED: cls.CANCELLED,
        }[Status(status)]


#: Kinds that put the date into the person's calendar (only for someone with a seat).
WITH_SEAT_CALENDAR = frozenset(
    {Kind.CONFIRMED, Kind.PROMOTED, Kind.MOVED_BY_EDITOR, Kind.DATE_MOVED, Kind.REMINDER}
)
#: Kinds that take the date out of it again (for someone who got the entry before).
CANCELLING_CALENDAR = frozenset(
    {Kind.DATE_CANCELLED, Kind.EVENT_WITHDRAWN, Kind.CANCELLED, Kind.CANCELLED_BY_EDITOR}
)
#: Kinds that may carry the date as an .ics attachment.
WITH_CALENDAR = WITH_SEAT_CALENDAR | CANCELLING_CALENDAR
#: Kinds about having no seat for the date (no online link in them).
WITHOUT_SEAT = frozenset(
    {
        Kind.PENDING,
        Kind.WAITING,
        Kind.FULL,
        Kind.DATE_CANCELLED,
        Kind.EVENT_WITHDRAWN,
        Kind.CANCELLED,
        Kind.CANCELLED_BY_EDITOR,
    }
)
#: What the earlier time of a moved date is called in ``extra`` by its callers.
PREVIOUS_START_KEYS = ("old_start", "previous_start", "moved_from")

ATTACHMENT_NAME = "termin.ics"


def template_name(kind: Kind) -> str:
    return f"kokreative_wagtail/registrations/mail/{kind.value}.txt"


def when_text(start: datetime, end: datetime | None, zone, all_day: bool = False) -> str:
    """A date and its times in ``zone`` and the active language ("Thursday, 14 January 2027,
    16:30–18:00"); the zone is named unless it is the default one."""
    local_start = timezone.localtime(start, zone)
    day = f"{date_format(local_start, 'l')}, {date_format(local_start, 'DATE_FORMAT')}"
    if all_day:
        return day
    text = f"{day}, {time_format(local_start, 'TIME_FORMAT')}"
    if end is not None and end > start:
        local_end = timezone.localtime(end, zone)
        if local_end.date() == local_start.date():
            text += f"–{time_format(local_end, 'TIME_FORMAT')}"
        else:
            text += (
                f" – {date_format(local_end, 'DATE_FORMAT')}, "
                f"{time_format(local_end, 'TIME_FORMAT')}"
            )
    if zone.key != DEFAULT_ZONE:
        text += f" ({zone.key})"
    return text


def place_text(name: str, address: str) -> str:
    parts = [name.strip()] if name and name.strip() else []
    parts += [line.strip() for line in (address or "").splitlines() if line.strip()]
    return ", ".join(parts)


def online_link(registration, page, kind: Kind) -> str:
    """The online link for someone with a seat, where the organisers send it to participants
    (or the page shows it anyway); empty otherwise."""
    url = getattr(page, "online_url", "")
    if not url or kind in WITHOUT_SEAT or registration.status != Status.CONFIRMED:
        return ""
    if page.online_link_visibility == OnlineLinkVisibility.REGISTERED:
        return url
    return url if page.online_link_visible() else ""


def _occurrence(registration, page, extra: dict):
    """The date the mail is about: the caller's, the registration's, or the series' next."""
    if extra.get("occurrence") is not None:
        return extra["occurrence"]
    original = registration.date.original_start
    if original is not None:
        return occurrence_at(page, original)
    return next((o for o in page.get_upcoming_occurrences(limit=5) if not o.cancelled), None)


def mail_context(registration, page, kind: Kind, extra: dict | None = None) -> dict:
    """What every mail template gets (render it in the page's language)."""
    extra = extra or {}
    zone = get_zone(page.time_zone)
    occurrence = _occurrence(registration, page, extra)
    original = registration.date.original_start
    if occurrence is not None:
        when = when_text(occurrence.start, occurrence.end, zone, page.all_day)
        place = place_text(occurrence.location_name, occurrence.location_address)
    else:
        start = next((extra[k] for k in PREVIOUS_START_KEYS if extra.get(k)), original)
        when = when_text(start, None, zone, page.all_day) if start else ""
        place = place_text(page.location_name, page.location_address)
    previous = next((extra[k] for k in PREVIOUS_START_KEYS if extra.get(k)), None)
    return {
        "registration": registration,
        "page": page,
        "page_url": page.get_full_url(),
        "cancel_url": links.cancel_url(registration, page),
        "confirm_url": links.confirm_url(registration, page),
        "confirm_hours": get_setting("REGISTRATION_CONFIRM_HOURS"),
        "is_series": original is None,
        "when": when,
        "old_when": when_text(previous, None, zone, page.all_day) if previous else "",
        "place": place,
        "note": getattr(occurrence, "note", "") if occurrence is not None else "",
        "online_url": online_link(registration, page, kind),
        "has_seat": registration.status == Status.CONFIRMED and kind not in WITHOUT_SEAT,
        **extra,
    }


def _tidy(text: str) -> str:
    """No trailing spaces, at most one empty line in a row (template tags leave gaps)."""
    text = "\n".join(line.rstrip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def calendar_for(registration, page, kind: Kind, context: dict):
    """``(filename, text, mimetype)`` for the mail of ``kind``, or ``None``."""
    if kind in WITH_SEAT_CALENDAR:
        if registration.status != Status.CONFIRMED:
            return None  # no seat: nothing for the calendar
        cancelled = False
    elif kind in CANCELLING_CALENDAR:
        if not had_calendar(registration):
            return None
        # one cancelled date of a series is an EXDATE of the series the person keeps
        cancelled = not (kind == Kind.DATE_CANCELLED and context["is_series"])
    else:
        return None
    description = ""
    if context["online_url"]:
        description = f"{gettext('Online link:')} {context['online_url']}"
    text = registration_calendar(
        registration,
        page,
        cancelled=cancelled,
        also_cancel=context.get("moved_from") if kind == Kind.MOVED_BY_EDITOR else None,
        description=description,
    )
    return (ATTACHMENT_NAME, text, "text/calendar") if text else None


def build(registration, kind: Kind, extra: dict | None = None) -> EmailMessage:
    """The e-mail of ``kind`` to the person of ``registration``, in their page's language."""
    page = registration.page.specific
    language = getattr(getattr(page, "locale", None), "language_code", None)
    with translation.override(language or settings.LANGUAGE_CODE):
        context = mail_context(registration, page, kind, extra)
        subject, _newline, body = _tidy(render_to_string(template_name(kind), context)).partition(
            "\n"
        )
        message = EmailMessage(
            subject=" ".join(subject.split()), body=body.strip() + "\n", to=[registration.email]
        )
        attachment = calendar_for(registration, page, kind, context)
        if attachment is not None:
            message.attach(*attachment)
    return message


def calendar_attachment(registration, page, *, cancelled: bool = False):
    """``(filename, text, mimetype)`` of the registration's date(s), or ``None``."""
    text = registration_calendar(registration, page, cancelled=cancelled)
    return (ATTACHMENT_NAME, text, "text/calendar") if text else None


def queue(registration, kind: Kind, extra: dict | None = None) -> None:
    """Store the e-mail in the outbox now and send it after the commit."""
    notification = store(
        registration, build(registration, kind, extra), page_id=registration.page_id
    )
    schedule([notification.pk])
