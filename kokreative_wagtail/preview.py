"""Previews for headless front ends.

With ``KOKREATIVE["HEADLESS_PREVIEW_URL"]`` set, the admin's preview of our page types shows the
site's front end instead of our templates: the unsaved page is stored as a snapshot in the shared
cache under a random token, and the preview panel loads ``<front end>?content_type=…&token=…``.
The front end reads the snapshot through :class:`PagePreviewAPIViewSet` in Wagtail's API v2
shape, so it renders a draft with the same code as a published page. The query parameters are
those of wagtail-headless-preview, so front ends written for it work unchanged.

The snapshot lives in the cache, never in process memory or on local disk: with several app
servers the cache must be shared (Redis, Memcached, the database cache).
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.apps import apps
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from wagtail.models import Page, Site

from .conf import get_setting

CACHE_PREFIX = "kokreative:preview:"
#: The token's length in characters (``secrets.token_urlsafe(32)``).
TOKEN_LENGTH = 43


def content_type_string(model: type[Page]) -> str:
    """``app_label.modelname``, as wagtail-headless-preview names a page type."""
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _cache():
    return caches[get_setting("HEADLESS_PREVIEW_CACHE")]


def store_preview(page: Page) -> str:
    """Keep a snapshot of ``page`` (saved or not) for the preview TTL; return its token."""
    token = secrets.token_urlsafe(32)
    snapshot = {
        "content_type": content_type_string(type(page)),
        "page": page.to_json(),
    }
    _cache().set(CACHE_PREFIX + token, snapshot, get_setting("HEADLESS_PREVIEW_TTL"))
    return token


def load_preview(token: str, content_type: str | None = None) -> Page | None:
    """The page stored under ``token``, or ``None`` when unknown, expired or of another type."""
    if not isinstance(token, str) or len(token) != TOKEN_LENGTH:
        return None
    snapshot = _cache().get(CACHE_PREFIX + token)
    if not isinstance(snapshot, dict):
        return None
    if content_type and content_type.lower() != snapshot["content_type"]:
        return None
    app_label, model_name = snapshot["content_type"].split(".")
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return None
    return model.from_json(snapshot["page"])


def front_end_url(request: HttpRequest) -> str | None:
    """The configured front-end URL for the request's site, or ``None``."""
    configured = get_setting("HEADLESS_PREVIEW_URL")
    if isinstance(configured, dict):
        site = Site.find_for_request(request)
        hostname = site.hostname if site is not None else request.get_host().split(":")[0]
        configured = configured.get(hostname, configured.get("default"))
    return configured or None


def preview_url(base_url: str, page: Page, token: str, mode_name: str) -> str:
    """``base_url`` with ``content_type``, ``token`` and ``mode`` added to its query."""
    parts = urlsplit(base_url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [("content_type", content_type_string(type(page))), ("token", token)]
    if mode_name:
        query.append(("mode", mode_name))
    return urlunsplit(parts._replace(query=urlencode(query)))


def serve_headless_preview(page: Page, request: HttpRequest, mode_name: str) -> HttpResponse | None:
    """The preview panel's page for ``page``, or ``None`` when no front end is configured."""
    base_url = front_end_url(request)
    if base_url is None:
        return None
    token = store_preview(page)
    context: dict[str, Any] = {
        "page": page,
        "preview_url": preview_url(base_url, page, token, mode_name),
        "ttl_minutes": get_setting("HEADLESS_PREVIEW_TTL") // 60,
    }
    response = TemplateResponse(request, "kokreative_wagtail/headless_preview.html", context)
    # The snapshot is personal to this preview: never cache the page that carries its token.
    response["Cache-Control"] = "private, no-store"
    return response
