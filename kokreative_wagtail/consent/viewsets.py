"""Wagtail admin for consent: cookie groups and cookies (editors), consent records (read only).

django-cookie-consent registers its models only in Django's admin; Wagtail editors get them
here, under one "Consent" menu. A group's and a cookie's own texts are in the site's default
language; their texts in other languages are edited beside them ("Cookie group texts",
"Cookie texts"). Records are proof: nobody edits or adds them in the admin, they
are searched by consent id and exported (CSV/XLSX) from the listing.

Values are shown in the editor's words (admin_display.py); django-cookie-consent's own labels
are German through our catalogue (library_strings.py).
"""

from __future__ import annotations

from collections.abc import Callable

from cookie_consent.models import Cookie, CookieGroup
from django.db import models
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import InspectView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy

from .admin_display import group_names, source_label, time_in_words, yes_no_of
from .models import ConsentRecord, CookieGroupText, CookieText


def _column(model: type[models.Model], field: str, accessor: Callable[[object], str]) -> Column:
    """A sortable column of ``field``, labelled as the field, showing ``accessor(row)``."""
    label = capfirst(model._meta.get_field(field).verbose_name)
    return Column(field, label=label, accessor=accessor, sort_key=field)


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Viewing and deleting (retention) as the model permissions allow; never adding or editing."""

    def user_has_permission(self, user, action):
        if action in ("add", "change"):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class CookieGroupViewSet(ModelViewSet):
    model = CookieGroup
    name = "kokreative_cookie_groups"  # namespaced: a site may have viewsets of its own
    url_prefix = "consent/groups"
    icon = "lock"
    menu_label = _("Cookie groups")
    list_display = [
        "name",
        "varname",
        _column(CookieGroup, "is_required", yes_no_of("is_required")),
        "ordering",
    ]
    form_fields = ["name", "varname", "description", "is_required", "is_deletable", "ordering"]
    search_fields = ["name", "varname", "description"]
    ordering = ["ordering", "name"]
    copy_view_enabled = False


class CookieViewSet(ModelViewSet):
    model = Cookie
    name = "kokreative_cookies"
    url_prefix = "consent/cookies"
    icon = "list-ul"
    menu_label = _("Cookies")
    list_display = ["name", "cookiegroup", "domain", "path"]
    list_filter = ["cookiegroup"]
    form_fields = ["cookiegroup", "name", "description", "domain", "path"]
    search_fields = ["name", "description", "domain"]
    copy_view_enabled = False


class CookieGroupTextViewSet(ModelViewSet):
    """A group's name and description in another language (banner, settings page, API)."""

    model = CookieGroupText
    name = "kokreative_cookie_group_texts"
    url_prefix = "consent/group-texts"
    icon = "globe"
    menu_label = _("Cookie group texts")
    list_display = ["name", "group", "language_code"]
    list_filter = ["group", "language_code"]
    form_fields = ["group", "language_code", "name", "description"]
    search_fields = ["name", "description"]


class CookieTextViewSet(ModelViewSet):
    """A cookie's description in another language."""

    model = CookieText
    name = "kokreative_cookie_texts"
    url_prefix = "consent/cookie-texts"
    icon = "globe"
    menu_label = _("Cookie texts")
    list_display = ["cookie", "language_code", "description"]
    list_filter = ["cookie__cookiegroup", "language_code"]
    form_fields = ["cookie", "language_code", "description"]
    search_fields = ["description"]


class ConsentRecordInspectView(InspectView):
    """A record's groups by name, its source and time in words (Wagtail would print Python's)."""

    def get_created_display_value(self) -> str:
        return time_in_words(self.object.created)

    def get_accepted_display_value(self) -> str:
        return group_names(self.object.accepted) or "-"

    def get_declined_display_value(self) -> str:
        return group_names(self.object.declined) or "-"

    def get_source_display_value(self) -> str:
        return source_label(self.object.source)


class ConsentRecordViewSet(ModelViewSet):
    """Records as editors read them; the export keeps the stored values.

    The export is for machines and for proof: ``created`` as a time the spreadsheet understands,
    ``action`` and ``source`` as their stored keys, the groups as their varnames (comma-separated):
    stable across renamed groups and across the exporting editor's language. Its headings are the
    fields' (German) names.
    """

    model = ConsentRecord
    name = "kokreative_consent_records"
    url_prefix = "consent/records"
    icon = "doc-full"
    menu_label = _("Consent records")
    list_display = [
        "consent_id",
        _column(ConsentRecord, "created", lambda record: time_in_words(record.created)),
        "action",  # Wagtail shows get_action_display(): the choice's label
        _column(ConsentRecord, "accepted", lambda record: group_names(record.accepted)),
        _column(ConsentRecord, "declined", lambda record: group_names(record.declined)),
        _column(ConsentRecord, "source", lambda record: source_label(record.source)),
    ]
    list_filter = ["action", "source"]
    list_export = [
        "consent_id",
        "created",
        "action",
        "accepted",
        "declined",
        "banner_version",
        "source",
    ]
    export_filename = "consent-records"
    search_fields = ["consent_id"]
    form_fields = ["action"]  # required by the viewset; the policy forbids editing
    inspect_view_enabled = True
    inspect_view_class = ConsentRecordInspectView
    copy_view_enabled = False

    @cached_property
    def permission_policy(self):
        return ReadOnlyPermissionPolicy(self.model)


class ConsentViewSetGroup(ModelViewSetGroup):
    menu_label = _("Consent")
    menu_icon = "lock"
    menu_order = 900
    items = (
        CookieGroupViewSet,
        CookieGroupTextViewSet,
        CookieViewSet,
        CookieTextViewSet,
        ConsentRecordViewSet,
    )


def register_read_only_policy() -> None:
    """Wagtail 8 looks permission policies up in a registry; 7.x asks the viewset."""
    try:
        from wagtail.permissions import register_permission_policy
    except ImportError:  # Wagtail 7.x
        return
    register_permission_policy(ConsentRecord, ReadOnlyPermissionPolicy(ConsentRecord))
