"""Registration for the dates of an event page, as JSON.

- ``GET events/{page_id}/registration``: the fields, the privacy consent, the dates with seats
  left and state, and a fresh form token;
- ``POST events/{page_id}/registrations``: register (201 with the registration's status);
- ``POST registrations/lookup``, ``…/confirm``, ``…/cancel``: what a token of a registration's
  e-mail names, confirming the address, cancelling. The token travels in the body, not in the
  path, so that it stays out of access logs.

A JSON registration passes the same rate limit, spam guard, form and seat decision as the event
page's HTML form (``submission.handle_registration``), with the browser safety of the JSON form
submissions (``json_body``: ``application/json`` only, bounded, CSRF when the site's cookies
come along). Every answer is ``Cache-Control: no-store`` and in the event page's language.
"""

from __future__ import annotations

from typing import Any, Literal

import pydantic
from django.db.models import prefetch_related_objects
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from ninja import Field, Path, Router, Schema
from ninja.decorators import decorate_view
from wagtail.models import Page, Site

from ..api_utils import (
    DATETIME_DESCRIPTION,
    MAX_ID,
    APIError,
    DateTimeOut,
    ErrorSchema,
    check_query_parameters,
)
from ..conf import get_setting
from ..json_body import check_browser_csrf, read_json_body, validation_errors
from ..queries import in_site, public_q
from ..request_language import answer_in
from ..schemas import ConsentSchema, FormFieldSchema
from ..spam import HONEYPOT_FIELD, TOKEN_FIELD, make_token
from . import actions, dates
from .choices import Mode, Status
from .form_json import (
    choice_values,
    consent_representation,
    date_representation,
    fields_representation,
    form_data,
)
from .forms import DATE_FIELD, registration_form_class
from .submission import handle_registration
from .tokens import Purpose

try:  # django-ninja >= 1.6; older versions take a (status, body) tuple
    from ninja import Status as NinjaStatus
except ImportError:  # pragma: no cover
    NinjaStatus = None

router = Router(tags=["registrations"])

StateValue = Literal["open", "waiting_list", "full", "closed", "not_open", "cancelled"]
StatusValue = Literal["pending", "confirmed", "waiting", "cancelled", "full"]


class DateSchema(Schema):
    date: str | None = Field(
        ...,
        description="Send this as `date` to register for this date: the start the series gave "
        "it, in UTC (`YYYY-MM-DDTHH:MM:SSZ`; a moved date keeps it). Null for the whole series.",
    )
    start: DateTimeOut | None = Field(
        ...,
        description="Start (a moved date: the new one; the series: its next date); null when "
        f"the series has no further date. {DATETIME_DESCRIPTION}",
    )
    end: DateTimeOut | None
    time_zone: str = Field(..., description="The event's zone (IANA name), for local display.")
    seats: int = Field(..., description="Seats of this date (or of the series).")
    seats_left: int
    waiting: int = Field(..., description="People on the waiting list.")
    state: StateValue = Field(
        ...,
        description="open: seats left; waiting_list: full, registrations go on the waiting "
        "list; full: full, no waiting list; closed: registration has closed (or the date is "
        "past); not_open: registration opens at `opens_at`; cancelled: the date is cancelled. "
        "Only open and waiting_list take registrations.",
    )
    label: str = Field(..., description="The state as text, in the event's language.")
    opens_at: DateTimeOut | None = Field(
        ..., description="When registration opens; null: as soon as the event is published."
    )
    closes_at: DateTimeOut | None = Field(..., description="When registration closes.")


class EventRegistrationSchema(Schema):
    page_id: int
    title: str
    locale: str = Field(..., description="Language code of the event page (e.g. `de`).")
    mode: Literal["date", "series"] = Field(
        ...,
        description="date: one registers for one of `dates`; series: one registration covers "
        "every date (send no `date`).",
    )
    waiting_list: bool = Field(..., description="Whether a full date keeps a waiting list.")
    fields: list[FormFieldSchema]
    consent: ConsentSchema
    dates: list[DateSchema] = Field(
        ..., description="The next dates (at most 12), or the series as one entry."
    )
    token: str = Field(
        ...,
        description="Send it back as `token`; starts the minimum fill time (signed, stateless).",
    )
    min_fill_seconds: float


class RegistrationIn(Schema):
    """A registration: the date, field values by name, the form token, the honeypot's value."""

    model_config = pydantic.ConfigDict(extra="forbid")

    date: str | None = Field(
        None,
        max_length=40,
        description="`date` of one of the dates that take registrations; omit (or null) when "
        "`mode` is series.",
    )
    fields: dict[str, str | bool | float | list[str] | None] = Field(
        ...,
        description="Values by field name: name, email, organisation (where asked), the "
        "event's further fields (text, the choice `value`, true/false, a list of choice "
        "values, a number) and `privacy_consent: true`.",
    )
    token: str = Field(
        ..., max_length=500, description="`token` from GET events/{page_id}/registration."
    )
    honeypot: str = Field(
        "", max_length=255, description="Value of the front end's hidden trap field; must be empty."
    )


