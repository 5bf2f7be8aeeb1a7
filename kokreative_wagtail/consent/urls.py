"""Consent URLs; ``kokreative_wagtail.urls`` includes them when the app is installed."""

from django.urls import path

from . import views

urlpatterns = [
    path("consent/decide/", views.decide, name="kokreative_consent_decide"),
    path("consent/settings/", views.settings_view, name="kokreative_consent_settings"),
]
