"""Reading a visitor's JSON POST (a form submission, a registration) the same way everywhere.

The body must be ``application/json`` (a cross-site HTML form cannot send it), at most
``FORM_MAX_BODY_BYTES``, valid and shallow JSON without NUL, lone surrogates or control
characters; a request that carries the site's cookies passes Django's CSRF check.
"""

from __future__ import annotations

from typing import Any

import pydantic
from django.conf import settings
from django.utils.translation import gettext as _

from .api_utils import APIError
from .conf import get_setting
from .csrf import csrf_failure
from .hygiene import JSONTooDeepError, bad_strings, loads_bounded


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
