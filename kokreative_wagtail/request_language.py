"""The language of an API response: ``?locale=``, else ``Accept-Language``, else the default.

The site's LocaleMiddleware reads the language from the URL prefix; our API paths have none,
so it would answer every API request in the default language. The API negotiates itself.
"""

from __future__ import annotations

from django.http import HttpRequest

from .api_utils import active_language_code


def requested_language(request: HttpRequest) -> str:
    """The content language code the request asks for (one of ``WAGTAIL_CONTENT_LANGUAGES``)."""
    return active_language_code()
