"""``GET consent``, ``GET consent/status`` and ``POST consent``.

``POST consent`` needs Django's CSRF token (``X-CSRFToken`` header, with the ``csrftoken``
cookie) whenever the request carries cookies: a consent given by a forged cross-site request
is no consent. The token comes with ``GET consent/status``, which also sets the cookie; a 403
names the actual cause (see :mod:`kokreative_wagtail.csrf`).

A front end on another site, where our cookies are third-party cookies, sends no cookies at all
from an origin in ``KOKREATIVE["CORS_ALLOWED_ORIGINS"]``: such a request has no ambient
credentials to abuse, so it needs no CSRF token. It keeps the decision as the signed
``consent_token`` of the answer and sends it back as ``X-Consent-Token`` (see
:mod:`.tokens` and docs/cross-origin.md).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Literal

from cookie_consent.conf import settings as consent_settings
from cookie_consent.util import dict_to_cookie_str, parse_cookie_str
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.decorators import decorate_view

from .. import cors
from ..api_utils import APIError, ErrorSchema, check_query_parameters
from ..csrf import csrf_failure
from ..hygiene import JSONTooDeepError, bad_strings, loads_bounded
from .decisions import CONSENT_ID_COOKIE, DecisionError, apply_decision, choices_for
from .state import get_consent_state, groups_version, load_groups
from .tokens import (
    InvalidConsentToken,
    allow_consent_token,
    make_consent_token,
    read_consent_token,
    token_value,
)

router = Router(tags=["consent"])


class CookieSchema(Schema):
    name: str
    description: str
    domain: str = Field(description="Empty for the site's own domain.")
    path: str


class CookieGroupSchema(Schema):
    varname: str = Field(description="Key of the group in decisions and status.")
    name: str
    description: str
    is_required: bool = Field(description="Necessary groups cannot be declined.")
    version: str = Field(description="Changes when a cookie is added: visitors are asked again.")
    cookies: list[CookieSchema]


class CookieGroupListSchema(Schema):
    version: str = Field(description="Fingerprint of all groups and their versions.")
    groups: list[CookieGroupSchema]


class ConsentStatusSchema(Schema):
    groups: dict[str, bool | None] = Field(
        description="Per group: true (accepted), false (declined), null (not decided yet)."
    )
    needs_decision: bool = Field(description="True while the banner should be shown.")
    version: str
    csrf_token: str = Field(description="Send it as `X-CSRFToken` with `POST consent`.")


class ConsentDecisionResultSchema(ConsentStatusSchema):
    consent_token: str = Field(
        description="The decision, signed, for a front end that cannot keep our cookies: send "
        "it back as the `X-Consent-Token` header. Valid for a year."
    )


class ConsentDecisionSchema(Schema):
    action: Literal["accept_all", "decline_all", "save", "accept_group"]
    groups: dict[str, bool] = Field(
        default_factory=dict,
        description="With `save`: the optional groups accepted (true) or declined (false); "
        "groups left out are declined.",
    )
    group: str = Field("", max_length=32, description="With `accept_group`: the group.")

    model_config = {"extra": "forbid"}


def _private(request: HttpRequest, response: HttpResponse) -> None:
    patch_vary_headers(response, ("Cookie",))
    patch_cache_control(response, private=True, no_store=True)


@router.get(
    "/consent",
    response={200: CookieGroupListSchema, 400: ErrorSchema},
    summary="List the cookie groups and their cookies",
    operation_id="list_cookie_groups",
)
def list_cookie_groups(request):

    check_query_parameters(request, extra=("locale",))
    groups = load_groups()
    return {
        "version": groups_version(groups),
        "groups": [
            {
                "varname": g.varname,
                "name": g.name,
                "description": g.description,
                "is_required": g.is_required,
                "version": g.version,
                "cookies": [c.__dict__ for c in g.cookies],
            }
            for g in groups
        ],
    }


@router.get(
    "/consent/status",
    response={200: ConsentStatusSchema, 400: ErrorSchema},
    summary="The visitor's consent decisions",
    operation_id="get_consent_status",
)
def consent_status(request, response: HttpResponse):
    """Read from the consent cookie, or without one from the `X-Consent-Token` header (an
    altered or expired token counts as no decision)."""
    check_query_parameters(request, extra=("locale",))
    allow_consent_token(request)
    state = get_consent_state(request)
    _private(request, response)
    return {
        "groups": state.as_dict(),
        "needs_decision": state.needs_decision,
        "version": state.version,
        "csrf_token": get_token(request),
    }


def clean_json_body(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Refuse other content types (415), deep nesting and bad characters (see hygiene.py)
    before django-ninja parses.

    Its parser would recurse into any depth; a body that is no JSON at all is left to it.
    """

    @functools.wraps(run)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if (request.content_type or "").lower() != "application/json":
            return JsonResponse(
                {"detail": _("Send the decision as application/json."), "errors": {}},
                status=415,
            )
        try:
            data = loads_bounded(request.body)
        except JSONTooDeepError as exc:
            errors = {"body": [str(exc)]}
        except (ValueError, RequestDataTooBig):
            return run(request, *args, **kwargs)
        else:
            errors = {}
            for path, message in bad_strings(data, multiline=False):
                errors.setdefault(path[0] if path else "body", []).append(message)
        if errors:
            return JsonResponse({"detail": _("Invalid request."), "errors": errors}, status=400)
        return run(request, *args, **kwargs)

    return wrapper


