"""CORS for front ends on another origin, by ``KOKREATIVE["CORS_ALLOWED_ORIGINS"]``.

Applied to our JSON API (``api.py``), the API v2 viewsets (``api_v2_http.py``) and the consent
endpoints, so a site needs no CORS package for them. Off while the setting is empty: then no
response carries a CORS header and browsers keep other origins out.

An origin listed by name may send credentials (cookies); ``"*"`` lets any origin read without
credentials. An origin that is not allowed gets no CORS header at all, its preflight included
(still 204), so the browser refuses the request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.http import is_same_domain

from .conf import get_setting

#: Request headers a front end may send (the preflight grants those of them it asks for).
ALLOWED_REQUEST_HEADERS = (
    "Accept",
    "Accept-Language",
    "Content-Type",
    "If-None-Match",
    "X-Consent-Token",
    "X-CSRFToken",
)

#: Response headers a front end's script may read beyond the CORS-safelisted ones.
EXPOSED_HEADERS = ("ETag", "Content-Language", "Retry-After", "Allow", "Location")

WILDCARD = "*"

#: An origin as browsers serialise it: scheme, host (a name, IPv4 or [IPv6]) and optional port.
ORIGIN_RE = re.compile(
    r"\A(?P<scheme>(?i:https?))://(?P<host>[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])"
    r"(?::(?P<port>[0-9]{1,5}))?\Z"
)
DEFAULT_PORTS = {"http": "80", "https": "443"}


def normalize_origin(value: object) -> str | None:
    """``scheme://host[:port]`` in lower case without a default port, or None if malformed."""
    if not isinstance(value, str):
        return None
    match = ORIGIN_RE.match(value)
    if match is None:
        return None
    scheme, host, port = match["scheme"].lower(), match["host"].lower(), match["port"]
    if port is not None:
        if not 0 < int(port) < 65536:
            return None
        if port == DEFAULT_PORTS[scheme]:
            port = None
    return f"{scheme}://{host}" + (f":{port}" if port else "")


@dataclass(frozen=True)
class OriginGrant:
    """What an allowed origin receives: the ``Access-Control-Allow-Origin`` value and whether
    it may send credentials."""

    allow_origin: str
    credentials: bool


def configured_origins() -> tuple[set[str], bool]:
    """The listed origins (normalised; malformed entries are left out) and whether ``"*"`` is."""
    raw = get_setting("CORS_ALLOWED_ORIGINS") or []
    if isinstance(raw, str):
        raw = [raw]
    listed: set[str] = set()
    wildcard = False
    for entry in raw:
        if entry == WILDCARD:
            wildcard = True
            continue
        origin = normalize_origin(entry)
        if origin is not None:
            listed.add(origin)
    return listed, wildcard


def cors_enabled() -> bool:
    listed, wildcard = configured_origins()
    return bool(listed) or wildcard


def grant_for(origin: str | None) -> OriginGrant | None:
    """The grant of a request's ``Origin`` value, or None (no CORS headers for it)."""
    if not origin:
        return None
    listed, wildcard = configured_origins()
    normalized = normalize_origin(origin)
    if normalized is not None and normalized in listed:
        # echo what the browser sent: it compares the header with its own serialisation
        return OriginGrant(allow_origin=origin, credentials=True)
    if wildcard:
        return OriginGrant(allow_origin=WILDCARD, credentials=False)
    return None


def origin_of(request: HttpRequest) -> str | None:
    return request.META.get("HTTP_ORIGIN") or None


def origin_is_allowed(request: HttpRequest) -> bool:
    """True when the request's ``Origin`` may read our responses (listed, or ``"*"``)."""
    return grant_for(origin_of(request)) is not None


def is_preflight(request: HttpRequest) -> bool:
    """A CORS preflight: OPTIONS with ``Origin`` and ``Access-Control-Request-Method``."""
    return (
        request.method == "OPTIONS"
        and "HTTP_ORIGIN" in request.META
        and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META
    )


def allowed_request_headers(requested: str) -> list[str]:
    """The headers of ``Access-Control-Request-Headers`` that our allow list has, as named there."""
    known = {name.lower(): name for name in ALLOWED_REQUEST_HEADERS}
    names: list[str] = []
    for item in requested.split(","):
        name = known.get(item.strip().lower())
        if name is not None and name not in names:
            names.append(name)
    return names


