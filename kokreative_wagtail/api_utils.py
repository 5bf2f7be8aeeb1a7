"""Helpers every router of ours uses: the error format, pagination, locale lookup, date-times.

Errors are ``{"detail": ..., "errors": {field: [messages]}}`` with a 4xx status, the contract
front ends code against (docs/api-contract.md).
"""

from __future__ import annotations

from datetime import date, datetime
from datetime import timezone as dt_timezone
from typing import Annotated, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, PlainSerializer, WithJsonSchema
from pydantic_core import PydanticCustomError
from wagtail.coreutils import get_content_languages, get_supported_content_language_variant
from wagtail.models import Locale

from .conf import get_setting

#: How every date-time of our APIs is written: RFC 3339 in UTC, whole seconds, ``Z``.
DATETIME_FORM = "YYYY-MM-DDTHH:MM:SSZ"
DATETIME_DESCRIPTION = (
    f"RFC 3339 date-time in UTC with whole seconds: `{DATETIME_FORM}` "
    "(e.g. `2026-03-05T15:30:00Z`)."
)


def iso_datetime(value: datetime | date | str | None) -> str | None:
    """``value`` as ``YYYY-MM-DDTHH:MM:SSZ`` (UTC, whole seconds), or ``None``.

    One form for every date-time a front end reads, whatever zone or precision it was stored
    in: ``Date.parse`` and every ISO parser take it, and equal moments compare equal as text. A
    naive datetime is read in the site's time zone; a date (no time) keeps its date-only form
    ``YYYY-MM-DD``; a string is parsed first (so a value passing twice stays the same).
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = value.strip()
        if text[-1:] in ("Z", "z"):
            text = text[:-1] + "+00:00"
        value = datetime.fromisoformat(text)
    if not isinstance(value, datetime):
        return value.isoformat()
    if value.tzinfo is dt_timezone.utc:  # as the database gives them: the common case, cheaper
        return value.isoformat(timespec="seconds")[:19] + "Z"
    if value.tzinfo is None:
        value = timezone.make_aware(value, timezone.get_default_timezone())
    # ``isoformat`` is several times faster than ``strftime`` (a year of dates per request)
    utc = value.astimezone(dt_timezone.utc).replace(tzinfo=None, microsecond=0)
    return utc.isoformat() + "Z"


#: A date-time field of a response schema: validated as a datetime, written by ``iso_datetime``,
#: documented as ``format: date-time``.
DateTimeOut = Annotated[
    datetime,
    PlainSerializer(iso_datetime, return_type=str),
    WithJsonSchema({"type": "string", "format": "date-time", "description": DATETIME_DESCRIPTION}),
]

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


def limit_errors(limit: int | None) -> tuple[int, dict[str, list[str]]]:
    """The page size to use (``API_PAGE_SIZE`` when none is asked for) and the ``limit`` error
    when the one asked for is outside 1 to ``API_MAX_PAGE_SIZE``."""
    max_limit = get_setting("API_MAX_PAGE_SIZE")
    if limit is None:
        limit = min(get_setting("API_PAGE_SIZE"), max_limit)
    if 1 <= limit <= max_limit:
        return limit, {}
    return limit, {"limit": [_("Must be between 1 and %(max)d.") % {"max": max_limit}]}


def paginate(queryset: QuerySet | list, limit: int | None, offset: int) -> tuple[int, Any]:
    """Count and slice ``queryset``; ``limit`` is bounded by ``API_MAX_PAGE_SIZE``."""
    limit, errors = limit_errors(limit)
    if offset < 0:
        errors["offset"] = [_("Must not be negative.")]
    if errors:
        raise APIError(_("Invalid pagination."), errors)
    count = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
    return count, queryset[offset : offset + limit]


def check_query_parameters(request, *schemas: type[Schema], extra: tuple[str, ...] = ()) -> None:
    """Answer 400 for a query parameter the endpoint does not know (``ofset=20``, ``page=2``).

    A misspelt or unsupported parameter silently ignored gives a front end the first page again
    and again; naming it is what Wagtail's API v2 does too (docs/api-contract.md). ``_`` is
    allowed everywhere, as in API v2: cache-busting clients append it.
    """
    known = {"_", *extra}
    for schema in schemas:
        for name, field in schema.model_fields.items():
            known.add(field.alias or name)
    unknown = sorted(name for name in request.GET if name not in known)
    if unknown:
        raise APIError(
            _("Unknown query parameter."),
            {
                name[:100]: [
                    _("Not a parameter of this endpoint; known: %(known)s.")
                    % {"known": ", ".join(sorted(known))}
                ]
                for name in unknown[:20]
            },
        )


def active_language_code() -> str:
    """The content language of the request, as Wagtail maps it (no database query)."""

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
