"""Our JSON API: one django-ninja ``NinjaAPI`` with a router per installed capability app.

Ours, not Wagtail 8's v3 API, because Wagtail 7.x has none; it uses its own URL namespace so the
two coexist. A capability app contributes ``router`` in its ``api.py``; an app left out of
INSTALLED_APPS leaves no endpoint behind.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from wagtail.rich_text import expand_db_html

from . import __version__, cors, http_caching
from .api_utils import (
    MAX_ID,
    APIError,
    ErrorSchema,
    check_query_parameters,
    field_errors_from_ninja,
    paginate,
    resolve_locale,
)
from .capabilities import api_routers
from .models import Element
from .request_language import requested_language
from .schemas import ElementListSchema

URLS_NAMESPACE = "kokreative_api"
API_TITLE = "Kokreative Kommune API"

router = Router(tags=["elements"])


class ElementFilters(Schema):
    locale: str | None = Field(
        None,
        max_length=20,
        description="Language code, e.g. `de`; default: the active language.",
    )
    limit: int | None = Field(
        None,
        ge=1,
        description="Items per page; default and maximum are site settings (20/100).",
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

    check_query_parameters(request, ElementFilters)
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


class APILinksSchema(Schema):
    openapi: str = Field(..., description="Path of the OpenAPI document (`openapi.json`).")
    docs: str = Field(..., description="Path of the interactive documentation.")


class APIIndexSchema(Schema):
    name: str
    version: str = Field(..., description="Version of the kokreative-wagtail package.")
    links: APILinksSchema


index_router = Router(tags=["api"])


@index_router.get(
    "/",
    response={200: APIIndexSchema},
    summary="What this API is and where its documentation lives",
    operation_id="api_index",
)
def api_index(request):
    """A JSON answer for the API's root path, so that a client probing it gets no HTML page."""
    return {
        "name": API_TITLE,
        "version": __version__,
        "links": {
            "openapi": f"{request.path}openapi.json",
            "docs": f"{request.path}docs",
        },
    }


#: Order of the methods in an ``Allow`` header (others follow alphabetically).
METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

#: The view names of django-ninja's own URLs, which answer GET whatever the method.
GET_ONLY_URL_NAMES = {"openapi-json", "openapi-view", "api-root"}


def allow_header(methods: Iterable[str]) -> str:
    """The ``Allow`` value of a path: its methods, HEAD with GET, and OPTIONS, which all answer."""
    names = {method.strip().upper() for method in methods if method.strip()}
    if "GET" in names:
        names.add("HEAD")
    names.add("OPTIONS")
    rank = {method: index for index, method in enumerate(METHOD_ORDER)}
    return ", ".join(sorted(names, key=lambda method: (rank.get(method, len(rank)), method)))


