"""The outbox in Wagtail's admin: editors see pending and failed e-mails and send them again.

Who may see a row is who may see its submission: superusers, and users who may edit the form
page (Wagtail's ``get_forms_for_user``, including its ``filter_form_submissions_for_user``
hooks). Nobody adds, edits or deletes rows here: a row is deleted with its submission.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import Permission
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet

try:  # Wagtail 8: the "more" menu of a listing row takes menu items
    from wagtail.admin.ui.menus import MenuItem as MoreButton
except ImportError:  # Wagtail 7.x: it takes listing buttons (the same arguments)
    from wagtail.admin.widgets.button import ListingButton as MoreButton
from wagtail.contrib.forms.utils import get_forms_for_user
from wagtail.permission_policies.base import BasePermissionPolicy

from .models import Notification
from .tasks import requeue


class NotificationPermissionPolicy(BasePermissionPolicy):
    """ "view" (which includes sending again) for the editors of the form page; nothing else."""

    def __init__(self) -> None:
        super().__init__(Notification)

    @staticmethod
    def form_pages(user):

        return get_forms_for_user(user)

    def user_has_permission(self, user, action: str) -> bool:
        if action != "view" or not user.is_active:
            return False
        return user.is_superuser or self.form_pages(user).exists()

    def instances_user_has_permission_for(self, user, action: str):
        rows = Notification.objects.all()
        if action != "view" or not user.is_active:
            return rows.none()
        if user.is_superuser:
            return rows
        return rows.filter(page__in=self.form_pages(user).values("pk"))

    def user_has_permission_for_instance(self, user, action: str, instance) -> bool:
        return self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()


permission_policy = NotificationPermissionPolicy()


class NotificationIndexView(IndexView):
    def get_base_queryset(self):
        rows = permission_policy.instances_user_has_permission_for(self.request.user, "view")
        return rows.select_related("page")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status != Notification.Status.SENT:
            buttons.append(
                MoreButton(
                    _("Send again"),
                    url=reverse("kokreative_notification:resend", args=[instance.pk]),
                    icon_name="resubmit",
                    priority=30,
                )
            )
        return buttons


class ResendView(WagtailAdminTemplateMixin, TemplateView):
    """Ask, then make the row due now (attempts from zero) and enqueue it."""

    template_name = "kokreative_wagtail/outbox/resend.html"
    page_title = _("Send again")
    header_icon = "mail"

    def dispatch(self, request, pk: int, *args, **kwargs):
        rows = permission_policy.instances_user_has_permission_for(request.user, "view")
        self.object = rows.exclude(status=Notification.Status.SENT).filter(pk=pk).first()
        if self.object is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            object=self.object, index_url=reverse("kokreative_notification:index"), **kwargs
        )

    def post(self, request, *args, **kwargs):
        requeue(self.object)
        messages.success(request, _("The e-mail is being sent again."))
        return redirect("kokreative_notification:index")


class NotificationInspectView(InspectView):
    """A notification's fields; one not set (not sent yet, no retry due) shows a dash, not
    Python's ``None``."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return "-" if value is None else value


class NotificationViewSet(ModelViewSet):
    model = Notification
    name = "kokreative_notification"
    url_prefix = "kokreative/notifications"
    icon = "mail"
    menu_label = _("Notification e-mails")
    menu_order = 320
    add_to_admin_menu = True
    index_view_class = NotificationIndexView
    inspect_view_enabled = True
    inspect_view_class = NotificationInspectView
    copy_view_enabled = False
    list_display = [
        "created_at",
        "kind",
        "page",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "kind"]
    inspect_view_fields = [
        "kind",
        "page",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
        "created_at",
        "from_email",
        "recipients",
        "reply_to",
        "subject",
        "body",
    ]
    # the model's fields are not edited here; the form is never shown (no add/change permission)
    form_fields = ["status"]
    # no reference index work per row, and no model permissions in the group editor: who sees a
    # row is decided by the form page's permissions (NotificationPermissionPolicy)
    add_to_reference_index = False

    def get_permissions_to_register(self):

        return Permission.objects.none()

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("resend/<int:pk>/", ResendView.as_view(), name="resend"),
        ]
