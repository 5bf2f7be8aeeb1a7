"""Wagtail API v2 viewsets for headless front ends; a site registers them instead of Wagtail's.

    from kokreative_wagtail.api_v2 import DocumentsAPIViewSet, ImagesAPIViewSet, PagesAPIViewSet

They answer as Wagtail's do, plus: absolute URLs (``html_url``, ``detail_url``, the ``find``
redirect, download URLs) from the request or ``KOKREATIVE["PUBLIC_BASE_URL"]`` instead of the
Site record; every page's ``translation_key`` and ``alternates`` (its live, public translations);
``find/?html_path=`` for paths with a language prefix (``/en/…``); ``first_published_at`` in the
date-time form of our API; and errors as ``{"detail", "errors", "message"}`` (``message`` is
Wagtail's key, kept for its clients). CORS, the request's language and caching headers come from
:class:`~kokreative_wagtail.api_v2_http.HeadlessHTTPMixin`.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldError, PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponseRedirect
from django.urls.exceptions import NoReverseMatch
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.fields import Field, SkipField
from rest_framework.response import Response
from wagtail.api.v2.filters import LocaleFilter
from wagtail.api.v2.serializers import PageAliasOfField, PageParentField, get_serializer_class
from wagtail.api.v2.serializers import PageSerializer as WagtailPageSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet as WagtailPagesAPIViewSet
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.documents.api.v2.serializers import DocumentSerializer as WagtailDocumentSerializer
from wagtail.documents.api.v2.views import DocumentsAPIViewSet as WagtailDocumentsAPIViewSet
from wagtail.images.api.v2.serializers import ImageSerializer as WagtailImageSerializer
from wagtail.images.api.v2.views import ImagesAPIViewSet as WagtailImagesAPIViewSet
from wagtail.models import Locale, Page, Site

from .api_v2_http import HeadlessHTTPMixin
from .hygiene import character_problem
from .public_urls import absolute, page_full_url, page_url
from .request_language import answer_in
from .serializers import DateTimeField

# --- serializer fields ------------------------------------------------------------------------


class PublicDetailUrlField(Field):
    """``meta.detail_url``: the object's API URL on the host that answered (or the public base)."""

    def get_attribute(self, instance):
        router = self.context["router"]
        path = router.get_object_detail_urlpath(type(instance), instance.pk)
        if not path:
            raise SkipField  # no endpoint for this model, as Wagtail's field does
        return absolute(self.context.get("request"), path)

    def to_representation(self, url):
        return url


