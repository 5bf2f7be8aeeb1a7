"""The language of an API response: ``?locale=``, else ``Accept-Language``, else the default.

The site's LocaleMiddleware reads the language from the URL prefix; our API paths have none,
so it would answer every API request in the default language. The API negotiates itself.
Everything here is pure (settings and the request only, no database query), so it is cheap to
call for every request and safe on hostile input: an unknown or malformed value is ignored.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation.trans_real import parse_accept_lang_header
from wagtail.coreutils import get_content_languages, get_supported_content_language_variant

#: Longer ``?locale=`` values are no language tag (BCP 47 tags in use are far shorter).
MAX_CODE_LENGTH = 35


def content_language(code: str | None) -> str | None:
    """The content language ``code`` names (``EN``, ``en-GB`` → ``en``), or None.

    Matching is case-insensitive; a region variant falls back to its language, and a bare
    language to a configured region variant (``pt`` → ``pt-br``), as Wagtail's own lookup does.
    """
    if not code or len(code) > MAX_CODE_LENGTH or not code.isascii():
        return None
    code = code.strip().lower().replace("_", "-")
    if not code or code == "*":
        return None
    by_lower = {c.lower(): c for c in get_content_languages()}
    if code in by_lower:
        return by_lower[code]
    try:
        found = get_supported_content_language_variant(code)
    except LookupError:
        return None
    return found


def default_language() -> str:
    """The site's default content language (``LANGUAGE_CODE`` as Wagtail maps it)."""
    try:
        return get_supported_content_language_variant(settings.LANGUAGE_CODE)
    except LookupError:
        return next(iter(get_content_languages()))


def accepted_language(header: str) -> str | None:
    """The best content language of an ``Accept-Language`` header, by q-value, or None.

    ``q=0`` means "not this one"; ``*`` adds nothing a default would not. Django's parser caps
    the header's length and returns nothing for a malformed one.
    """
    if not header:
        return None
    for code, quality in parse_accept_lang_header(header):
        if quality <= 0 or code == "*":
            continue
        found = content_language(code)
        if found is not None:
            return found
    return None


def requested_language(request: HttpRequest) -> str:
    """The content language code the request asks for (one of ``WAGTAIL_CONTENT_LANGUAGES``).

    An unknown ``?locale=`` is ignored here; endpoints that take ``locale`` as a parameter
    answer it with a 400 themselves.
    """
    found = content_language(request.GET.get("locale"))
    if found is None:
        found = accepted_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
    return found or default_language()


#: Request attribute holding the language a view answered in, where it is not the requested one.
_ANSWERED_IN = "_kokreative_answered_in"


def answer_in(request: HttpRequest, code: str) -> None:
    """Record that a view answers in ``code`` (a form answers in its page's language, whatever
    the request prefers), so that ``Content-Language`` tells the truth."""
    # a DRF Request wraps Django's: the attribute belongs on the one the headers are set from
    setattr(getattr(request, "_request", request), _ANSWERED_IN, code)


def answered_language(request: HttpRequest, default: str) -> str:
    """The language the response is in: what a view recorded with :func:`answer_in`, else
    ``default`` (the requested language)."""
    return getattr(request, _ANSWERED_IN, None) or default
