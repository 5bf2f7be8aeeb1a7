"""The admin's registration views, mounted under ``kokreative/registrations/``."""

from django.urls import path

from .admin_views import DateView, EventView, ExportView, IndexView

app_name = "kokreative_registrations"

urlpatterns = [
    path("", IndexView.as_view(), name="index"),
    path("<int:page_id>/", EventView.as_view(), name="event"),
    path("<int:page_id>/<str:scope>/", DateView.as_view(), name="date"),
    path(
        "<int:page_id>/<str:scope>/export/<str:export_format>/",
        ExportView.as_view(),
        name="export",
    ),
]
