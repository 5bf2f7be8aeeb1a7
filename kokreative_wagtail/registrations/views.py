"""The pages behind the e-mails' links: confirm the address, cancel the registration.

A GET only shows what the link is for (the event, the date in the event's zone, where the
registration stands) and a button: mail scanners and link previews follow links, and must not
confirm or cancel anything. The POST (CSRF-protected) does it and shows the outcome. Both are
rendered in the language of the page the person registered on and never cached (they name a
person). A token that names nothing (mistyped, another purpose, deleted by the purge) answers
404 with a page that says so.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods

from ..events.series import get_zone
from ..site_base import frame_context
from . import actions, dates
from .choices import ACTIVE, Status
from .tokens import Purpose

CONFIRM_TEMPLATE = "kokreative_wagtail/registrations/confirm.html"
CANCEL_TEMPLATE = "kokreative_wagtail/registrations/cancel.html"


def _language(page) -> str:
    return getattr(getattr(page, "locale", None), "language_code", None) or settings.LANGUAGE_CODE


def _date_of(registration, page) -> dict:
    """The registration's date at its current time (a series: the next one), for the page."""
    state = dates.date_state(page, registration.date.original_start)
    start = state.start if state is not None else registration.date.original_start
    end = state.end if state is not None else None
    return {
        "start": start,
        "end": end,
        "zone": get_zone(page.time_zone),
        "all_day": page.all_day,
        "series": registration.date.original_start is None,
        "date_cancelled": state is not None and state.state == dates.State.CANCELLED,
    }


def _render(request, template: str, context: dict, status: int = 200, language: str = ""):
    """Render now (in ``language``) with the frame of our base template; never cached."""
    with translation.override(language or settings.LANGUAGE_CODE):
        response = render(request, template, {**frame_context(), **context}, status=status)
        response["Content-Language"] = translation.get_language()
    return response


def _invalid(request, template: str):
    return _render(request, template, {"invalid": True}, status=404)


def _page_context(registration, page) -> dict:
    return {
        "registration": registration,
        "event": page,
        "event_url": page.get_url(),
        "date": _date_of(registration, page),
        "status_label": registration.get_status_display(),
    }


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def confirm_view(request, token: str):
    registration = actions.find(token, Purpose.CONFIRM)
    if registration is None:
        return _invalid(request, CONFIRM_TEMPLATE)
    page = registration.page.specific
    language = _language(page)
    before = registration.status
    outcome = ""
    if request.method == "POST" and before == Status.PENDING:
        with translation.override(language):
            change = actions.confirm(token)
        if change is not None:
            registration = change.registration
            outcome = _confirm_outcome(registration.status)
    elif request.method == "POST":
        outcome = _confirm_outcome(before, already=True)
    context = {
        **_page_context(registration, page),
        "can_confirm": registration.status == Status.PENDING,
        "outcome": outcome,
        "already": before != Status.PENDING,
    }
    return _render(request, CONFIRM_TEMPLATE, context, language=language)


def _confirm_outcome(status: str, already: bool = False) -> str:
    if status == Status.CANCELLED:
        return _("This registration was cancelled; it cannot be confirmed any more.")
    if already:
        return _("Your e-mail address was confirmed already; nothing has changed.")
    if status == Status.CONFIRMED:
        return _("Thank you: your e-mail address is confirmed and you have a seat.")
    if status == Status.WAITING:
        return _(
            "Thank you: your e-mail address is confirmed. All seats are taken, so you are on "
            "the waiting list; we will write to you when a seat comes free."
        )
    return _(
        "Thank you for confirming. Unfortunately the date was fully booked or registration "
        "had closed meanwhile, so you have no seat."
    )


@never_cache
@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def cancel_view(request, token: str):
    registration = actions.find(token, Purpose.CANCEL)
    if registration is None:
        return _invalid(request, CANCEL_TEMPLATE)
    page = registration.page.specific
    language = _language(page)
    before = registration.status
    outcome = ""
    if request.method == "POST" and before in ACTIVE:
        with translation.override(language):
            change = actions.cancel(token)
        if change is not None:
            registration = change.registration
            outcome = _("Your registration is cancelled. We sent you an e-mail to confirm it.")
    elif request.method == "POST":
        outcome = _("Nothing was changed.")
    context = {
        **_page_context(registration, page),
        "can_cancel": registration.status in ACTIVE,
        "outcome": outcome,
        "already_cancelled": before == Status.CANCELLED,
        "without_seat": before == Status.FULL,
    }
    return _render(request, CANCEL_TEMPLATE, context, language=language)
