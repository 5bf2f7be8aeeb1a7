"""The registrations in Wagtail's admin: their views, a menu item, a dashboard panel."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls
from .dashboard import construct_homepage_panels
from .overview import may_see_some


@hooks.register("register_admin_urls")
def register_registration_admin_urls() -> list:
    return [path("kokreative/registrations/", include(admin_urls, namespace=admin_urls.app_name))]


class RegistrationsMenuItem(MenuItem):
    """Shown to users who may edit pages (whose events may take registrations)."""

    def is_shown(self, request) -> bool:
        return may_see_some(request.user)


@hooks.register("register_admin_menu_item")
def register_registrations_menu_item() -> MenuItem:
    return RegistrationsMenuItem(
        _("Registrations"),
        reverse("kokreative_registrations:index"),
        name="kokreative-registrations",
        icon_name="group",
        order=310,
    )


@hooks.register("construct_homepage_panels")
def add_registrations_dashboard_panel(request, panels) -> None:
    """The next dates with their fill level (see ``dashboard``)."""
    construct_homepage_panels(request, panels)
