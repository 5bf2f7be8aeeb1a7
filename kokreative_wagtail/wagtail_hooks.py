from django.apps import apps
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Element


class ElementViewSet(SnippetViewSet):
    model = Element
    icon = "tag"
    menu_label = _("Elements")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name", "summary"]
    ordering = ["sort_order", "name"]


register_snippet(ElementViewSet)


# The outbox of notification e-mails: pending and failed ones, with "Send again" (see
# docs/forms.md#delivery). Its rows come from form submissions, so it needs Wagtail's forms.
if apps.is_installed("wagtail.contrib.forms"):
    from .outbox.admin import NotificationViewSet, permission_policy

    try:  # Wagtail 8: policies are registered per model
        from wagtail.permissions import register_permission_policy
    except ImportError:  # pragma: no cover - Wagtail 7 reads the viewset's attribute
        NotificationViewSet.permission_policy = permission_policy
    else:
        from .outbox.models import Notification

        register_permission_policy(Notification, permission_policy)

    @hooks.register("register_admin_viewset")
    def register_notification_viewset():
        return NotificationViewSet()

    from .outbox import wagtail_hooks as outbox_hooks  # noqa: F401 - its dashboard panel