class PublicHtmlUrlField(Field):
    """``meta.html_url``: the page's absolute URL (see ``public_urls.page_full_url``)."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, page):
        try:
            return page_full_url(page, self.context.get("request"))
        except NoReverseMatch:
            return None


class AlternatesField(Field):
    """``meta.alternates``: the page's live, public translations other than itself.

    ``[{"locale", "id", "title", "url", "full_url"}]``, by language code. A listing looks them up
    for all its pages in one query (see ``PagesAPIViewSet.paginate_queryset``).
    """

    def get_attribute(self, instance):
        return instance

    def to_representation(self, page) -> list[dict[str, Any]]:
        view = self.context.get("view")
        known = getattr(view, "_alternates", None)
        if known is None or page.pk not in known:
            listed = getattr(view, "_listed_pages", None) or []
            pages = listed if any(item.pk == page.pk for item in listed) else [page]
            known = {**(known or {}), **self.lookup(pages)}
            if view is not None:
                view._alternates = known
        return known.get(page.pk, [])

    def lookup(self, pages) -> dict[int, list[dict[str, Any]]]:
        request = self.context.get("request")
        queryset = self.context.get("base_queryset")
        if queryset is None:
            queryset = Page.objects.live().public()
        keys = {page.translation_key for page in pages}
        translations = list(
            queryset.filter(translation_key__in=keys)
            .select_related("locale")
            .order_by("locale__language_code", "pk")
        )
        found: dict[int, list[dict[str, Any]]] = {}
        for page in pages:
            found[page.pk] = [
                {
                    "locale": other.locale.language_code,
                    "id": other.pk,
                    "title": other.title,
                    "url": page_url(other, request),
                    "full_url": page_full_url(other, request),
                }
                for other in translations
                if other.translation_key == page.translation_key and other.pk != page.pk
            ]
        return found


def _page_link(page, context) -> dict:
    """A linked page (parent, alias target) as Wagtail shows it, with our URLs."""
    serializer_class = get_serializer_class(
        page.__class__,
        ["id", "type", "detail_url", "html_url", "title"],
        meta_fields=["type", "detail_url", "html_url"],
        base=PageSerializer,
    )
    return serializer_class(context=context).to_representation(page)


class PublicPageParentField(PageParentField):
    """``meta.parent`` with our URLs."""

    def to_representation(self, value):
        return _page_link(value, self.context)


class PublicPageAliasOfField(PageAliasOfField):
    """``meta.alias_of`` with our URLs."""

    def to_representation(self, value):
        return _page_link(value, self.context)


class PageSerializer(WagtailPageSerializer):
    detail_url = PublicDetailUrlField(read_only=True)
    html_url = PublicHtmlUrlField(read_only=True)
    parent = PublicPageParentField(read_only=True)
    alias_of = PublicPageAliasOfField(read_only=True)
    first_published_at = DateTimeField()
    alternates = AlternatesField(read_only=True)


class DownloadUrlField(Field):
    """``meta.download_url`` of an image or a document, absolute like every URL of ours."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, obj):
        url = obj.file.url if hasattr(obj, "get_rendition") else obj.url
        return absolute(self.context.get("request"), url)


class ImageSerializer(WagtailImageSerializer):
    detail_url = PublicDetailUrlField(read_only=True)
    download_url = DownloadUrlField(read_only=True)


class DocumentSerializer(WagtailDocumentSerializer):
    detail_url = PublicDetailUrlField(read_only=True)
    download_url = DownloadUrlField(read_only=True)


# --- errors -----------------------------------------------------------------------------------

_TRAVERSAL = {
    "parent page doesn't exist": "child_of",
    "descendant page doesn't exist": "ancestor_of",
    "ancestor page doesn't exist": "descendant_of",
    "translation_of page doesn't exist": "translation_of",
    "type doesn't exist": "type",
}


_UNKNOWN_FIELDS = re.compile(r"^unknown fields: (.+)$")
_UNKNOWN_PARAMETERS = re.compile(
    r"^query parameter is not an operation or a recognised field: (.+)$"
)
_BAD_VALUE = re.compile(r"^field filter error\. '(.*)' is not a valid value for (\S+) ")
_NULL_CHARACTER = re.compile(r"^field filter error\. null characters are not allowed for (\S+)")
_NOT_POSITIVE = re.compile(r"^(\w+) must be a positive integer")
_LIMIT_TOO_HIGH = re.compile(r"^limit cannot be higher than (\d+)")


def field_errors(message: str) -> dict[str, list[str]]:
    """Wagtail's English ``BadRequestError`` text as ``{parameter: [message]}`` in our language."""
    if match := _UNKNOWN_FIELDS.match(message):
        names = match.group(1).split(", ")
        return {"fields": [_("Unknown field: %(name)s.") % {"name": name} for name in names]}
    if match := _UNKNOWN_PARAMETERS.match(message):
        unknown = _("Not a known query parameter or field.")
        return {name: [unknown] for name in match.group(1).split(", ")}
    if match := _BAD_VALUE.match(message):
        value, name = match.groups()
        return {name: [_("“%(value)s” is not a valid value.") % {"value": value}]}
    if match := _NULL_CHARACTER.match(message):
        return {match.group(1): [_("Null characters are not allowed.")]}
    if match := _NOT_POSITIVE.match(message):
        return {match.group(1): [_("Must be a positive integer.")]}
    if match := _LIMIT_TOO_HIGH.match(message):
        return {"limit": [_("Must not be higher than %(max)s.") % {"max": match.group(1)}]}
    if message in _TRAVERSAL:
        return {_TRAVERSAL[message]: [_("No such page or type.")]}
    if "descendant_of with child_of" in message:
        return {"descendant_of": [_("Cannot be combined with child_of.")]}
    if "order" in message:
        return {"order": [_("This ordering is not possible.")]}
    if message.startswith("fields error") or "does not support nested fields" in message:
        return {"fields": [_("The list of fields is not valid.")]}
    if "search" in message:
        return {"search": [_("This search is not possible.")]}
    if "rich_text_format" in message or "rich text format" in message.lower():
        return {"rich_text_format": [_("Not a known rich text format.")]}
    if "site" in message:
        return {"site": [_("Not a known site.")]}
    return {}


