"""The e-mails of a registration, rendered into the outbox in the transaction of the change.

Each is a plain-text template ``kokreative_wagtail/registrations/mail/<kind>.txt`` (a site
overrides it like any template), rendered in the language of the page the person registered on;
the first line is the subject. Mails about a seat carry the date as an .ics attachment in the
event's zone (``ics.py``) and every mail a link to cancel.
"""

from __future__ import annotations

from enum import Enum

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from ..outbox.tasks import schedule, store
from . import links
from .choices import Status
from .ics import registration_calendar


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


#: Kinds that carry the date as an .ics attachment.
WITH_CALENDAR = frozenset(
    {
        Kind.CONFIRMED,
        Kind.PROMOTED,
        Kind.MOVED_BY_EDITOR,
        Kind.DATE_MOVED,
        Kind.DATE_CANCELLED,
        Kind.REMINDER,
    }
)


def template_name(kind: Kind) -> str:
    return f"kokreative_wagtail/registrations/mail/{kind.value}.txt"


def build(registration, kind: Kind, extra: dict | None = None) -> EmailMessage:
    """The e-mail of ``kind`` to the person of ``registration``, in their page's language."""
    page = registration.page.specific
    language = getattr(getattr(page, "locale", None), "language_code", None)
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "registration": registration,
            "page": page,
            "page_url": page.get_full_url(),
            "cancel_url": links.cancel_url(registration, page),
            "confirm_url": links.confirm_url(registration, page),
            **(extra or {}),
        }
        subject, _newline, body = (
            render_to_string(template_name(kind), context).strip().partition("\n")
        )
        message = EmailMessage(
            subject=subject.strip(), body=body.strip() + "\n", to=[registration.email]
        )
        if kind in WITH_CALENDAR:
            from_ics = calendar_attachment(
                registration, page, cancelled=kind == Kind.DATE_CANCELLED
            )
            if from_ics is not None:
                message.attach(*from_ics)
    return message


def calendar_attachment(registration, page, *, cancelled: bool = False):
    """``(filename, text, mimetype)`` of the registration's date(s), or ``None``."""
    text = registration_calendar(registration, page, cancelled=cancelled)
    return ("termin.ics", text, "text/calendar") if text else None


def queue(registration, kind: Kind, extra: dict | None = None) -> None:
    """Store the e-mail in the outbox now and send it after the commit."""
    notification = store(
        registration, build(registration, kind, extra), page_id=registration.page_id
    )
    schedule([notification.pk])
