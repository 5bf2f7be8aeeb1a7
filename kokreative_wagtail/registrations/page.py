"""The registration section of an event page and its form's POST, without JavaScript.

The events app calls ``event_page_context`` from ``EventPageMixin.get_context`` and hands a
POST to ``event_page_post`` (providers declared in ``apps.py``). The POST goes through the one
submission path (``submission.handle_registration``) and renders the page again: with the
outcome as a status message, or with the form, its errors and an error summary. As the
consultation forms do it: field errors answer 200, the spam guard 400, closed or full 409, the
rate limit 429 with ``Retry-After``. A response with the form holds a form token and perhaps
what the visitor typed, so it is never cached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from .. import spam
from . import dates
from .choices import Mode, Status
from .forms import CONSENT_FIELD, DATE_FIELD, EMAIL_FIELD, NAME_FIELD, ORGANISATION_FIELD
from .submission import RegistrationResult, get_form, handle_registration

SECTION_TEMPLATE = "kokreative_wagtail/registrations/event_registration.html"
#: The context key that asks ``EventPageMixin.serve`` for ``Cache-Control: no-store``.
NEVER_CACHE = "never_cache"
#: Where ``event_page_post`` leaves its result for ``event_page_context`` on the request.
RESULT_ATTRIBUTE = "_kokreative_registration_result"


@dataclass
class Section:
    """What ``event_registration.html`` shows."""

    options: Any
    states: list
    form: Any = None
    #: ``(radio option, DateState)`` of the dates offered, for the date fieldset.
    date_options: list = field(default_factory=list)
    #: The error summary's title (form errors, spam guard, closed, full, rate limit).
    error: str = ""
    #: What happened to a registration just taken (role="status").
    success: str = ""
    series: bool = False

    @property
    def accepts(self) -> bool:
        return any(state.accepts for state in self.states)

    @property
    def submit_label(self) -> str:
        offered = [state for state in self.states if state.accepts]
        if offered and all(state.state == dates.State.WAITING_LIST for state in offered):
            return _("Join the waiting list")
        return _("Register")

    @property
    def main_fields(self) -> list:
        """Name, e-mail address and organisation, in this order (those the form has)."""
        if self.form is None:
            return []
        names = (NAME_FIELD, EMAIL_FIELD, ORGANISATION_FIELD)
        return [self.form[name] for name in names if name in self.form.fields]

    @property
    def consent_field(self):
        return self.form[CONSENT_FIELD] if self.form is not None else None

    @property
    def date_field(self):
        if self.form is None or DATE_FIELD not in self.form.fields:
            return None
        return self.form[DATE_FIELD]

    @property
    def token_field(self):
        return self.form[spam.TOKEN_FIELD] if self.form is not None else None

    @property
    def honeypot_field(self):
        return self.form[spam.HONEYPOT_FIELD] if self.form is not None else None


def success_message(registration) -> str:
    """What the visitor is told after a registration was taken."""
    if registration.status == Status.PENDING:
        return _("Please confirm your address: we sent you an e-mail.")
    if registration.status == Status.WAITING:
        return _(
            "You are on the waiting list. We sent you an e-mail and will write again as soon "
            "as a seat comes free for you."
        )
    return _(
        "Your registration is confirmed. We sent you an e-mail with the date and a link to cancel."
    )


def _date_options(form, states) -> list:
    if form is None or DATE_FIELD not in form.fields:
        return []
    by_scope = {state.scope: state for state in states}
    return [
        (option, by_scope.get(option.data["value"]))
        for option in form[DATE_FIELD]
        if option.data["value"] in by_scope
    ]


def event_page_context(page, request, context: dict) -> None:
    """Add the registration section of ``page`` (nothing for a page without registration)."""
    options = dates.options_for(page)
    if options is None:
        return
    states = dates.date_states(page, options)
    result: RegistrationResult | None = getattr(request, RESULT_ATTRIBUTE, None)
    section = Section(options=options, states=states, series=options.mode == Mode.SERIES)
    if result is not None and result.ok:
        section.success = success_message(result.registration)
    elif result is not None:
        section.error = result.message
        section.form = result.form
    if section.form is None and section.accepts:
        section.form = get_form(page, options, states, request=request)
    section.date_options = _date_options(section.form, states)
    if section.form is not None:
        # the form carries a token (and after a POST what the visitor typed): no shared cache
        context[NEVER_CACHE] = True
    context["registration"] = section
    context.setdefault("contributed_sections", []).append(SECTION_TEMPLATE)


def _fresh_token(form, page) -> None:
    """Give a re-rendered form a new token where the old one cannot pass again."""
    form.data = form.data.copy()
    form.data[spam.TOKEN_FIELD] = spam.make_token(page.pk)


def event_page_post(page, request, *args, **kwargs):
    """Take a registration from the page's form and render the page with the outcome."""
    if dates.options_for(page) is None:
        return HttpResponseNotAllowed(["GET", "HEAD"])
    result = handle_registration(page, request.POST, request)
    if result.ok:
        status = 200
    elif result.status == 400 and result.verdict is None:
        status = 200  # field errors: the form again, as the consultation forms answer
    else:
        status = result.status
    if result.form is not None and result.verdict in (
        spam.Verdict.EXPIRED,
        spam.Verdict.INVALID_TOKEN,
    ):
        _fresh_token(result.form, page)
    setattr(request, RESULT_ATTRIBUTE, result)
    response = TemplateResponse(
        request,
        page.get_template(request, *args, **kwargs),
        page.get_context(request, *args, **kwargs),
        status=status,
    )
    add_never_cache_headers(response)
    if result.retry_after:
        response["Retry-After"] = str(result.retry_after)
    return response
