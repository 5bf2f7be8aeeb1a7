"""HTTP behaviour our Wagtail API v2 viewsets share with our own API: CORS, language, caching.

The mixin goes first in a viewset's bases (``class PagesAPIViewSet(HeadlessHTTPMixin,
wagtail's PagesAPIViewSet)``). Around Django REST framework's ``dispatch`` it

- answers a CORS preflight (and any OPTIONS) with 204 and ``Allow``, before DRF runs;
- runs the view and renders its response in the request's language (``?locale=``,
  ``Accept-Language``; :func:`~kokreative_wagtail.request_language.requested_language`) and
  says so in ``Content-Language``;
- gives successful listing and detail reads an ETag and ``Cache-Control: public`` (304 on
  ``If-None-Match``), everything else ``private, no-store`` or, for errors, ``no-store``
  (:mod:`kokreative_wagtail.http_caching`);
- adds the CORS headers of an allowed origin (:mod:`kokreative_wagtail.cors`).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from . import cors, http_caching
from .request_language import requested_language


class HeadlessHTTPMixin:
    """Mixed into our API v2 viewsets (see :mod:`kokreative_wagtail.api_v2`)."""

    #: True for a viewset whose every answer belongs to one visitor (previews): never cached.
    personal_responses: bool = False
    #: The viewset actions whose successful answers are the same for every visitor.
    public_actions: frozenset[str] = frozenset({"listing_view", "detail_view"})
    #: The page API serves public content only: no DRF session authentication, which would read
    #: the session and so make every answer ``Vary: Cookie`` (one cached copy per visitor).
    authentication_classes: tuple = ()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            # no content negotiation or DRF metadata: Allow, and the CORS grant of a preflight
            return cors.preflight_response(request, ", ".join(self.allowed_methods))
        language = requested_language(request)
        with translation.override(language):
            response = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
            render = getattr(response, "render", None)
            if callable(render) and not getattr(response, "is_rendered", True):
                response = render() or response  # in this language, and for the ETag
        return http_caching.finalize_response(
            request, response, language=language, public=self.is_public_read(request, response)
        )

    def is_public_read(self, request: HttpRequest, response: HttpResponse) -> bool:
        """Whether this answer may be cached by anyone (the status is checked later)."""
        if self.personal_responses:
            return False
        return getattr(self, "action", None) in self.public_actions
