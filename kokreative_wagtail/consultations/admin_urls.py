"""The admin's consultation views, mounted under ``kokreative/forms/``."""

from django.urls import path

from .translated_submissions import DeleteSubmissionsInAllLanguagesView

app_name = "kokreative_forms"

urlpatterns = [
    path(
        "submissions/<int:page_id>/delete/",
        DeleteSubmissionsInAllLanguagesView.as_view(),
        name="delete_submissions",
    ),
]
