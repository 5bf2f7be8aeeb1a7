"""HTTP behaviour our Wagtail API v2 viewsets share with our own API: CORS, language, caching."""

from __future__ import annotations


class HeadlessHTTPMixin:
    """Mixed into our API v2 viewsets (see :mod:`kokreative_wagtail.api_v2`)."""
