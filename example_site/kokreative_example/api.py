"""Wagtail API v2, mounted at /api/v2/ as a site would, with kokreative-wagtail's viewsets.

They are Wagtail's, plus CORS, the request's language, caching headers, translations and
absolute URLs from the request (docs/api.md).
"""

from wagtail.api.v2.router import WagtailAPIRouter

from kokreative_wagtail.api_v2 import DocumentsAPIViewSet, ImagesAPIViewSet, PagesAPIViewSet
from kokreative_wagtail.preview_api import PagePreviewAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
# kokreative-wagtail: previews for headless front ends (after "pages": links to pages use that one)
api_router.register_endpoint("page_preview", PagePreviewAPIViewSet)
