"""``GET offers``: the filtered, paginated offers of the requesting site."""

from __future__ import annotations

from django.db.models import Count, Window
from django.http import QueryDict
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from wagtail.models import Site

from ..api_utils import (
    MAX_ID,
    APIError,
    DateTimeOut,
    ErrorSchema,
    ObjectId,
    QueryText,
    active_language_code,
    check_query_parameters,
    limit_errors,
    resolve_locale,
)
from ..queries import in_site_q
from ..schemas import ElementRefSchema, ImageSchema
from .choices import OfferFormat, OfferKind, OfferSort
from .filters import OfferFilterSet
from .models import OfferIndexPage
from .queries import live_offers, with_teaser_data
from .serializers import list_translations, offer_representation

router = Router(tags=["offers"])


class AudienceSchema(Schema):
    id: int
    slug: str
    name: str


class OfferSchema(Schema):
    id: int
    title: str
    slug: str
    url: str | None
    full_url: str | None
    locale: str
    kind: OfferKind
    kind_label: str
    format: OfferFormat
    format_label: str
    audiences: list[AudienceSchema]
    elements: list[ElementRefSchema]
    duration: str
    group_size: str
    cost: str
    teaser: str
    teaser_image: ImageSchema | None
    last_published_at: DateTimeOut | None


class OfferListSchema(Schema):
    count: int
    items: list[OfferSchema]


class OfferFilters(Schema):
    q: str | None = Field(
        None, max_length=200, description="Full-text search (title, teaser and body)."
    )
    kind: list[OfferKind] = Field([], description="Kinds (repeatable; any of them).")
    audience: list[QueryText] = Field([], description="Audience slugs (repeatable; any of them).")
    format: list[OfferFormat] = Field([], description="Formats (repeatable; any of them).")
    element: list[QueryText] = Field([], description="Element slugs (repeatable; any of them).")
    sort: OfferSort = Field(OfferSort.EDITOR, description="Empty: editors' order.")
    index: ObjectId | None = Field(
        None, description="Only offers below this offer index page (id)."
    )
    locale: QueryText | None = Field(
        None, max_length=20, description="Language code; default: active."
    )
    limit: int | None = Field(None, ge=1, description="Items per page (default 20, maximum 100).")
    offset: int = Field(0, ge=0, le=MAX_ID, description="Number of items to skip.")


def filter_data(filters: OfferFilters) -> QueryDict:
    """The validated parameters as the GET data the FilterSet of the listing page reads."""
    data = QueryDict(mutable=True)
    if filters.q:
        data["q"] = filters.q
    data.setlist("kind", [str(k.value) for k in filters.kind])
    data.setlist("audience", filters.audience)
    data.setlist("format", [str(f.value) for f in filters.format])
    data.setlist("element", filters.element)
    data["sort"] = str(filters.sort.value)
    return data


@router.get(
    "/offers",
    response={200: OfferListSchema, 400: ErrorSchema},
    summary="List offers with filters, search, sorting and pagination",
    operation_id="list_offers",
)
def list_offers(request, filters: Query[OfferFilters]):
    """Live, public offers of the requesting site in one language.

    Invalid values answer 400 with the offending parameter in ``errors``.
    """

    check_query_parameters(request, OfferFilters)
    limit, errors = limit_errors(filters.limit)
    if errors:
        raise APIError(_("Invalid pagination."), errors)

    # The locale is matched by language code inside the listing query (no query of its own);
    # an unknown code is only looked up when nothing matched, to answer 400 instead of [].
    language_code = filters.locale or active_language_code()
    queryset = live_offers().filter(locale__language_code__iexact=language_code)
    site = Site.find_for_request(request)
    if site is not None:
        queryset = queryset.filter(in_site_q(site))
    if filters.index is not None:
        index = OfferIndexPage.objects.filter(pk=filters.index).first()
        if index is None:
            raise APIError(
                _("Invalid request."),
                {"index": [_("No offer index page with this id.")]},
            )
        queryset = queryset.child_of(index)

    filterset = OfferFilterSet(filter_data(filters), queryset=queryset, language_code=language_code)
    if not filterset.is_valid():
        errors = {field: [str(m) for m in messages] for field, messages in filterset.errors.items()}
        raise APIError(_("Invalid filter."), errors)

    # The total rides along as a window function: one query for the page and its count.
    page = list(
        with_teaser_data(filterset.qs).annotate(total_count=Window(Count("pk")))[
            filters.offset : filters.offset + limit
        ]
    )
    count = page[0].total_count if page else filterset.qs.count()
    if not count and filters.locale:
        resolve_locale(filters.locale)  # 400 for an unknown locale
    translations = list_translations(page)
    items = [offer_representation(o, request, translations) for o in page]
    return {"count": count, "items": items}
