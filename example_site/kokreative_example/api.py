"""Wagtail API v2, mounted at /api/v2/ as a site would."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from kokreative_wagtail.preview_api import PagePreviewAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
api_router.register_endpoint("images", ImagesAPIViewSet)
api_router.register_endpoint("documents", DocumentsAPIViewSet)
# kokreative-wagtail: previews for headless front ends (after "pages": links to pages use that one)
api_router.register_endpoint("page_preview", PagePreviewAPIViewSet)
