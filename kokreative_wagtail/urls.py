"""Include in the site's urls: ``path("", include("kokreative_wagtail.urls"))``."""

from django.urls import path

from .api import get_api

urlpatterns = [
    path("api/kokreative/v1/", get_api().urls),
]
