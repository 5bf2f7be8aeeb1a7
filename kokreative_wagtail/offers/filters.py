"""The offer filters (django-filter), shared by the listing page and the API.

Plain GET parameters: ``q``, ``kind``, ``audience``, ``format``, ``element`` (each repeatable, OR
within one, AND across) and ``sort``; the filter state lives in the URL and works without JS.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.apps import apps
from django.db import DatabaseError, transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from ..models import Element
from .choices import OfferFormat, OfferKind, OfferSort

#: Upper bound of search hits considered, so a one-letter query cannot fetch the whole index.
MAX_SEARCH_RESULTS = 1000


class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Choose related objects by slug; filters with EXISTS, so no duplicates and no DISTINCT.

    Translatable objects match in every language (by translation key): a translated page whose
    relations still point to the source language's objects is found by the translated slug.
    """

    def filter(self, qs: QuerySet, value):
        if not value:
            return qs
        field = qs.model._meta.get_field(self.field_name)
        through = field.remote_field.through
        reverse = field.m2m_reverse_field_name()
        if hasattr(field.related_model, "translation_key"):
            condition = {f"{reverse}__translation_key__in": [obj.translation_key for obj in value]}
        else:
            condition = {f"{reverse}__in": [obj.pk for obj in value]}
        related = through.objects.filter(**{field.m2m_field_name(): OuterRef("pk"), **condition})
        return qs.filter(Exists(related))


class OfferFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind"),
        choices=OfferKind.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    audience = SlugMultipleChoiceFilter(
        label=_("Audience"),
        field_name="audiences",
        to_field_name="slug",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    format = django_filters.MultipleChoiceFilter(
        label=_("Format"),
        choices=OfferFormat.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    element = SlugMultipleChoiceFilter(
        label=_("Element"),
        field_name="elements",
        to_field_name="slug",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=OfferSort.choices,
        method="sort_by",
        empty_label=None,
    )

    def __init__(
        self,
        data=None,
        queryset=None,
        *,
        request=None,
        prefix=None,
        locale=None,
        language_code=None,
    ):
        super().__init__(data, queryset, request=request, prefix=prefix)

        # the registry's model: the abstract pages use this module, the models import them
        audiences = apps.get_model("kokreative_offers", "Audience").objects.all()
        elements = Element.objects.all()
        if locale is not None:
            audiences = audiences.filter(locale=locale)
            elements = elements.filter(locale=locale)
        elif language_code is not None:
            audiences = audiences.filter(locale__language_code__iexact=language_code)
            elements = elements.filter(locale__language_code__iexact=language_code)
        self.filters["audience"].queryset = audiences
        self.filters["element"].queryset = elements

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = (value or "").strip()
        if not value:
            return queryset
        model = queryset.model
        # All indexed text (title, teaser, body): restricting ``fields`` is not portable across
        # Wagtail's search backends (the SQLite one indexes title and body columns only).
        # Quotes are query syntax to some backends (SQLite FTS5); visitors mean plain words.
        value = value.replace('"', " ").strip()
        if not value:
            return queryset
        try:
            with transaction.atomic():
                hits = model.objects.live().search(value, operator="and")
                pks = [hit.pk for hit in hits[:MAX_SEARCH_RESULTS]]
        except DatabaseError:
            pks = []  # a query the backend cannot parse finds nothing, never a 500
        return queryset.filter(pk__in=pks)

    def sort_by(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == OfferSort.TITLE:
            return queryset.order_by("title", "path")
        if value == OfferSort.NEWEST:
            return queryset.order_by(F("first_published_at").desc(nulls_last=True), "path")
        return queryset.order_by("path")

    @property
    def qs(self):
        queryset = super().qs
        if not queryset.query.order_by:
            queryset = queryset.order_by("path")
        return queryset