class _RegistrationBody(RegistrationIn):
    """What is checked at run time: field values are type-checked per field afterwards."""

    fields: dict[str, Any]


class RegistrationOut(Schema):
    status: StatusValue = Field(
        ...,
        description="pending: waits for the e-mail address to be confirmed (the link in the "
        "e-mail); confirmed: a seat is taken; waiting: on the waiting list.",
    )
    detail: str = Field(..., description="What happened, for people, in the event's language.")


class RegistrationConflictSchema(ErrorSchema):
    code: Literal["closed", "full", "already_registered"] = Field(
        ...,
        description="closed: the date takes no registrations (any more); full: no seat and no "
        "waiting list; already_registered: this e-mail address is registered for the date.",
    )


class TokenIn(Schema):
    model_config = pydantic.ConfigDict(extra="forbid")

    token: str = Field(
        ...,
        max_length=200,
        description="The token of the link in a registration's e-mail (the last part of its path).",
    )


class RegisteredEventSchema(Schema):
    page_id: int
    title: str


class RegistrationStateSchema(Schema):
    status: StatusValue = Field(
        ...,
        description="pending, confirmed, waiting; cancelled; full: the address was confirmed "
        "when no seat and no waiting list was left (or registration had closed).",
    )
    detail: str = Field(..., description="Where the registration stands, for people.")
    event: RegisteredEventSchema
    date: DateSchema | None = Field(
        ..., description="The date (or the series) and where it stands; null if it is gone."
    )


PAGE_ID = Path(..., ge=1, le=MAX_ID, description="Id of the event page.")
TOKEN_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": TokenIn.model_json_schema()}},
    }
}


def status_message(status: str) -> str:
    """Where a registration stands, for the person who registered."""
    messages = {
        Status.PENDING: _(
            "Almost done: we sent you an e-mail. Please confirm your e-mail address with its "
            "link; your registration counts from then on."
        ),
        Status.CONFIRMED: _(
            "You are registered: a seat is reserved for you. The e-mail we sent you has the "
            "date and a link to cancel."
        ),
        Status.WAITING: _(
            "All seats are taken: you are on the waiting list. We will tell you by e-mail when "
            "a seat comes free for you."
        ),
        Status.CANCELLED: _("This registration is cancelled."),
        Status.FULL: _(
            "Registration closed or all seats were taken before your e-mail address was "
            "confirmed: the registration could not be taken."
        ),
    }
    return messages[Status(status)]


def page_language(request, page) -> str:
    """An event answers in its page's language: labels, states and messages alike."""
    language = page.locale.language_code
    answer_in(request, language)
    return language


#: What an event's registration reads of its page's child rows.
PREFETCHED = ("registration_options", "registration_fields", "overrides")


def find_event_page(request, page_id: int):
    """The live, public event page ``page_id`` of the requesting site that takes
    registrations, and its registration options; else 404."""
    page = Page.objects.live().filter(public_q(), pk=page_id).first()
    page = page.specific if page is not None else None
    if page is not None:
        # the options, the fields and the dates' changes: read once, each by everything using it
        lookups = [name for name in PREFETCHED if hasattr(page, name)]
        prefetch_related_objects([page], *lookups)
    options = dates.options_for(page) if page is not None else None
    site = Site.find_for_request(request)
    if options is None or (site is not None and not in_site(page, site)):
        raise APIError(_("No event with registration has this id."), status=404)
    return page, options


def _created(status: int, body: dict[str, Any]):
    return NinjaStatus(status, body) if NinjaStatus is not None else (status, body)


@router.get(
    "/events/{page_id}/registration",
    response={200: EventRegistrationSchema, 400: ErrorSchema, 404: ErrorSchema},
    summary="How to register for an event: fields, consent, dates with seats, a form token",
    operation_id="get_event_registration",
)
@decorate_view(never_cache)
def get_event_registration(request, page_id: int = PAGE_ID):
    """Live, public event pages of the requesting site that take registrations, in the page's
    language. Takes no query parameter but ``locale``; others are a 400."""
    check_query_parameters(request, extra=("locale",))
    page, options = find_event_page(request, page_id)
    with translation.override(page_language(request, page)):
        states = dates.date_states(page, options)
        form_class = registration_form_class(page, options, states, request)
        return {
            "page_id": page.pk,
            "title": page.title,
            "locale": page.locale.language_code,
            "mode": options.mode,
            "waiting_list": options.waiting_list,
            "fields": fields_representation(page, form_class),
            "consent": consent_representation(page, options, request),
            "dates": [date_representation(state, page.time_zone) for state in states],
            "token": make_token(page.pk),
            "min_fill_seconds": float(get_setting("FORM_MIN_FILL_SECONDS")),
        }


