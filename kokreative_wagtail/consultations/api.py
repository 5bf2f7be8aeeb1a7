"""``GET forms/{page_id}`` (the form's schema) and ``POST forms/{page_id}/submissions`` (JSON).

A JSON submission runs the same rate limit, spam guard and form validation as the HTML form
(``submissions.handle_submission``). Browser safety (see docs/forms.md):

- the body must be ``application/json``, which a cross-site HTML form cannot send and cross-site
  scripts can only send after a CORS preflight the site does not allow;
- a request that carries the site's session or CSRF cookie must pass Django's CSRF check
  (``X-CSRFToken`` header), as any other browser POST of the site;
- every submission carries the signed token from ``GET forms/{page_id}``, which also starts the
  minimum fill time.

Every response is ``Cache-Control: no-store``; the body is limited to ``FORM_MAX_BODY_BYTES``.
"""

from __future__ import annotations

from typing import Any

import pydantic
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from ninja import Field, Path, Router, Schema
from ninja.decorators import decorate_view
from wagtail.models import Page, Site

from ..api_utils import MAX_ID, APIError, ErrorSchema, check_query_parameters
from ..json_body import check_browser_csrf, read_json_body, validation_errors
from ..queries import in_site, public_q
from ..request_language import answer_in
from ..schemas import ConsentSchema, FormFieldSchema
from ..spam import HONEYPOT_FIELD, TOKEN_FIELD
from .abstract import ConsultationFormPageMixin
from .form_json import choice_values, form_schema, json_to_form_data
from .submissions import handle_submission

try:  # django-ninja >= 1.6; older versions take a (status, body) tuple
    from ninja import Status
except ImportError:  # pragma: no cover
    Status = None

router = Router(tags=["forms"])


class FormSchema(Schema):
    id: int
    title: str
    locale: str = Field(..., description="Language code of the form page (e.g. `de`).")
    fields: list[FormFieldSchema]
    consent: ConsentSchema
    submit_label: str
    token: str = Field(
        ...,
        description="Send it back as `token`; starts the minimum fill time (signed, stateless).",
    )
    min_fill_seconds: float


class SubmissionIn(Schema):
    """A submission: field values by name, the token of the form, the honeypot's value."""

    model_config = pydantic.ConfigDict(extra="forbid")

    fields: dict[str, str | bool | float | list[str] | None] = Field(
        ...,
        description="Values by field name: text for text, e-mail, URL, date (YYYY-MM-DD) and "
        "date/time fields; the choice `value` for dropdown and radio fields (its `label` is "
        "accepted too); true/false for a checkbox and the consent; a list of choice values for "
        "checkboxes and multi-selects; a number for number fields.",
    )
    token: str = Field(..., max_length=500, description="`token` from GET forms/{page_id}.")
    honeypot: str = Field(
        "",
        max_length=255,
        description="Value of the front end's hidden trap field; must be empty.",
    )


class _SubmissionBody(SubmissionIn):
    """What is checked at run time: field values are type-checked per field afterwards."""

    fields: dict[str, Any]


class SubmissionOut(Schema):
    detail: str
    thank_you_text: str = Field(..., description="HTML of the editor's thank-you text.")


PAGE_ID = Path(..., ge=1, le=MAX_ID, description="Id of the consultation form page.")


def form_language(request, page) -> str:
    """A form answers in its page's language: its labels are in it, so its messages and field
    errors are too, whatever language the request prefers (an English form in a browser that
    prefers German)."""
    language = page.locale.language_code
    answer_in(request, language)
    return language


def find_form_page(request, page_id: int):
    """The live, public consultation form page ``page_id`` of the requesting site, else 404."""

    page = Page.objects.live().filter(public_q(), pk=page_id).first()
    page = page.specific if page is not None else None
    if not isinstance(page, ConsultationFormPageMixin):
        raise APIError(_("No form with this id."), status=404)
    site = Site.find_for_request(request)
    if site is not None and not in_site(page, site):
        raise APIError(_("No form with this id."), status=404)
    return page


@router.get(
    "/forms/{page_id}",
    response={200: FormSchema, 404: ErrorSchema, 400: ErrorSchema},
    summary="The fields of a form, its privacy consent and a fresh form token",
    operation_id="get_form",
)
@decorate_view(never_cache)
def get_form(request, page_id: int = PAGE_ID):
    """Live, public consultation form pages of the requesting site only, in the page's language.

    Takes no query parameter but ``locale``; others are a 400.
    """
    check_query_parameters(request, extra=("locale",))
    page = find_form_page(request, page_id)
    with translation.override(form_language(request, page)):
        return form_schema(page, request)


@router.post(
    "/forms/{page_id}/submissions",
    response={
        201: SubmissionOut,
        400: ErrorSchema,
        403: ErrorSchema,
        404: ErrorSchema,
        413: ErrorSchema,
        415: ErrorSchema,
        429: ErrorSchema,
    },
    summary="Send a form as JSON",
    operation_id="submit_form",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": SubmissionIn.model_json_schema()}},
        }
    },
)
@decorate_view(never_cache)
def submit_form(request, page_id: int = PAGE_ID):
    """Validated exactly like the HTML form; answers 201, 400 with field errors, or 429.

    Nothing is stored unless everything passes. Errors are
    ``{"detail": ..., "errors": {field: [messages]}}``. Messages are in the form page's language.
    """
    check_browser_csrf(request)
    body = read_json_body(request)
    page = find_form_page(request, page_id)
    with translation.override(form_language(request, page)):
        return _submit(request, page, body)


def _submit(request, page, body: dict[str, Any]):

    try:
        payload = _SubmissionBody.model_validate(body)
    except pydantic.ValidationError as exc:
        raise APIError(_("Invalid request."), validation_errors(exc)) from None

    data, errors = json_to_form_data(page.get_form_class(), payload.fields, choice_values(page))
    if errors:
        raise APIError(_("Invalid request."), errors)
    data[TOKEN_FIELD] = payload.token
    data[HONEYPOT_FIELD] = payload.honeypot

    result = handle_submission(page, data, request)
    if result.status == 429:
        raise APIError(result.message, status=429, headers={"Retry-After": str(result.retry_after)})
    if not result.ok:
        raise APIError(result.message, result.errors, status=result.status)
    answer = {
        "detail": _("Thank you, your request has been sent."),
        "thank_you_text": page.get_thank_you_html(),
    }
    return Status(201, answer) if Status is not None else (201, answer)
