"""Recording a decision: the consent cookie, the library's log, our record, cookie cleanup.

One module for the HTML form and the JSON API, so both apply exactly the same rules.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from cookie_consent.conf import settings as consent_settings
from cookie_consent.models import ACTION_ACCEPTED, ACTION_DECLINED, CookieGroup, LogItem
from cookie_consent.util import dict_to_cookie_str, get_cookie_dict_from_request
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ConsentAction, ConsentRecord
from .state import REQUEST_ATTRIBUTE, ConsentState, get_consent_state, state_from_cookie_dict

CONSENT_ID_COOKIE = "kokreative_consent_id"
MAX_AGE = 60 * 60 * 24 * 365  # at most a year (EDPB; the consent cookie and the id alike)


class DecisionError(ValueError):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def choices_for(
    state: ConsentState, action: str, groups: Iterable[str] = (), group: str = ""
) -> dict[str, bool]:
    """The optional groups' new choices for ``action``; unknown names are a ``DecisionError``."""
    optional = [g.varname for g in state.optional_groups]
    if action not in ConsentAction.values:
        raise DecisionError(
            {
                "action": [
                    _("Choose one of: %(values)s.") % {"values": ", ".join(ConsentAction.values)}
                ]
            }
        )
    if action == ConsentAction.ACCEPT_ALL:
        return dict.fromkeys(optional, True)
    if action == ConsentAction.DECLINE_ALL:
        return dict.fromkeys(optional, False)
    if action == ConsentAction.ACCEPT_GROUP:
        # the two-click button: this group only; the others stay as they are (even undecided)
        if group not in optional:
            raise DecisionError({"group": [_("Unknown or required cookie group.")]})
        return {group: True}
    chosen = list(groups)
    unknown = sorted(set(chosen) - set(optional))
    if unknown:
        raise DecisionError(
            {
                "groups": [
                    _("Unknown or required cookie group: %(names)s.")
                    % {"names": ", ".join(unknown)}
                ]
            }
        )
    return {name: name in chosen for name in optional}


def apply_decision(
    request: HttpRequest, response: HttpResponse, action: str, choices: dict[str, bool], source: str
) -> ConsentState:
    """Set the consent cookie, log the decision and delete cookies of rejected groups."""

    previous = get_consent_state(request)
    stored = get_cookie_dict_from_request(request)
    now = timezone.now().isoformat()
    for varname, accepted in choices.items():
        stored[varname] = now if accepted else consent_settings.COOKIE_CONSENT_DECLINE
    secure = consent_settings.COOKIE_CONSENT_SECURE or request.is_secure()
    max_age = min(consent_settings.COOKIE_CONSENT_MAX_AGE, MAX_AGE)
    response.set_cookie(
        consent_settings.COOKIE_CONSENT_NAME,
        dict_to_cookie_str(stored),
        max_age=max_age,
        domain=consent_settings.COOKIE_CONSENT_DOMAIN,
        secure=secure,
        httponly=consent_settings.COOKIE_CONSENT_HTTPONLY,
        samesite=consent_settings.COOKIE_CONSENT_SAMESITE or "Lax",
    )
    consent_id = _consent_id(request)
    response.set_cookie(
        CONSENT_ID_COOKIE, consent_id, max_age=max_age, secure=secure, httponly=True, samesite="Lax"
    )

    new_state = state_from_cookie_dict(stored)
    if consent_settings.COOKIE_CONSENT_LOG_ENABLED:
        versions = {g.varname: g.version for g in previous.groups}
        ids = dict(CookieGroup.objects.filter(varname__in=choices).values_list("varname", "pk"))
        LogItem.objects.bulk_create(
            LogItem(
                action=ACTION_ACCEPTED if accepted else ACTION_DECLINED,
                cookiegroup_id=ids[varname],
                version=versions.get(varname, "")[:32],
            )
            for varname, accepted in choices.items()
            if varname in ids
        )
    ConsentRecord.objects.create(
        consent_id=consent_id,
        action=action,
        accepted=sorted(v for v, accepted in choices.items() if accepted),
        declined=sorted(v for v, accepted in choices.items() if not accepted),
        banner_version=new_state.version,
        source=source,
    )
    for group in previous.optional_groups:
        if choices.get(group.varname) is False:
            _delete_cookies(request, response, group)
    setattr(request, REQUEST_ATTRIBUTE, new_state)
    return new_state


def _consent_id(request: HttpRequest) -> str:
    value = request.COOKIES.get(CONSENT_ID_COOKIE, "")
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return str(uuid.uuid4())


def _delete_cookies(request: HttpRequest, response: HttpResponse, group) -> None:
    """A withdrawn group's first-party cookies go (those of our own domain that it lists)."""
    host = request.get_host().split(":")[0]
    for cookie in group.cookies:
        if cookie.domain and not host.endswith(cookie.domain.lstrip(".")):
            continue  # a third party's cookie: not ours to delete
        if cookie.name in request.COOKIES or cookie.domain:
            response.delete_cookie(
                cookie.name, path=cookie.path or "/", domain=cookie.domain or None
            )