@router.post(
    "/consent",
    response={
        200: ConsentDecisionResultSchema,
        400: ErrorSchema,
        403: ErrorSchema,
        415: ErrorSchema,
    },
    summary="Record the visitor's decision and set the consent cookie",
    operation_id="record_consent",
)
@decorate_view(clean_json_body)
def record_consent(request, payload: ConsentDecisionSchema, response: HttpResponse):
    """A request with cookies needs the CSRF token; one without any cookies from an allowed
    CORS origin does not. `X-Consent-Token` stands in for the consent cookie when there is none.
    """
    check_consent_csrf(request)
    use_consent_token(request)
    state = get_consent_state(request)
    accepted = [name for name, value in payload.groups.items() if value]
    try:
        if payload.action == "save":
            choices = choices_for(state, "save", accepted)
            unknown = sorted(set(payload.groups) - {g.varname for g in state.optional_groups})
            if unknown:
                raise DecisionError(
                    {
                        "groups": [
                            _("Unknown or required cookie group: %(names)s.")
                            % {"names": ", ".join(unknown)}
                        ]
                    }
                )
        else:
            choices = choices_for(state, payload.action, group=payload.group)
    except DecisionError as error:
        raise APIError(_("Your choice could not be saved."), error.errors) from None
    new_state = apply_decision(request, response, payload.action, choices, source="api")
    _private(request, response)
    return {
        "groups": new_state.as_dict(),
        "needs_decision": new_state.needs_decision,
        "version": new_state.version,
        "csrf_token": get_token(request),
        "consent_token": _token_for(response, new_state.version),
    }


def check_consent_csrf(request: HttpRequest) -> None:
    """403 with the cause unless the request passes Django's CSRF check or carries no
    credentials at all (no cookies, from an origin CORS allows)."""
    if not request.COOKIES and cors.origin_is_allowed(request):
        return
    message = csrf_failure(request)
    if message is not None:
        raise APIError(message, status=403)


def use_consent_token(request: HttpRequest) -> None:
    """Validate ``X-Consent-Token`` (400 when altered or expired); without a consent cookie,
    let it stand for the consent cookie and the consent id, so that the decision is applied
    and recorded exactly as one from the cookies would be."""
    value = token_value(request)
    if not value:
        return
    try:
        token = read_consent_token(value)
    except InvalidConsentToken as exc:
        raise APIError(_("Invalid request."), {"consent_token": [str(exc)]}) from None
    allow_consent_token(request)

    if consent_settings.COOKIE_CONSENT_NAME in request.COOKIES:
        return  # the cookie is the newer record on this site

    request.COOKIES[consent_settings.COOKIE_CONSENT_NAME] = dict_to_cookie_str(token.decisions)
    request.COOKIES.setdefault(CONSENT_ID_COOKIE, token.consent_id)


def _token_for(response: HttpResponse, version: str) -> str:
    """The token of the decision just applied: the consent and id cookies it set, signed."""

    decisions = parse_cookie_str(response.cookies[consent_settings.COOKIE_CONSENT_NAME].value)
    return make_consent_token(decisions, response.cookies[CONSENT_ID_COOKIE].value, version)
