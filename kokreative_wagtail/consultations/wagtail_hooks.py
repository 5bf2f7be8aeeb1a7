"""The consultation forms in Wagtail's admin: a dashboard panel and the views of ours."""

from django.urls import include, path
from wagtail import hooks

from . import admin_urls
from .dashboard import construct_homepage_panels


@hooks.register("register_admin_urls")
def register_consultation_admin_urls() -> list:
    """Deleting from a form's list of submissions in all languages (``translated_submissions``)."""
    return [path("kokreative/forms/", include(admin_urls, namespace=admin_urls.app_name))]


@hooks.register("construct_homepage_panels")
def add_submissions_dashboard_panel(request, panels) -> None:
    """The forms that received submissions in the last days (see ``dashboard``)."""

    construct_homepage_panels(request, panels)