@router.post(
    "/events/{page_id}/registrations",
    response={
        201: RegistrationOut,
        400: ErrorSchema,
        403: ErrorSchema,
        404: ErrorSchema,
        409: RegistrationConflictSchema,
        413: ErrorSchema,
        415: ErrorSchema,
        429: ErrorSchema,
    },
    summary="Register for a date of an event (or its whole series)",
    operation_id="register_for_event",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": RegistrationIn.model_json_schema()}},
        }
    },
)
@decorate_view(never_cache)
def register_for_event(request, page_id: int = PAGE_ID):
    """Checked exactly like the event page's form: 201 with the status, 400 with field errors,
    409 with a ``code`` when the date is closed or full (without a waiting list) or the address
    is already registered, 429 over the rate limit. Nothing is stored unless everything passes.
    """
    check_browser_csrf(request)
    body = read_json_body(request)
    page, options = find_event_page(request, page_id)
    with translation.override(page_language(request, page)):
        return _register(request, page, options, body)


def _register(request, page, options, body: dict[str, Any]):
    try:
        payload = _RegistrationBody.model_validate(body)
    except pydantic.ValidationError as exc:
        raise APIError(_("Invalid request."), validation_errors(exc)) from None
    # only the fields' types are read here: the dates are checked by the form of the submission
    form_class = registration_form_class(page, options, [], request)
    data, errors = form_data(form_class, payload.fields, choice_values(page))
    if options.mode == Mode.SERIES and payload.date:
        errors[DATE_FIELD] = [_("One registration covers every date of this event: send no date.")]
    if errors:
        raise APIError(_("Invalid request."), errors)
    if payload.date is not None and options.mode == Mode.DATE:
        data[DATE_FIELD] = payload.date
    data[TOKEN_FIELD] = payload.token
    data[HONEYPOT_FIELD] = payload.honeypot

    result = handle_registration(page, data, request)
    if result.status == 429:
        raise APIError(result.message, status=429, headers={"Retry-After": str(result.retry_after)})
    if result.status == 409:
        return _created(409, {"detail": result.message, "errors": {}, "code": result.code})
    if not result.ok:
        raise APIError(result.message, result.errors, status=result.status)
    status = result.registration.status
    return _created(201, {"status": status, "detail": status_message(status)})


def _token(request) -> str:
    check_browser_csrf(request)
    body = read_json_body(request)
    try:
        return TokenIn.model_validate(body).token
    except pydantic.ValidationError as exc:
        raise APIError(_("Invalid request."), validation_errors(exc)) from None


def _not_found() -> APIError:
    return APIError(
        _("This link is not valid (any more). Please use the link of your latest e-mail."),
        status=404,
    )


def _state_answer(request, registration) -> dict[str, Any]:
    """Where ``registration`` stands, in the language of the page it came from."""
    page = registration.page.specific
    with translation.override(page_language(request, page)):
        state = (
            dates.date_state(page, registration.date.original_start)
            if dates.options_for(page) is not None
            else None
        )
        return {
            "status": registration.status,
            "detail": status_message(registration.status),
            "event": {"page_id": page.pk, "title": page.title},
            "date": date_representation(state, page.time_zone) if state is not None else None,
        }


STATE_RESPONSES = {
    200: RegistrationStateSchema,
    400: ErrorSchema,
    403: ErrorSchema,
    404: ErrorSchema,
    413: ErrorSchema,
    415: ErrorSchema,
}


@router.post(
    "/registrations/lookup",
    response=STATE_RESPONSES,
    summary="What a registration's token names: the event, the date and the status",
    operation_id="lookup_registration",
    openapi_extra=TOKEN_BODY,
)
@decorate_view(never_cache)
def lookup_registration(request):
    """Takes the token of either link of the e-mails (confirm or cancel) and changes nothing:
    a front end's cancellation page shows what will be cancelled. 404 for any other text."""
    token = _token(request)
    registration = actions.find(token, Purpose.CANCEL) or actions.find(token, Purpose.CONFIRM)
    if registration is None:
        raise _not_found()
    return _state_answer(request, registration)


@router.post(
    "/registrations/confirm",
    response=STATE_RESPONSES,
    summary="Confirm the e-mail address of a registration (the link of its first e-mail)",
    operation_id="confirm_registration",
    openapi_extra=TOKEN_BODY,
)
@decorate_view(never_cache)
def confirm_registration(request):
    """Takes the confirmation token only. The seat is decided now: ``confirmed``, ``waiting``,
    or ``full`` when registration closed or no seat and no waiting list was left meanwhile.
    Confirming again changes nothing and answers the same."""
    change = actions.confirm(_token(request))
    if change is None:
        raise _not_found()
    return _state_answer(request, change.registration)


@router.post(
    "/registrations/cancel",
    response=STATE_RESPONSES,
    summary="Cancel a registration (the link of its e-mails)",
    operation_id="cancel_registration",
    openapi_extra=TOKEN_BODY,
)
@decorate_view(never_cache)
def cancel_registration(request):
    """Takes the cancellation token only (a confirmation token is a 404). A freed seat goes to
    the first on the waiting list, who is told by e-mail. Cancelling again changes nothing."""
    change = actions.cancel(_token(request))
    if change is None:
        raise _not_found()
    return _state_answer(request, change.registration)