def error_response(detail: str, errors: dict | None = None, status_code: int = 400) -> Response:
    """Our error shape, plus Wagtail's ``message`` key (the same text) for Wagtail's clients."""
    return Response(
        {"detail": detail, "errors": errors or {}, "message": detail}, status=status_code
    )


class ErrorShapeMixin:
    """Every 4xx of the viewset as ``{"detail", "errors", "message"}``."""

    def initial(self, request, *args, **kwargs):
        # NUL and lone surrogates in a query parameter reach Wagtail's filters, which compare
        # them in the database: PostgreSQL refuses NUL (a 500). A 400 naming the parameter.
        errors: dict[str, list[str]] = {}
        for name, values in request.query_params.lists():
            for text in (name, *values):
                problem = character_problem(text)
                if problem is not None:
                    errors.setdefault(name[:100], []).append(problem)
        if errors:
            raise FieldBadRequest(errors)
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc):
        if isinstance(exc, Http404):
            return error_response(_("Not found."), status_code=status.HTTP_404_NOT_FOUND)
        if isinstance(exc, BadRequestError):
            errors = getattr(exc, "errors", None) or field_errors(str(exc))
            return error_response(_("Invalid request."), errors)
        if isinstance(exc, PermissionDenied):
            return error_response(_("Permission denied."), status_code=status.HTTP_403_FORBIDDEN)
        if isinstance(exc, APIException) and 400 <= exc.status_code < 500:
            response = super().handle_exception(exc)  # keeps Allow, Retry-After, ...
            detail = exc.detail if isinstance(exc.detail, str) else _("Invalid request.")
            response.data = {"detail": str(detail), "errors": {}, "message": str(detail)}
            return response
        return super().handle_exception(exc)


