"""The API v2 endpoint a headless front end reads previews from.

A site registers it beside Wagtail's pages endpoint::

    api_router.register_endpoint("page_preview", PagePreviewAPIViewSet)

``GET /api/v2/page_preview/?content_type=<app.model>&token=<token>`` then answers with the
previewed page in the shape of ``GET /api/v2/pages/<id>/``. Kept apart from :mod:`.preview`
so that our models do not import Django REST framework.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.response import Response
from wagtail.api.v2.views import PagesAPIViewSet

from .preview import load_preview


class PagePreviewAPIViewSet(PagesAPIViewSet):
    """Serves a preview snapshot (see :mod:`kokreative_wagtail.preview`) as a page detail."""

    known_query_parameters = PagesAPIViewSet.known_query_parameters.union(
        ["content_type", "token", "mode"]
    )

    def listing_view(self, request):
        self.action = "detail_view"  # serialize one page with all its fields, as a detail
        return self.detail_view(request, pk=None)

    def detail_view(self, request, pk):
        token = request.GET.get("token", "")
        if not token:
            return Response({"message": _("The query parameter 'token' is required.")}, status=400)
        page = load_preview(token, request.GET.get("content_type"))
        if page is None or (pk is not None and str(page.pk) != str(pk)):
            return Response(
                {"message": _("This preview does not exist or has expired.")}, status=404
            )
        if page.pk is None:
            # A page not yet created: id 0, as wagtail-headless-preview answers (the API's
            # links need an id).
            page.pk = page.id = 0
        self._preview_page = page
        serializer = self.get_serializer(page)
        response = Response(serializer.data)
        response["Cache-Control"] = "private, no-store"
        return response

    def get_object(self):
        # the snapshot, not a database row (Wagtail's serializers ask for it)
        return self._preview_page

    @classmethod
    def get_urlpatterns(cls):
        from django.urls import path

        return [
            path("", cls.as_view({"get": "listing_view"}), name="listing"),
            path("<int:pk>/", cls.as_view({"get": "detail_view"}), name="detail"),
        ]
