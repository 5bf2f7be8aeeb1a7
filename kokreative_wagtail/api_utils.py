"""Helpers every router of ours uses: the error format, pagination, locale lookup.

Errors are ``{"detail": ..., "errors": {field: [messages]}}`` with a 4xx status, the contract
front ends code against.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError
from wagtail.models import Locale

from .conf import get_setting

#: Largest id (and offset) a request may name: the database's integer range; beyond it is a 400.
MAX_ID = 2**31 - 1

#: A page or object id in a query parameter.
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]


def no_nul(value: str) -> str:
    """Refuse NUL characters: PostgreSQL cannot compare text holding them (a 500, not a miss)."""
    if "\x00" in value:
        # a custom error: pydantic would prefix a ValueError's message with "Value error, "
        raise PydanticCustomError("nul_character", _("Must not contain NUL characters."))
    return value


#: Text of a query parameter that is compared in the database (a slug, a language code).
QueryText = Annotated[str, AfterValidator(no_nul)]


class ErrorSchema(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


class APIError(Exception):
    """Raise in a view to answer ``status`` with our error body.

    ``headers`` go on the response too, for the errors HTTP wants explained in a header
    (``Allow`` of a 405, ``Retry-After`` of a 429).
    """

    def __init__(
        self,
        detail: str,
        errors: dict[str, list[str]] | None = None,
        status: int = 400,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or {}
        self.status = status
        self.headers = headers or {}


def field_errors_from_ninja(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Turn django-ninja's validation errors into ``{field: [messages]}``."""
    result: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", []) if not isinstance(part, int)]
        source, rest = (loc[0], loc[1:]) if loc else ("", [])
        if len(rest) > 1:
            rest = rest[1:]  # drop the name of the schema parameter ("filters", "payload")
        field = ".".join(rest) or source or "non_field_errors"
        result.setdefault(field, []).append(str(error.get("msg", _("Invalid value."))))
    return result


def paginate(queryset: QuerySet | list, limit: int | None, offset: int) -> tuple[int, Any]:
    """Count and slice ``queryset``; ``limit`` is bounded by ``API_MAX_PAGE_SIZE``."""
    max_limit = get_setting("API_MAX_PAGE_SIZE")
    if limit is None:
        limit = min(get_setting("API_PAGE_SIZE"), max_limit)
    errors: dict[str, list[str]] = {}
    if limit < 1 or limit > max_limit:
        errors["limit"] = [_("Must be between 1 and %(max)d.") % {"max": max_limit}]
    if offset < 0:
        errors["offset"] = [_("Must not be negative.")]
    if errors:
        raise APIError(_("Invalid pagination."), errors)
    count = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
    return count, queryset[offset : offset + limit]


def active_language_code() -> str:
    """The content language of the request, as Wagtail maps it (no database query)."""
    from django.utils.translation import get_language
    from wagtail.coreutils import get_content_languages, get_supported_content_language_variant

    try:
        return get_supported_content_language_variant(get_language())
    except LookupError:
        return next(iter(get_content_languages()))


def resolve_locale(language_code: str | None) -> Locale:
    """The locale a request asks for, or the active one; unknown codes are a 400."""
    if not language_code:
        return Locale.get_active()
    if "\x00" in language_code:
        raise APIError(_("Unknown locale."), {"locale": [_("Must not contain NUL characters.")]})
    locale = Locale.objects.filter(language_code__iexact=language_code).first()
    if locale is None:
        known = ", ".join(Locale.objects.values_list("language_code", flat=True))
        raise APIError(
            _("Unknown locale."),
            {
                "locale": [
                    _("Unknown locale %(code)r; known: %(known)s.")
                    % {"code": language_code, "known": known}
                ]
            },
        )
    return locale
