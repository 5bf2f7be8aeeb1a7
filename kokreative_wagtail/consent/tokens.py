"""The consent token: a visitor's decision that a front end on another site keeps itself.

Browsers block third-party cookies, so a front end on another site cannot rely on our consent
cookie. ``POST consent`` therefore also answers a signed token holding the same decisions
(in the consent cookie's format, so the same version rules apply), the pseudonymous consent id,
the banner version and the time; the front end stores it and sends it back as
``X-Consent-Token``. It is signed with the site's ``SECRET_KEY`` (``django.core.signing``), so
it cannot be altered, and expires after a year like the cookie.

Only our consent API reads it (:func:`allow_consent_token`): an HTML page rendered from a
header that shared caches do not key on could serve one visitor's consent to another.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from datetime import timezone as dt_timezone
from typing import Any

from django.core import signing
from django.http import HttpRequest
from django.utils.translation import gettext as _

#: ``datetime.UTC`` is Python 3.11+; the package supports 3.10.
UTC = dt_timezone.utc

#: The request header a front end sends its token in.
TOKEN_HEADER = "X-Consent-Token"
TOKEN_META_KEY = "HTTP_X_CONSENT_TOKEN"
SALT = "kokreative_wagtail.consent.token"
MAX_AGE = 60 * 60 * 24 * 365  # a year, as the consent cookie (decisions.MAX_AGE)
MAX_LENGTH = 4096
ALLOWED_ATTRIBUTE = "_kokreative_consent_token_allowed"

_VARNAME = re.compile(r"\A[-\w]{1,64}\Z")
_VALUE = re.compile(r"\A[^|=\s]{1,64}\Z")


class InvalidConsentToken(ValueError):
    """A token that was altered, has expired or is no token of ours; the message says which."""


@dataclass(frozen=True)
class ConsentToken:
    decisions: dict[str, str]  # varname -> acceptance time or the decline marker (cookie format)
    consent_id: str
    version: str
    time: str


def make_consent_token(decisions: dict[str, str], consent_id: str, version: str) -> str:
    """Sign a decision for the front end to keep."""
    payload = {
        "decisions": dict(decisions),
        "consent_id": consent_id,
        "version": version,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def read_consent_token(value: str) -> ConsentToken:
    """The token's content; raises :class:`InvalidConsentToken` for anything else."""
    if not value or len(value) > MAX_LENGTH:
        raise InvalidConsentToken(_("The consent token is invalid."))
    try:
        payload: Any = signing.loads(value, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise InvalidConsentToken(
            _("The consent token has expired: ask the visitor again.")
        ) from None
    except (signing.BadSignature, ValueError, UnicodeError):
        raise InvalidConsentToken(_("The consent token is invalid.")) from None
    try:
        decisions = payload["decisions"]
        consent_id = str(uuid.UUID(payload["consent_id"]))
        version = payload["version"]
        time = payload["time"]
        valid = (
            isinstance(decisions, dict)
            and all(
                isinstance(k, str) and isinstance(v, str) and _VARNAME.match(k) and _VALUE.match(v)
                for k, v in decisions.items()
            )
            and isinstance(version, str)
            and isinstance(time, str)
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        valid = False
    if not valid:
        raise InvalidConsentToken(_("The consent token is invalid."))
    return ConsentToken(
        decisions=dict(decisions), consent_id=consent_id, version=version, time=time
    )


def token_value(request: HttpRequest) -> str:
    return request.META.get(TOKEN_META_KEY, "").strip()


def token_from_request(request: HttpRequest) -> ConsentToken | None:
    """The request's valid token, or None (absent, altered or expired: no decision)."""
    value = token_value(request)
    if not value:
        return None
    try:
        return read_consent_token(value)
    except InvalidConsentToken:
        return None


def allow_consent_token(request: HttpRequest) -> None:
    """Let :func:`~.state.get_consent_state` read this request's token (personal responses)."""
    setattr(request, ALLOWED_ATTRIBUTE, True)


def consent_token_allowed(request: HttpRequest) -> bool:
    return bool(getattr(request, ALLOWED_ATTRIBUTE, False))
