"""The event filters (django-filter), shared by the event index page and ``GET occurrences``.

Plain GET parameters: ``element`` (slugs), ``offer`` (offer page ids), each repeatable, any of
them; ``index`` (an event index page id). Translations match: an element or offer names all its
translations (by translation key), so an event whose relations still point to the source
language's objects is found in every language.

Each filter is a condition inside the listing query (EXISTS and subqueries), never a query of
its own. The HTML listing passes the elements and offers of its selects, and unknown values are
form errors; the API passes none, takes any value and learns afterwards, from the events found,
whether a value named nothing (``unknown_elements``).
"""

from __future__ import annotations

from collections.abc import Iterable

import django_filters
from django import forms
from django.apps import apps
from django.db.models import Exists, F, Func, OuterRef, QuerySet, Subquery
from django.db.models.lookups import StartsWith
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from ..api_utils import MAX_ID
from ..models import Element

#: The annotation ``element`` adds where its values are not checked against choices: how many
#: of the given slugs name an element (the same on every row).
KNOWN_ELEMENTS = "known_elements"


class ValueListField(forms.Field):
    """Repeated values of one GET parameter, each cleaned by ``item``; repeats dropped.

    With ``choices`` (the values a select offers) any other value is an error
    (``unknown``) and an empty value is the select's "all" option. Without, every value is
    taken: an empty or unknown one names nothing.
    """

    widget = forms.SelectMultiple  # reads every value (``getlist``); templates render their own
    default_error_messages = {
        "unknown": _("Select a valid choice. %(value)s is not one of the available choices.")
    }

    def __init__(self, *, item: forms.Field, choices: Iterable | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.item = item
        self.choices = None if choices is None else set(choices)

    def to_python(self, value) -> list:
        if value in self.empty_values:
            return []
        raw = value if isinstance(value, (list, tuple)) else [value]
        if self.choices is not None:
            raw = [v for v in raw if v not in self.empty_values]
        cleaned, errors = [], []
        for text in raw:
            try:
                item = self.item.clean(text)
            except forms.ValidationError as error:
                errors.extend(error.error_list)
                continue
            if item not in cleaned:
                cleaned.append(item)
        if errors:
            raise forms.ValidationError(errors)
        return cleaned

    def validate(self, value: list) -> None:
        super().validate(value)
        unknown = [v for v in value if self.choices is not None and v not in self.choices]
        if unknown:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": unknown[0]}
            )


class TranslatedSlugFilter(django_filters.Filter):
    """Events related (many-to-many ``field_name``) to any translation of the objects named
    by slug in ``queryset`` (the objects of the listing's language), with EXISTS: no
    duplicates, no DISTINCT, no query of its own."""

    field_class = ValueListField

    def __init__(self, *args, queryset: QuerySet | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.queryset = queryset

    def named(self, slugs: list[str]) -> QuerySet:
        """The objects of the listing's language with these slugs (unevaluated)."""
        return self.queryset.filter(slug__in=slugs)

    def filter(self, qs: QuerySet, value: list[str]) -> QuerySet:
        if not value:
            return qs
        named = self.named(value)
        field = qs.model._meta.get_field(self.field_name)
        through = field.remote_field.through
        related = through.objects.filter(
            **{
                field.m2m_field_name(): OuterRef("pk"),
                f"{field.m2m_reverse_field_name()}__translation_key__in": named.values(
                    "translation_key"
                ),
            }
        )
        qs = qs.filter(Exists(related))
        if self.extra.get("choices") is None:
            count = named.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
            qs = qs.annotate(**{KNOWN_ELEMENTS: Subquery(count[:1])})
        return qs


class TranslatedPageFilter(django_filters.Filter):
    """Events whose ``field_name`` (a page) is any translation of the pages with these ids: an
    event links to an offer in whatever language it was made."""

    field_class = ValueListField

    def filter(self, qs: QuerySet, value: list[int]) -> QuerySet:
        if not value:
            return qs

        ids = [pk for pk in value if pk <= MAX_ID]  # larger ones name no page (and overflow)
        if not ids:
            return qs.none()
        keys = Page.objects.filter(pk__in=ids).values("translation_key")
        return qs.filter(**{f"{self.field_name}__translation_key__in": keys})


class BelowPageFilter(django_filters.Filter):
    """Pages below the page with this id of type ``model`` (none below a page of another
    type), as a condition on the path: no query of its own."""

    field_class = forms.IntegerField

    def __init__(self, *args, page_model: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.page_model = page_model

    def filter(self, qs: QuerySet, value: int | None) -> QuerySet:
        if value is None:
            return qs

        above = apps.get_model(self.page_model).objects.filter(
            StartsWith(OuterRef("path"), F("path")), pk=value, depth__lt=OuterRef("depth")
        )
        return qs.filter(Exists(above))


class EventFilterSet(django_filters.FilterSet):
    """``element``, ``offer`` and ``index`` for a queryset of event pages.

    ``locale`` (a ``Locale`` or its id) or ``language_code``: the language element slugs are
    read in. ``elements`` and
    ``offers``: the choices a listing offers; given, other values are form errors ("Unknown
    element.", "Unknown offer."); not given, any value is taken and one naming nothing matches
    nothing (``unknown_elements`` tells them apart afterwards).
    """

    element = TranslatedSlugFilter(
        label=_("Element"),
        field_name="elements",
        item=forms.CharField(required=False),  # "" names no element (a select's "all": none)
        error_messages={"unknown": _("Unknown element.")},
    )
    offer = TranslatedPageFilter(
        label=_("Offer"),
        field_name="related_offer",
        item=forms.IntegerField(min_value=1),
        error_messages={"unknown": _("Unknown offer.")},
    )
    index = BelowPageFilter(
        label=_("Only events of this event index"),
        page_model="kokreative_events.EventIndexPage",
        min_value=1,
        max_value=MAX_ID,
    )

    def __init__(
        self,
        data=None,
        queryset: QuerySet | None = None,
        *,
        request=None,
        prefix=None,
        locale=None,
        language_code: str | None = None,
        elements: Iterable | None = None,
        offers: Iterable | None = None,
    ) -> None:

        if queryset is None:
            # the registry's model: the event pages use this module, the models import them
            queryset = apps.get_model("kokreative_events", "EventPage").objects.all()
        super().__init__(data, queryset, request=request, prefix=prefix)
        named = Element.objects.all()
        if locale is not None:
            named = named.filter(locale=locale)
        elif language_code is not None:
            named = named.filter(locale__language_code__iexact=language_code)
        if "element" in self.filters:
            self.filters["element"].queryset = named
            if elements is not None:
                self.filters["element"].extra["choices"] = [e.slug for e in elements]
        if "offer" in self.filters and offers is not None:
            self.filters["offer"].extra["choices"] = [o.pk for o in offers]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        """The filters' values only: the form may hold other fields (a listing's view)."""
        data = self.form.cleaned_data
        for name, filter_ in self.filters.items():
            if name in data:
                queryset = filter_.filter(queryset, data[name])
        return queryset

    def unknown_elements(self, events: list) -> list[str]:
        """The element slugs (valid ones, as given) that name no element, in order.

        Free of queries when the events found show every slug known (``KNOWN_ELEMENTS``);
        otherwise one query. For callers that took the values unchecked (no ``elements``).
        """
        slugs = (getattr(self.form, "cleaned_data", None) or {}).get("element") or []
        if not slugs or (events and getattr(events[0], KNOWN_ELEMENTS, 0) >= len(slugs)):
            return []
        found = set(self.filters["element"].named(slugs).values_list("slug", flat=True))
        return [slug for slug in slugs if slug not in found]
