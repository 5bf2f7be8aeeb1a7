"""Wagtail API v2 viewsets for headless front ends; a site registers them instead of Wagtail's.

    from kokreative_wagtail.api_v2 import DocumentsAPIViewSet, ImagesAPIViewSet, PagesAPIViewSet
"""

from __future__ import annotations

from wagtail.api.v2.views import PagesAPIViewSet as WagtailPagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet as WagtailDocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet as WagtailImagesAPIViewSet

from .api_v2_http import HeadlessHTTPMixin


class PagesAPIViewSet(HeadlessHTTPMixin, WagtailPagesAPIViewSet):
    """Wagtail's pages endpoint, plus what a front end on another origin needs."""


class ImagesAPIViewSet(HeadlessHTTPMixin, WagtailImagesAPIViewSet):
    """Wagtail's images endpoint, plus what a front end on another origin needs."""


class DocumentsAPIViewSet(HeadlessHTTPMixin, WagtailDocumentsAPIViewSet):
    """Wagtail's documents endpoint, plus what a front end on another origin needs."""
