"""``GET consent``, ``GET consent/status`` and ``POST consent``.

``POST consent`` always needs Django's CSRF token (``X-CSRFToken`` header, with the
``csrftoken`` cookie): a consent given by a forged cross-site request is no consent. The token
comes with ``GET consent/status``, which also sets the cookie. Cross-origin front ends add
their origin to ``CSRF_TRUSTED_ORIGINS``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Literal

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.decorators import decorate_view
from ninja.utils import check_csrf

from ..api_utils import APIError, ErrorSchema
from ..hygiene import JSONTooDeepError, bad_strings, loads_bounded
from .decisions import DecisionError, apply_decision, choices_for
from .state import get_consent_state

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
    response={200: CookieGroupListSchema},
    summary="List the cookie groups and their cookies",
    operation_id="list_cookie_groups",
)
def list_cookie_groups(request):
    from .state import groups_version, load_groups

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
    response={200: ConsentStatusSchema},
    summary="The visitor's consent decisions",
    operation_id="get_consent_status",
)
def consent_status(request, response: HttpResponse):
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
                {"detail": _("Send the decision as application/json."), "errors": {}}, status=415
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
    response={200: ConsentStatusSchema, 400: ErrorSchema, 403: ErrorSchema, 415: ErrorSchema},
    summary="Record the visitor's decision and set the consent cookie",
    operation_id="record_consent",
)
@decorate_view(clean_json_body)
def record_consent(request, payload: ConsentDecisionSchema, response: HttpResponse):
    if check_csrf(request) is not None:
        raise APIError(
            _("CSRF check failed: send the CSRF token in the X-CSRFToken header."), status=403
        )
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
    }