def _grant(request: HttpRequest, response: HttpResponse) -> bool:
    """Put the origin's grant on ``response`` (and ``Vary: Origin`` while CORS is on); whether
    the origin is allowed."""
    if not cors_enabled():
        return False
    patch_vary_headers(response, ("Origin",))
    grant = grant_for(origin_of(request))
    if grant is None:
        return False
    response["Access-Control-Allow-Origin"] = grant.allow_origin
    if grant.credentials:
        response["Access-Control-Allow-Credentials"] = "true"
    return True


def preflight_response(request: HttpRequest, allow: str) -> HttpResponse:
    """204 with ``Allow`` (the path's methods) and, for an allowed origin, the CORS grant."""
    response = HttpResponse(status=204)
    del response["Content-Type"]  # no body, so no type
    response["Allow"] = allow
    if not _grant(request, response):
        return response
    response["Access-Control-Allow-Methods"] = allow
    headers = allowed_request_headers(request.META.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", ""))
    if headers:
        response["Access-Control-Allow-Headers"] = ", ".join(headers)
    response["Access-Control-Max-Age"] = str(max(int(get_setting("CORS_PREFLIGHT_MAX_AGE")), 0))
    return response


def add_cors_headers(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The CORS headers of an actual (not preflight) response; nothing while CORS is off."""
    if not _grant(request, response):
        return response
    response["Access-Control-Expose-Headers"] = ", ".join(EXPOSED_HEADERS)
    return response


def check_cors_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """System check: every ``CORS_ALLOWED_ORIGINS`` entry is ``"*"`` or ``scheme://host[:port]``.

    A malformed entry would silently allow nothing; a listed origin missing from
    ``CSRF_TRUSTED_ORIGINS`` cannot POST with the site's cookies.
    """
    raw = get_setting("CORS_ALLOWED_ORIGINS")
    if not isinstance(raw, (list, tuple)):
        return []  # the type check of settings.KOKREATIVE reports it
    messages: list[checks.CheckMessage] = []
    for entry in raw:
        if entry == WILDCARD:
            continue
        origin = normalize_origin(entry)
        if origin is None:
            messages.append(
                checks.Error(
                    f"KOKREATIVE['CORS_ALLOWED_ORIGINS'] has a malformed entry {entry!r}.",
                    hint='Write origins as "https://host" or "http://host:port" (no path, no '
                    'trailing slash, no wildcard in the host), or "*" for any origin without '
                    "credentials.",
                    id="kokreative_wagtail.E007",
                )
            )
        elif not csrf_trusts(origin):
            messages.append(
                checks.Warning(
                    f"The CORS origin {entry!r} is not in CSRF_TRUSTED_ORIGINS: its requests "
                    "that carry the site's cookies fail the CSRF check.",
                    hint=f'Add "{origin}" to CSRF_TRUSTED_ORIGINS (docs/cross-origin.md).',
                    id="kokreative_wagtail.W009",
                )
            )
    max_age = get_setting("CORS_PREFLIGHT_MAX_AGE")
    if isinstance(max_age, int) and not isinstance(max_age, bool) and max_age < 0:
        messages.append(
            checks.Error(
                "KOKREATIVE['CORS_PREFLIGHT_MAX_AGE'] must not be negative.",
                hint="Seconds a browser may cache a preflight answer, e.g. 3600.",
                id="kokreative_wagtail.E007",
            )
        )
    return messages


def csrf_trusts(origin: str) -> bool:
    """Whether Django's CSRF check accepts ``origin`` through ``CSRF_TRUSTED_ORIGINS``
    (exact entries and ``scheme://*.domain`` ones)."""
    scheme, _, netloc = origin.partition("://")
    for entry in _strings(getattr(settings, "CSRF_TRUSTED_ORIGINS", ())):
        if normalize_origin(entry) == origin:
            return True
        parts = urlsplit(entry) if "*" in entry else None
        if parts and parts.scheme == scheme and is_same_domain(netloc, parts.netloc.lstrip("*")):
            return True
    return False


def _strings(values: Iterable[object]) -> list[str]:
    return [value for value in values or () if isinstance(value, str)]
