"""Absolute links of a registration's e-mails, on the site of the page it came from."""

from __future__ import annotations

from django.urls import reverse

from ..conf import get_setting
from .tokens import Purpose, make_token


def site_root(page) -> str:
    """``PUBLIC_BASE_URL``, else the root URL of the page's site."""
    base = get_setting("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/")
    site = page.get_site()
    return site.root_url.rstrip("/") if site is not None else ""


def confirm_url(registration, page) -> str:
    token = make_token(registration, Purpose.CONFIRM)
    return site_root(page) + reverse("kokreative_registration_confirm", args=[token])


def cancel_url(registration, page) -> str:
    token = make_token(registration, Purpose.CANCEL)
    return site_root(page) + reverse("kokreative_registration_cancel", args=[token])