class FieldBadRequest(BadRequestError):
    """A bad request with its field errors already in our shape."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(next(iter(errors.values()))[0])
        self.errors = errors


# --- viewsets ---------------------------------------------------------------------------------


class PagesAPIViewSet(HeadlessHTTPMixin, ErrorShapeMixin, WagtailPagesAPIViewSet):
    """Wagtail's pages endpoint, plus what a front end on another origin needs."""

    base_serializer_class = PageSerializer
    meta_fields = [*WagtailPagesAPIViewSet.meta_fields, "translation_key", "alternates"]
    listing_default_fields = [
        *WagtailPagesAPIViewSet.listing_default_fields,
        "translation_key",
        "alternates",
    ]

    def get_base_queryset(self):
        # asked for three times a request (queryset, serializer context, filters): one lookup
        # of the view restrictions is enough
        if getattr(self, "_base_queryset", None) is None:
            self._base_queryset = super().get_base_queryset()
        return self._base_queryset.all()

    def filter_queryset(self, queryset):
        self.check_locale_parameter()
        backends = self.filter_backends
        if self.action == "detail_view":
            # On a detail, ?locale= chooses the language of labels and messages only (as on
            # every endpoint of ours); Wagtail's locale filter made it a 404 for a page of
            # another language, which punishes a front end that sends ?locale= everywhere.
            self.filter_backends = [b for b in backends if b is not LocaleFilter]
        try:
            queryset = super().filter_queryset(queryset)
        except (ValidationError, FieldError, ValueError, TypeError) as exc:
            # e.g. ?translation_key=x or ?first_published_at=x: Django rejects the value
            name = next(
                (key for key in self.request.GET if key not in self.known_query_parameters), None
            )
            raise FieldBadRequest(
                {name or "non_field_errors": [_("This value is not valid here.")]}
            ) from exc
        finally:
            self.filter_backends = backends
        if isinstance(queryset, QuerySet):
            queryset = queryset.select_related("locale")  # meta.locale, URLs: not per page
        return queryset

    def get_object(self):
        page = super().get_object()
        # a page's detail is in its own language (its labels and relations are): say so
        if page.locale_id:
            answer_in(self.request, page.locale.language_code)
        return page

    def check_locale_parameter(self) -> None:
        code = self.request.GET.get("locale")
        if code is not None and not Locale.objects.filter(language_code=code).exists():
            raise FieldBadRequest({"locale": [_("Not a known language.")]})

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            page = list(page)
            self._listed_pages = page  # AlternatesField looks them all up at once
        return page

    def find_view(self, request):
        try:
            obj = self.find_object(self.get_queryset(), request)
        except (self.model.DoesNotExist, ValueError, TypeError):
            obj = None
        if obj is None:
            return error_response(_("No page found at this path."), status_code=404)
        path = request.wagtailapi_router.get_object_detail_urlpath(self.model, obj.pk)
        query = request.GET.copy()
        for param in self.find_query_parameters:
            query.pop(param, None)
        location = absolute(request, path)
        if query:
            location = f"{location}?{query.urlencode()}"
        return HttpResponseRedirect(location)

    def find_object(self, queryset, request):
        if "html_path" in request.GET:
            page = self.find_by_path(request, request.GET["html_path"])
            if page is not None and queryset.filter(id=page.id).exists():
                return page
            if "id" not in request.GET:
                return None
        if "id" in request.GET:
            return queryset.get(id=request.GET["id"])
        return None

    def find_by_path(self, request, html_path: str):
        """The page at ``html_path`` of the requesting site, in the language of its prefix.

        ``/en/about/`` is the English ``about``, as the site's ``i18n_patterns`` serve it; a path
        without a prefix is in the default language (``prefix_default_language=False``).
        """
        site = Site.find_for_request(request)
        if site is None:
            return None
        if not html_path.startswith("/"):
            html_path = "/" + html_path
        components = [component for component in html_path.split("/") if component]
        root = site.root_page
        language = get_language_from_path(html_path) if settings.USE_I18N else None
        if language and components and components[0].lower() == language.lower():
            components = components[1:]
        elif language:
            language = None
        if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            try:
                code = get_supported_content_language_variant(language or settings.LANGUAGE_CODE)
            except LookupError:
                return None
            locale = Locale.objects.filter(language_code=code).first()
            if locale is None:
                return None
            if root.locale_id != locale.pk:
                root = root.get_translation_or_none(locale)
                if root is None:
                    return None
        try:
            page, _args, _kwargs = root.specific.route(request, components)
        except Http404:
            return None
        return page


class ImagesAPIViewSet(HeadlessHTTPMixin, ErrorShapeMixin, WagtailImagesAPIViewSet):
    """Wagtail's images endpoint, plus what a front end on another origin needs."""

    base_serializer_class = ImageSerializer


class DocumentsAPIViewSet(HeadlessHTTPMixin, ErrorShapeMixin, WagtailDocumentsAPIViewSet):
    """Wagtail's documents endpoint, plus what a front end on another origin needs."""

    base_serializer_class = DocumentSerializer


__all__ = [
    "DocumentsAPIViewSet",
    "ImagesAPIViewSet",
    "PagesAPIViewSet",
    "error_response",
    "field_errors",
]
