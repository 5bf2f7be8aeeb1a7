"""Django's CSRF check for our JSON endpoints, answering with the real cause of a failure.

django-ninja's ``check_csrf`` only says that the check failed; a front-end developer whose
token was sent but whose origin is not trusted then looks for the wrong mistake. This runs the
same ``CsrfViewMiddleware`` (so every rule of the site's settings applies) and turns its reason
into a message that names the cause and the fix.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponseForbidden
from django.middleware import csrf as django_csrf
from django.utils.translation import gettext as _

from .api_utils import APIError


class _Rejected(HttpResponseForbidden):
    """What the checking middleware answers instead of the failure view: the reason."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class _CheckingMiddleware(django_csrf.CsrfViewMiddleware):
    def _reject(self, request, reason):  # no failure view, no log line: the caller answers
        return _Rejected(reason)


def _view() -> None:  # pragma: no cover - never called, only checked for ``csrf_exempt``
    return None


def csrf_header_name() -> str:
    """The request header Django reads the token from (``X-CSRFToken`` by default)."""
    name = settings.CSRF_HEADER_NAME
    if name == "HTTP_X_CSRFTOKEN":
        return "X-CSRFToken"
    return name.removeprefix("HTTP_").replace("_", "-").title()


def csrf_reason(request: HttpRequest) -> str | None:
    """Django's own reason why ``request`` fails the CSRF check, or None when it passes."""
    middleware = _CheckingMiddleware(lambda request: HttpResponseForbidden())
    request.csrf_processing_done = False  # type: ignore[attr-defined]
    middleware.process_request(request)
    result = middleware.process_view(request, _view, (), {})
    return result.reason if isinstance(result, _Rejected) else None


def explain(request: HttpRequest, reason: str) -> str:
    """A translated message for Django's CSRF ``reason`` that names the cause and the fix."""
    header = csrf_header_name()
    cookie = settings.CSRF_COOKIE_NAME
    origin = request.META.get("HTTP_ORIGIN", "")
    if origin and reason == django_csrf.REASON_BAD_ORIGIN % origin:
        return _(
            "CSRF check failed: the origin %(origin)s is not trusted. Add it to "
            "CSRF_TRUSTED_ORIGINS (and to KOKREATIVE['CORS_ALLOWED_ORIGINS'] for a front end "
            "on another origin), or send the request from the site's own origin."
        ) % {"origin": origin}
    if reason == django_csrf.REASON_NO_REFERER:
        return _(
            "CSRF check failed: a secure request needs an Origin or a Referer header naming a "
            "trusted origin, and this one has neither."
        )
    if reason == django_csrf.REASON_MALFORMED_REFERER:
        return _("CSRF check failed: the Referer header is malformed.")
    if reason == django_csrf.REASON_INSECURE_REFERER:
        return _(
            "CSRF check failed: the Referer header names an insecure (http) page while the "
            "request is secure (https)."
        )
    if reason.startswith(django_csrf.REASON_BAD_REFERER.split("%s")[0]):
        return _(
            "CSRF check failed: the Referer header does not name a trusted origin. Add the "
            "front end's origin to CSRF_TRUSTED_ORIGINS."
        )
    if reason == django_csrf.REASON_NO_CSRF_COOKIE or reason.startswith("CSRF cookie "):
        return _(
            "CSRF check failed: the CSRF cookie %(cookie)s is missing or invalid. Fetch a token "
            "first (it sets the cookie) and send the request with credentials, so that the "
            "cookie comes along."
        ) % {"cookie": cookie}
    if reason == django_csrf.REASON_CSRF_TOKEN_MISSING:
        return _("CSRF check failed: send the CSRF token in the %(header)s header.") % {
            "header": header
        }
    return _(
        "CSRF check failed: the CSRF token in the %(header)s header does not match the CSRF "
        "cookie %(cookie)s. Send the token handed out with that cookie."
    ) % {"header": header, "cookie": cookie}


def csrf_failure(request: HttpRequest) -> str | None:
    """None when ``request`` passes Django's CSRF check, else a translated message naming
    the actual cause (untrusted origin, missing cookie, missing or wrong token, bad Referer)."""
    reason = csrf_reason(request)
    return None if reason is None else explain(request, reason)


def require_csrf(request: HttpRequest) -> None:
    """Raise our 403 with the cause when ``request`` fails Django's CSRF check."""
    message = csrf_failure(request)
    if message is not None:
        raise APIError(message, status=403)
