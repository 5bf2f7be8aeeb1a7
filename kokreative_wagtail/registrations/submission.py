"""The one path a registration takes, from the event page's HTML form and from the JSON API.

Rate limit (shared with the consultation forms), spam guard, form validation, the date's state,
then the seat decision (``seats.register``). Only a registration that passes everything uses up
its form token. Nothing here logs what a visitor typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import form_guard, spam
from ..conf import get_setting
from ..form_guard import client_allowed, form_errors, rate_limit_message
from ..spam import Verdict
from . import dates, seats
from .choices import Mode
from .forms import DATE_FIELD, registration_form_class


@dataclass
class RegistrationResult:
    """``status`` 201 (taken), 400 (invalid), 404 (no registration), 409 (closed, full,
    already registered) or 429 (rate limit); ``code`` is stable for API clients."""

    status: int
    form: Any = None
    registration: Any = None
    message: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)
    code: str = ""
    verdict: Verdict | None = None
    retry_after: int | None = None

    @property
    def ok(self) -> bool:
        return self.registration is not None


#: Where a registration's words differ from the other forms' (``form_guard.verdict_message``).
VERDICT_WORDING = {
    Verdict.HONEYPOT: gettext_lazy(
        "Your registration was not sent: a field that must stay empty was filled in, "
        "probably by a form-filling tool. Please empty the field “Leave this field empty” "
        "and send the form again."
    ),
    Verdict.USED: gettext_lazy(
        "This form has already been sent. Load the page again to register once more."
    ),
}


def verdict_message(verdict: Verdict) -> str:
    return form_guard.verdict_message(verdict, VERDICT_WORDING)


def get_form(page, options, states, data=None, request=None):
    """The page's registration form, bound to ``data`` or fresh with a new form token."""
    form_class = registration_form_class(page, options, states, request)
    if data is not None:
        return form_class(data)
    return form_class(initial={spam.TOKEN_FIELD: spam.make_token(page.pk)})


def handle_registration(page, data, request) -> RegistrationResult:
    """Check and take a registration for ``page`` from ``data`` (a QueryDict)."""
    options = dates.options_for(page)
    if options is None:
        return RegistrationResult(
            status=404, message=_("This event takes no registrations."), code="not_found"
        )
    if not client_allowed(request):  # one budget with the site's other forms
        return RegistrationResult(
            status=429,
            message=rate_limit_message(),
            code="rate_limited",
            retry_after=form_guard.retry_after(),
        )
    states = dates.date_states(page, options)
    form = get_form(page, options, states, data, request)
    verdict = form_guard.check(page.pk, data)
    valid = form.is_valid()
    if verdict is not None:
        return RegistrationResult(
            status=400,
            form=form,
            message=verdict_message(verdict),
            errors=form_errors(form) if not valid else {},
            code="spam_guard",
            verdict=verdict,
        )
    if options.mode == Mode.DATE:
        state = _chosen_state(page, options, states, data.get(DATE_FIELD))
    else:
        state = states[0] if states else None
    if not valid:
        closed = state is not None and not state.accepts
        if closed and DATE_FIELD in form.errors and len(form.errors) == 1:
            return _refused(form, state)
        return RegistrationResult(
            status=400,
            form=form,
            message=_("Please correct the marked fields."),
            errors=form_errors(form),
            code="invalid",
        )
    if state is None or not state.accepts:
        return _refused(form, state)
    if not form_guard.consume_token(data):
        form_guard.renew_token(form, page.pk)
        return RegistrationResult(
            status=400,
            form=form,
            message=verdict_message(Verdict.USED),
            code="spam_guard",
            verdict=Verdict.USED,
        )
    try:
        change = seats.register(
            page=page,
            original_start=state.original_start,
            seats=state.seats,
            waiting_list=options.waiting_list,
            double_opt_in=get_setting("REGISTRATION_DOUBLE_OPT_IN"),
            person=form.person(),
        )
    except seats.RegistrationError as error:
        form_guard.release_token(data)  # nothing taken: the token stays good
        return RegistrationResult(
            status=error.status, form=form, message=str(error), code=error.code
        )
    except BaseException:
        form_guard.release_token(data)
        raise
    return RegistrationResult(status=201, form=form, registration=change.registration)


def _chosen_state(page, options, states, value) -> dates.DateState | None:
    """The state of the date a visitor chose, also when it no longer takes registrations."""
    for state in states:
        if state.scope == value:
            return state
    try:
        original = seats.parse_scope(value)
    except (TypeError, ValueError):
        return None
    if original is None:  # "series" names no date of a date event
        return None
    return dates.date_state(page, original, options)


def _refused(form, state) -> RegistrationResult:
    if state is not None and state.state == dates.State.FULL:
        error = seats.Full()
    else:
        error = seats.Closed()
    return RegistrationResult(status=409, form=form, message=str(error), code=error.code)
