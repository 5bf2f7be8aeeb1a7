"""Our JSON API: one django-ninja ``NinjaAPI`` with a router per installed capability app.

Ours, not Wagtail 8's v3 API, because Wagtail 7.x has none; it uses its own URL namespace so the
two coexist. A capability app contributes ``router`` in its ``api.py``; an app left out of
INSTALLED_APPS leaves no endpoint behind.
"""

from __future__ import annotations

import importlib

from django.apps import apps
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Router, Schema
from ninja.errors import HttpError, ValidationError
from wagtail.rich_text import expand_db_html

from . import __version__
from .api_utils import (
    MAX_ID,
    APIError,
    ErrorSchema,
    field_errors_from_ninja,
    paginate,
    resolve_locale,
)
from .schemas import ElementListSchema

URLS_NAMESPACE = "kokreative_api"

router = Router(tags=["elements"])


class ElementFilters(Schema):
    locale: str | None = Field(
        None, max_length=20, description="Language code, e.g. `de`; default: the active language."
    )
    limit: int | None = Field(
        None, ge=1, description="Items per page; default and maximum are site settings (20/100)."
    )
    offset: int = Field(0, ge=0, le=MAX_ID, description="Number of items to skip.")


@router.get(
    "/elements",
    response={200: ElementListSchema, 400: ErrorSchema},
    summary="List the elements of the Kokreative Kommune",
    operation_id="list_elements",
)
def list_elements(request, filters: Query[ElementFilters]):
    """The element taxonomy in one locale (``?locale=de``; default: the active language)."""
    from .models import Element

    locale = resolve_locale(filters.locale)
    queryset = Element.objects.filter(locale=locale).select_related("locale")
    count, items = paginate(queryset, filters.limit, filters.offset)
    return {
        "count": count,
        "items": [
            {
                "id": element.pk,
                "translation_key": str(element.translation_key),
                "locale": element.locale.language_code,
                "name": element.name,
                "slug": element.slug,
                "summary": element.summary,
                "description": expand_db_html(element.description or ""),
                "colour": element.colour,
                "icon": element.icon,
                "sort_order": element.sort_order,
            }
            for element in items
        ],
    }


def _error_response(api: NinjaAPI, request, detail, errors=None, status=400):
    return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)


def build_api() -> NinjaAPI:
    """Create the API and add the router of every installed Kokreative capability app."""
    api = NinjaAPI(
        title="Kokreative Kommune API",
        version=__version__,
        description=(
            "JSON API of the Kokreative Kommune. "
            'Errors are JSON: {"detail": ..., "errors": {field: [...]}}.'
        ),
        urls_namespace=URLS_NAMESPACE,
    )

    @api.exception_handler(APIError)
    def on_api_error(request, exc: APIError):
        return _error_response(api, request, exc.detail, exc.errors, exc.status)

    @api.exception_handler(ValidationError)
    def on_validation_error(request, exc: ValidationError):
        return _error_response(
            api, request, _("Invalid request."), field_errors_from_ninja(exc.errors)
        )

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return _error_response(api, request, _("Not found."), status=404)

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        return _error_response(api, request, str(exc.message), status=exc.status_code)

    api.add_router("", router)
    for app_config in apps.get_app_configs():
        if not app_config.name.startswith("kokreative_wagtail."):
            continue
        try:
            module = importlib.import_module(f"{app_config.name}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app_config.name}.api":
                raise
            continue
        app_router = getattr(module, "router", None)
        if app_router is not None:
            api.add_router("", app_router)
    return api


_api: NinjaAPI | None = None


def get_api() -> NinjaAPI:
    """The process-wide API object (configuration, built once on first URL resolution)."""
    global _api
    if _api is None:
        _api = build_api()
    return _api
