"""Caching headers of our APIs: ETag and ``Cache-Control`` by a declared list, 304 on a match.

Only routes declared as public reads are cacheable; every other response is personal by
default (``private, no-store``), so a route added later never leaks into a shared cache by
accident. Rules:

- a public read (GET/HEAD, status 200, no cookie set) gets a strong ``ETag`` (a hash of the
  body and its ``Content-Language``), ``Cache-Control: public, max-age=API_CACHE_MAX_AGE``
  (``no-cache`` with 0) and ``Vary: Accept-Language, Origin``; ``If-None-Match`` naming that
  ETag (in a list, weakly compared, or ``*``) answers 304 without a body;
- any other success is ``private, no-store`` without ETag;
- errors and redirects are ``no-store`` without ETag: they are cheap to compute and a cached
  error would outlive the fix.

:func:`finalize_response` applies this, the language headers and CORS in one place for our
API (``api.py``) and the API v2 viewsets (``api_v2_http.py``).
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags

from . import cors
from .capabilities import public_read_operations
from .conf import get_setting
from .request_language import answered_language

#: Operation ids of the core's API whose successful GETs are the same for every visitor; the
#: capability apps declare theirs (``CapabilityConfig.public_read_operations``).
PUBLIC_READ_OPERATIONS = frozenset(
    {
        "api_index",
        "list_elements",
        "openapi-json",  # django-ninja's OpenAPI document (its URL name)
    }
)


def is_public_read(operation_id: str) -> bool:
    """Whether a successful GET of this operation is the same for every visitor."""
    return operation_id in PUBLIC_READ_OPERATIONS or operation_id in public_read_operations()


#: Headers a 304 repeats from the 200 it stands for (RFC 9110, section 15.4.5).
NOT_MODIFIED_HEADERS = (
    "Cache-Control",
    "Content-Language",
    "Content-Location",
    "Date",
    "ETag",
    "Expires",
    "Vary",
)

PERSONAL_CACHE_CONTROL = "private, no-store"


def make_etag(body: bytes, language: str = "") -> str:
    """A strong ETag of ``body`` in ``language`` (a quoted hex digest)."""
    digest = hashlib.sha256(language.encode() + b"\n" + body).hexdigest()[:32]
    return f'"{digest}"'


def etag_matches(if_none_match: str, etag: str) -> bool:
    """``If-None-Match`` against our ETag: ``*``, or any listed tag by weak comparison."""
    if not if_none_match:
        return False
    tags = parse_etags(if_none_match)
    if tags == ["*"]:
        return True
    ours = etag.removeprefix("W/")
    return any(tag.removeprefix("W/") == ours for tag in tags)


def public_cache_control() -> str:
    max_age = max(int(get_setting("API_CACHE_MAX_AGE")), 0)
    return "public, no-cache" if max_age == 0 else f"public, max-age={max_age}"


def _sets_state(request: HttpRequest, response: HttpResponse) -> bool:
    """A response that sets a cookie (also the CSRF one, set after the view) is personal."""
    return bool(response.cookies) or bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


def _marked_personal(response: HttpResponse) -> bool:
    value = response.get("Cache-Control", "").lower()
    return "private" in value or "no-store" in value


def apply_caching(request: HttpRequest, response: HttpResponse, public: bool) -> HttpResponse:
    """The caching headers of ``response``; returns a 304 in its place when the client's copy
    is current. ``public``: the route is declared a public read."""
    if response.status_code == 304:
        return response
    if not 200 <= response.status_code < 300:
        if "ETag" in response:
            del response["ETag"]
        patch_cache_control(response, no_store=True)
        return response
    cacheable = (
        public
        and response.status_code == 200
        and request.method in ("GET", "HEAD")
        and not getattr(response, "streaming", False)
        and not _sets_state(request, response)
        and not _marked_personal(response)
    )
    if not cacheable:
        if "ETag" in response:
            del response["ETag"]
        if "public" in response.get("Cache-Control", ""):
            del response["Cache-Control"]
        patch_cache_control(response, private=True, no_store=True)
        return response
    etag = make_etag(response.content, response.get("Content-Language", ""))
    response["ETag"] = etag
    response["Cache-Control"] = public_cache_control()
    patch_vary_headers(response, ("Accept-Language", "Origin"))
    if etag_matches(request.META.get("HTTP_IF_NONE_MATCH", ""), etag):
        return not_modified(response)
    return response


def not_modified(response: HttpResponse) -> HttpResponse:
    """A 304 with the validator and caching headers of ``response`` and no body."""
    answer = HttpResponseNotModified()
    for name in NOT_MODIFIED_HEADERS:
        if name in response:
            answer[name] = response[name]
    return answer


def finalize_response(
    request: HttpRequest, response: HttpResponse, *, language: str, public: bool
) -> HttpResponse:
    """Language, caching and CORS headers of one API response (not of a preflight)."""

    response["Content-Language"] = answered_language(request, language)
    patch_vary_headers(response, ("Accept-Language",))
    response = apply_caching(request, response, public)
    return cors.add_cors_headers(request, response)
