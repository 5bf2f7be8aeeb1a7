"""The privacy consent of the visitors' forms (consultations, registrations): the link to the
site's privacy policy page (``KokreativeSettings.privacy_page``) and the checkbox label."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from .models import KokreativeSettings


def site_settings_of(page, request=None) -> KokreativeSettings | None:
    if request is not None:
        return KokreativeSettings.for_request(request)
    site = page.get_site()
    return KokreativeSettings.for_site(site) if site is not None else None


def privacy_url(site_settings, request=None) -> str | None:
    """URL of the live privacy page of the site settings, in the active language."""
    page = getattr(site_settings, "privacy_page", None)
    if page is None:
        return None
    page = page.localized if hasattr(page, "localized") else page
    if not page.live:
        return None
    return page.get_url(request=request)


def consent_label(text: str, url: str | None) -> str | SafeString:
    """The checkbox label: ``text`` and a link to the privacy policy (both escaped)."""
    if not url:
        return text
    return format_html(
        '{} <a href="{}" target="_blank" rel="noopener">{}</a>',
        text,
        url,
        gettext("Privacy policy (opens in a new tab)"),
    )
