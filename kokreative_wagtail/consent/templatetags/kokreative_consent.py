"""Consent in templates: ``{% load kokreative_consent %}``.

- ``{% kokreative_consent_banner %}``: the banner (while a decision is missing) and the settings
  dialog; put it at the end of ``<body>``.
- ``{% kokreative_consent_settings_link %}``: the "Cookie settings" link for the footer.
- ``{% if_consent "statistics" %}…{% else %}…{% endif_consent %}``: render a part only with
  consent for a group, e.g. a site's own statistics ``<script>``.
- ``{{ request|has_consent:"statistics" }}``: the same test as a filter, for ``{% if %}``.

Every one of them reads consent through :func:`~kokreative_wagtail.consent.state.get_consent_state`,
so the response is marked as varying by consent.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.db import DatabaseError
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kokreative_wagtail.models import KokreativeSettings

from ..state import get_consent_state

register = template.Library()

SETTINGS_URL_NAME = "kokreative_consent_settings"
DECIDE_URL_NAME = "kokreative_consent_decide"


def _request(context) -> HttpRequest | None:
    return context.get("request")


def _privacy_url(request: HttpRequest) -> str:
    """The privacy page of the request's site (``KokreativeSettings``), or ``""``."""
    try:
        page = KokreativeSettings.for_request(request).privacy_page
    except (KokreativeSettings.DoesNotExist, DatabaseError):
        return ""  # no site for this host, settings table missing: no link, no 500
    if page is None or not page.live:
        return ""
    return page.get_url(request) or ""


def _on_settings_page(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == SETTINGS_URL_NAME


def settings_href(next_url: str) -> str:
    """The settings page (the dialog's fallback without JavaScript), returning to ``next_url``."""
    return f"{reverse(SETTINGS_URL_NAME)}?{urlencode({'next': next_url})}"


def form_context(request: HttpRequest, next_url: str | None = None) -> dict[str, Any]:
    """What the banner and the settings form need: state, URLs, CSRF token, privacy link."""
    next_url = next_url or request.get_full_path()
    return {
        "request": request,
        "consent": get_consent_state(request),
        "decide_url": reverse(DECIDE_URL_NAME),
        "settings_href": settings_href(next_url),
        "next_url": next_url,
        "csrf_token": get_token(request),
        "privacy_url": _privacy_url(request),
    }


def render_banner(context) -> str:
    """The banner and dialog for ``context``'s request; ``""`` where they do not belong.

    Nothing renders without a request, on the settings page itself (its form is the page), or
    when the site did not include ``kokreative_wagtail.urls``.
    """
    request = _request(context)
    if request is None or _on_settings_page(request):
        return ""
    try:
        values = form_context(request)
    except NoReverseMatch:
        return ""
    values["show_dialog"] = True
    return render_to_string("kokreative_wagtail/consent/banner.html", values)


def render_settings_link(context, label: str | None = None) -> str:
    """The footer link; JavaScript opens the settings dialog instead of following it."""
    request = _request(context)
    if request is None:
        return ""
    try:
        next_url = request.get_full_path()
        if _on_settings_page(request):
            next_url = context.get("next_url") or "/"
        href = settings_href(next_url)
    except NoReverseMatch:
        return ""
    return format_html(
        '<a class="kk-consent-settings-link" href="{}" data-kk-consent-open>{}</a>',
        href,
        label or _("Cookie settings"),
    )


@register.simple_tag(takes_context=True)
def kokreative_consent_banner(context) -> SafeString:
    """Banner (while a decision is missing) and the settings dialog; end of ``<body>``."""
    return mark_safe(render_banner(context))


@register.simple_tag(takes_context=True)
def kokreative_consent_settings_link(context, label: str | None = None) -> SafeString:
    """The "Cookie settings" link that re-opens the choice from every page (withdrawal)."""
    return mark_safe(render_settings_link(context, label))


@register.simple_tag(takes_context=True)
def kokreative_consent_settings_form(context) -> SafeString:
    """The per-group form of the settings page (context: ``request``, optional ``next_url``)."""
    request = _request(context)
    if request is None:
        return mark_safe("")
    values = form_context(request, context.get("next_url"))
    values["id_prefix"] = "kk-consent-page"
    values["errors"] = context.get("errors") or {}
    return mark_safe(
        render_to_string("kokreative_wagtail/consent/includes/settings_form.html", values)
    )


@register.filter
def has_consent(request: HttpRequest | None, varname: str) -> bool:
    """``{% if request|has_consent:"statistics" %}``: has the visitor accepted the group?"""
    if request is None or not hasattr(request, "COOKIES"):
        return False
    return get_consent_state(request).accepted(str(varname))


class IfConsentNode(template.Node):
    def __init__(self, group: template.base.FilterExpression, nodelist_true, nodelist_false):
        self.group = group
        self.nodelist_true = nodelist_true
        self.nodelist_false = nodelist_false

    def render(self, context) -> str:
        if has_consent(_request(context), self.group.resolve(context)):
            return self.nodelist_true.render(context)
        return self.nodelist_false.render(context)


@register.tag("if_consent")
def do_if_consent(parser, token) -> IfConsentNode:
    """``{% if_consent "statistics" %}…{% else %}…{% endif_consent %}``.

    Renders the first part only when the request's visitor accepted the group (required groups
    always are, unknown groups never), else the optional ``{% else %}`` part. A site gates its
    own scripts by rendering them inside: a script that is not in the page is not run.
    """
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the group's varname")
    group = parser.compile_filter(bits[1])
    nodelist_true = parser.parse(("else", "endif_consent"))
    token = parser.next_token()
    if token.contents == "else":
        nodelist_false = parser.parse(("endif_consent",))
        parser.delete_first_token()
    else:
        nodelist_false = template.NodeList()
    return IfConsentNode(group, nodelist_true, nodelist_false)
