"""The links of a registration's e-mails (no page, no language prefix: the registration
knows its language)."""

from django.urls import path

from .views import cancel_view, confirm_view

urlpatterns = [
    path(
        "registrations/confirm/<str:token>/", confirm_view, name="kokreative_registration_confirm"
    ),
    path("registrations/cancel/<str:token>/", cancel_view, name="kokreative_registration_cancel"),
]
