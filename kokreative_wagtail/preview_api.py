"""The API v2 endpoint a headless front end reads previews from.

A site registers it beside Wagtail's pages endpoint::

    api_router.register_endpoint("page_preview", PagePreviewAPIViewSet)

``GET /api/v2/page_preview/?content_type=<app.model>&token=<token>`` then answers with the
previewed page in the shape of ``GET /api/v2/pages/<id>/``. Kept apart from :mod:`.preview`
so that our models do not import Django REST framework.
"""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext as _
from rest_framework.response import Response

from .api_v2 import PagesAPIViewSet, error_response
from .preview import load_preview


class PagePreviewAPIViewSet(PagesAPIViewSet):
    """Serves a preview snapshot (see :mod:`kokreative_wagtail.preview`) as a page detail.

    Our pages endpoint's behaviour (CORS, language, URLs, error shape), but personal: every
    answer is ``Cache-Control: private, no-store``.
    """

    personal_responses = True  # HeadlessHTTPMixin: never cached

    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(
        ["content_type", "token", "mode"]
    )

    def listing_view(self, request):
        self.action = "detail_view"  # serialize one page with all its fields, as a detail
        return self.detail_view(request, pk=None)

    def detail_view(self, request, pk):
        token = request.GET.get("token", "")
        if not token:
            message = _("The query parameter 'token' is required.")
            return self.no_store(error_response(message, {"token": [message]}))
        page = load_preview(token, request.GET.get("content_type"))
        if page is None or (pk is not None and str(page.pk) != str(pk)):
            message = _("This preview does not exist or has expired.")
            return self.no_store(error_response(message, {"token": [message]}, 404))
        if page.pk is None:
            # A page not yet created: id 0, as wagtail-headless-preview answers (the API's
            # links need an id).
            page.pk = page.id = 0
        self._preview_page = page
        serializer = self.get_serializer(page)
        return self.no_store(Response(serializer.data))

    @staticmethod
    def no_store(response):
        response["Cache-Control"] = "private, no-store"
        return response

    def handle_exception(self, exc):
        return self.no_store(super().handle_exception(exc))

    def get_object(self):
        # the snapshot, not a database row (Wagtail's serializers ask for it)
        return self._preview_page

    @classmethod
    def get_urlpatterns(cls):

        return [
            path("", cls.as_view({"get": "listing_view"}), name="listing"),
            path("<int:pk>/", cls.as_view({"get": "detail_view"}), name="detail"),
        ]