def _error_response(api: NinjaAPI, request, detail, errors=None, status=400, headers=None):
    response = api.create_response(
        request, {"detail": detail, "errors": errors or {}}, status=status
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def method_response(api: NinjaAPI, request: HttpRequest, allowed: Iterable[str]) -> HttpResponse:
    """OPTIONS: 204 with ``Allow``; any other method the path lacks: our JSON 405 with ``Allow``.

    A CORS preflight is an OPTIONS too: its 204 carries the CORS grant of an allowed origin
    (``KOKREATIVE["CORS_ALLOWED_ORIGINS"]``, see :mod:`.cors`) and none for any other, so the
    browser keeps that origin out.
    """
    allow = allow_header(allowed)
    if request.method == "OPTIONS":
        return cors.preflight_response(request, allow)
    return _error_response(
        api,
        request,
        _("The method %(method)s is not allowed here; allowed: %(allowed)s.")
        % {"method": request.method, "allowed": allow},
        status=405,
        headers={"Allow": allow},
    )


def answer_all_methods(
    api: NinjaAPI,
    view: Callable[..., HttpResponse],
    get_only: bool = False,
    operations: dict[str, str] | None = None,
) -> Callable[..., HttpResponse]:
    """Wrap a view of the API so that every method gets a JSON answer or an empty one.

    django-ninja answers a method a path lacks with a plain-text 405 and knows no HEAD; this
    turns that 405 into ours (the methods come from its ``Allow``), runs HEAD as GET without
    the body and answers OPTIONS (CORS preflights too); a body over Django's upload limit is
    our 413, not Django's HTML 400. ``get_only``: a view that never looks at the method
    (django-ninja's OpenAPI document and docs page).

    Every answer is made in the request's language (``?locale=``, ``Accept-Language``, see
    :mod:`.request_language`), says so in ``Content-Language`` and gets the caching headers of
    its route (``operations``: method -> operation id, see :mod:`.http_caching`) and the CORS
    headers of its origin.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        method = request.method or "GET"
        effective = "GET" if method == "HEAD" else method
        language = requested_language(request)
        with translation.override(language):
            if get_only and effective != "GET":
                response = method_response(api, request, ["GET"])
            else:
                response = _run(api, view, request, effective, args, kwargs)
            if method != "OPTIONS":
                operation_id = (operations or {}).get(effective, "")
                public = http_caching.is_public_read(operation_id)
                response = http_caching.finalize_response(
                    request, response, language=language, public=public
                )
        if method == "HEAD" and not response.streaming:
            length = len(response.content)
            response.content = b""
            response["Content-Length"] = str(length)
        return response

    # Like django-ninja's own views: a method the view does not serve changes nothing.
    wrapped.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapped


def _run(
    api: NinjaAPI,
    view: Callable[..., HttpResponse],
    request: HttpRequest,
    effective: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> HttpResponse:
    method = request.method
    request.method = effective
    try:
        response = view(request, *args, **kwargs)
    except RequestDataTooBig:  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE, else its HTML 400
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        response = _error_response(
            api,
            request,
            _("The request body is larger than %(limit)d bytes.") % {"limit": limit},
            status=413,
        )
    finally:
        request.method = method
    if isinstance(response, HttpResponseNotAllowed):
        response = method_response(api, request, response["Allow"].split(","))
    return response


def operation_ids(api: NinjaAPI, callback: Callable[..., Any]) -> dict[str, str]:
    """Method -> operation id of the django-ninja path view behind a URL ``callback``.

    django-ninja keeps the path view in the callback (a bound method in older versions, a
    closure in newer ones); a callback without one gives ``{}`` (treated as personal).
    """
    candidates = [getattr(callback, "__self__", None)]
    for cell in getattr(callback, "__closure__", None) or ():
        try:
            candidates.append(cell.cell_contents)
        except ValueError:  # an empty cell
            continue
    for candidate in candidates:
        operations = getattr(candidate, "operations", None)
        if not isinstance(operations, list):
            continue
        return {
            method.upper(): operation.operation_id or api.get_openapi_operation_id(operation)
            for operation in operations
            for method in operation.methods
        }
    return {}


#: An OpenAPI response body in our error shape.
ERROR_CONTENT = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorSchema"}}}


class KokreativeAPI(NinjaAPI):
    """django-ninja's API, with JSON answers for every method and the errors in its OpenAPI."""

    @property
    def urls(self) -> tuple[list[Any], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                get_only = pattern.name in GET_ONLY_URL_NAMES
                operations = (
                    {"GET": pattern.name or ""}
                    if get_only
                    else operation_ids(self, pattern.callback)
                )
                pattern.callback = answer_all_methods(
                    self, pattern.callback, get_only=get_only, operations=operations
                )
        return patterns, app_name, namespace

    def get_openapi_schema(
        self,
        *,
        path_prefix: str | None = None,
        path_params: dict[str, Any] | None = None,
    ) -> OpenAPISchema:
        """Add the 405 every path can answer, the 413 of every body and ``Retry-After`` of a 429.

        django-ninja lists only the responses a view declares; a 405 comes from the routing.
        """
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for path_item in schema.get("paths", {}).values():
            for operation in path_item.values():
                responses = operation.setdefault("responses", {})
                statuses = {str(status): status for status in responses}
                if "405" not in statuses:
                    responses[405] = {
                        "description": "Method Not Allowed (another method on this path); "
                        "the Allow header lists the methods",
                        "content": ERROR_CONTENT,
                        "headers": {
                            "Allow": {
                                "description": "The methods of this path.",
                                "schema": {"type": "string"},
                            }
                        },
                    }
                if "requestBody" in operation and "413" not in statuses:
                    responses[413] = {
                        "description": "Content Too Large",
                        "content": ERROR_CONTENT,
                    }
                if "429" in statuses:
                    too_many = responses[statuses["429"]]
                    too_many["description"] = (
                        "Too Many Requests; the Retry-After header gives the seconds to wait"
                    )
                    too_many.setdefault("headers", {})["Retry-After"] = {
                        "description": "Seconds until the rate limit lets the client send again.",
                        "schema": {"type": "integer"},
                    }
        return schema


def build_api() -> NinjaAPI:
    """Create the API and add the router of every installed Kokreative capability app."""
    api = KokreativeAPI(
        title=API_TITLE,
        version=__version__,
        description=(
            "JSON API of the Kokreative Kommune. "
            'Errors are JSON: {"detail": ..., "errors": {field: [...]}}, also for an unknown '
            "path (404) and a method a path lacks (405, with an `Allow` header). Every path "
            "answers HEAD like GET without a body and OPTIONS with 204 and `Allow`; a 429 "
            "carries `Retry-After` (seconds). Answers are in the language of `?locale=` or "
            "`Accept-Language` (`Content-Language` says which); public reads carry `ETag` and "
            "`Cache-Control: public` and answer `If-None-Match` with 304, personal answers are "
            "`Cache-Control: private, no-store` (docs/cross-origin.md)."
        ),
        urls_namespace=URLS_NAMESPACE,
    )

    @api.exception_handler(APIError)
    def on_api_error(request, exc: APIError):
        return _error_response(api, request, exc.detail, exc.errors, exc.status, exc.headers)

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

    api.add_router("", index_router)
    api.add_router("", router)
    for app_router in api_routers():
        api.add_router("", app_router)
    return api


_api: NinjaAPI | None = None


def get_api() -> NinjaAPI:
    """The process-wide API object (configuration, built once on first URL resolution)."""
    global _api
    if _api is None:
        _api = build_api()
    return _api
