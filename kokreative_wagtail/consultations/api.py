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
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from ninja import Field, Path, Router, Schema
from ninja.decorators import decorate_view
from wagtail.models import Page, Site

from ..api_utils import MAX_ID, APIError, ErrorSchema, check_query_parameters
from ..conf import get_setting
from ..csrf import csrf_failure
from ..hygiene import JSONTooDeepError, bad_strings, loads_bounded
from ..queries import in_site, public_q
from ..request_language import answer_in
from .abstract import ConsultationFormPageMixin
from .form_json import choice_values, form_schema, json_to_form_data
from .spam import HONEYPOT_FIELD, TOKEN_FIELD
from .submissions import handle_submission

try:  # django-ninja >= 1.6; older versions take a (status, body) tuple
    from ninja import Status
except ImportError:  # pragma: no cover
    Status = None

router = Router(tags=["forms"])


class ChoiceSchema(Schema):
    value: str = Field(
        ..., description="Send this in a submission; the same in every language of the form."
    )
    label: str = Field(..., description="Text to show, in the form's language.")


class FormFieldSchema(Schema):
    name: str = Field(..., description="Key of the value in `fields` of a submission.")
    type: str = Field(
        ...,
        description="Wagtail form field type: singleline, multiline, email, number, url, "
        "checkbox, checkboxes, dropdown, multiselect, radio, date, datetime, hidden.",
    )
    label: str
    help_text: str
    required: bool
    choices: list[ChoiceSchema] = Field(
        ..., description="Allowed values with their labels (choice types only, else empty)."
    )
    default: str | bool | list[str] | None = Field(
        ..., description="Initial value; for choice fields the choice value(s)."
    )
    max_length: int | None


class ConsentSchema(Schema):
    name: str = Field(..., description="Send `true` under this key in `fields`.")
    text: str
    privacy_url: str | None = Field(..., description="The site's privacy policy page.")
    required: bool


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


def read_json_body(request) -> dict[str, Any]:
    limit = get_setting("FORM_MAX_BODY_BYTES")
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise APIError(
            _("The request body is larger than %(limit)d bytes.") % {"limit": limit}, status=413
        )
    content_type = (request.content_type or "").lower()
    if content_type != "application/json":
        raise APIError(_("Send the submission as application/json."), status=415)
    body = request.body
    if len(body) > limit:
        raise APIError(
            _("The request body is larger than %(limit)d bytes.") % {"limit": limit}, status=413
        )
    try:
        data = loads_bounded(body, parse_constant=_reject_constant)
    except JSONTooDeepError as exc:
        raise APIError(_("The request body is not valid JSON."), {"body": [str(exc)]}) from None
    except (ValueError, UnicodeDecodeError):
        raise APIError(_("The request body is not valid JSON.")) from None
    if not isinstance(data, dict):
        raise APIError(_("The request body must be a JSON object."))
    # NUL, lone surrogates, control characters: a 400 naming the field, never stored. Tab and
    # line breaks pass here; the form refuses them in single-line fields.
    errors: dict[str, list[str]] = {}
    for path, message in bad_strings(data):
        key = path[1] if len(path) > 1 and path[0] == "fields" else (path[0] if path else "body")
        errors.setdefault(key, []).append(message)
    if errors:
        raise APIError(_("Invalid request."), errors)
    return data


def _reject_constant(name: str):
    raise ValueError(f"{name} is not allowed")


def check_browser_csrf(request) -> None:
    """Requests carrying the site's cookies are checked like any browser POST of the site; a
    failure names its real cause (untrusted origin, missing cookie or token, see ``csrf``)."""

    cookies = request.COOKIES
    has_cookies = settings.SESSION_COOKIE_NAME in cookies or settings.CSRF_COOKIE_NAME in cookies
    if not has_cookies:
        return
    message = csrf_failure(request)
    if message is not None:
        raise APIError(message, status=403)


def validation_errors(exc: pydantic.ValidationError) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ())]
        if error.get("type") == "extra_forbidden":
            message = _("Unknown field.")
        else:
            message = str(error.get("msg", _("Invalid value.")))
        # A value inside "fields" is reported under its field name, as form errors are.
        key = loc[1] if len(loc) > 1 and loc[0] == "fields" else (loc[0] if loc else "body")
        errors.setdefault(key, []).append(message)
    return errors


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
