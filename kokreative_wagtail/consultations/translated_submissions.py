"""The submissions of a form page and of its translations in one admin list and one export.

Wagtail keeps submissions per page, so a form in German and English has two lists, and an
editor of a bilingual site would have to export both and merge them. Here the list of a
consultation form shows the submissions of every language version of it (the pages sharing its
``translation_key``) with a "Language" column and a language filter (all languages by default).

Who sees what follows Wagtail's "Forms": only the versions in ``get_forms_for_user`` (the user may
edit the page, narrowed by ``filter_form_submissions_for_user`` hooks). An editor of the German
form only, then, sees the German submissions and no language column, as before. The data fields
are the union by ``clean_name`` (synchronized across translations), labelled as on the page
viewed. Deleting from that list goes through a view of ours that deletes only submissions of
those versions (Wagtail's own deletes only the viewed page's). The purge needs no change: it
deletes per page, after the retention of the site each version belongs to.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.forms.utils import get_forms_for_user
from wagtail.contrib.forms.views import DeleteSubmissionsView, SubmissionsListFilterSet
from wagtail.models import Page

#: The key of the language column: a hyphen, which no form field's ``clean_name`` contains.
LANGUAGE_COLUMN = "kokreative-language"
#: Longest submission id accepted from a delete request (beyond: not an id of ours).
MAX_ID_DIGITS = 18


def visible_translations(page: Page, user) -> QuerySet:
    """The language versions of the form ``page`` whose submissions ``user`` may see."""
    return get_forms_for_user(user).filter(translation_key=page.translation_key)


def language_name(page: Page) -> str:
    """The name of ``page``'s language as the site's content languages spell it."""
    return force_str(page.locale.get_display_name())


def submission_ids(values: list[str]) -> list[int]:
    """The ids in a delete request; anything that is no id is left out (never a 500)."""
    return [
        int(value)
        for value in values
        if value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS
    ]


class SubmissionsInAllLanguagesFilterSet(SubmissionsListFilterSet):
    """Wagtail's date filter and, when there is more than one version, the language."""

    locale = django_filters.ChoiceFilter(
        label=_("Language"),
        field_name="page__locale__language_code",
        empty_label=_("All languages"),
        choices=(),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, languages: list[tuple[str, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if len(languages) > 1:
            self.filters["locale"].extra["choices"] = languages
        else:
            del self.filters["locale"]


class SubmissionsInAllLanguagesMixin:
    """For a ``SubmissionsListView``: the viewed form's versions in all languages together."""

    filterset_class = SubmissionsInAllLanguagesFilterSet
    all_languages_results_template_name = "kokreative_wagtail/consultations/admin/submissions.html"
    delete_url_name = "kokreative_forms:delete_submissions"

    @cached_property
    def translation_pages(self) -> list[Page]:
        """The versions the user may see, the viewed page first, then by language code."""
        pages = (
            visible_translations(self.form_page, self.request.user)
            .select_related("locale")
            .order_by("locale__language_code")
        )
        return sorted(pages, key=lambda page: page.pk != self.form_page.pk)

    @cached_property
    def in_all_languages(self) -> bool:
        """Whether the list spans more than one version (else it is Wagtail's, unchanged)."""
        return len(self.translation_pages) > 1

    @cached_property
    def data_fields(self) -> list[tuple[str, Any]]:
        """The viewed page's fields, the language after the date, then what only others have."""
        fields = list(self.form_page.get_data_fields())
        if not self.in_all_languages:
            return fields
        names = {name for name, _label in fields}
        for page in self.translation_pages[1:]:
            for name, label in page.specific.get_data_fields():
                if name not in names:
                    fields.append((name, label))
                    names.add(name)
        after = next((i + 1 for i, (name, _) in enumerate(fields) if name == "submit_time"), 0)
        fields.insert(after, (LANGUAGE_COLUMN, gettext("Language")))
        return fields

    def get(self, request, *args, **kwargs):
        if self.in_all_languages:
            if self.is_export:
                self.list_export = [name for name, _label in self.data_fields]
                self.export_headings = dict(self.data_fields)
            self.results_template_name = self.all_languages_results_template_name
        return super().get(request, *args, **kwargs)

    def get_base_queryset(self) -> QuerySet:
        if not self.in_all_languages:
            return super().get_base_queryset()
        return (
            self.form_page.get_submission_class()
            ._default_manager.filter(page__in=[page.pk for page in self.translation_pages])
            .select_related("page__locale")
        )

    def get_filterset_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs()
        languages = {
            page.locale.language_code: language_name(page) for page in self.translation_pages
        }
        kwargs["languages"] = sorted(languages.items(), key=lambda item: item[1])
        return kwargs

    def to_row_dict(self, item) -> dict[str, Any]:
        row = super().to_row_dict(item)
        if LANGUAGE_COLUMN in row:
            row[LANGUAGE_COLUMN] = language_name(item.page)
        return row

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.in_all_languages and not self.is_export:
            context["data_headings"] = self.data_headings()
            context["data_rows"] = [self.data_row(item) for item in context["submissions"]]
            context["delete_url"] = reverse(self.delete_url_name, args=(self.form_page.pk,))
            context["languages"] = [language_name(page) for page in self.translation_pages]
        return context

    def data_row(self, submission) -> dict[str, Any]:
        """A row of the list, as Wagtail builds it, with the language of the submission."""
        data = submission.get_data()
        cells = []
        for name, _label in self.data_fields:
            value = language_name(submission.page) if name == LANGUAGE_COLUMN else data.get(name)
            if isinstance(value, list):
                value = ", ".join(force_str(item) for item in value)
            cells.append(value)
        return {"model_id": submission.pk, "fields": cells}

    def data_headings(self) -> list[dict[str, Any]]:
        """The headings with Wagtail's ordering links for the fields it can order by."""
        ordering = self.get_validated_ordering()
        headings = []
        for name, label in self.data_fields:
            order = None
            if name in self.orderable_fields:
                order = ordering[name][1] if name in ordering else "orderable"
            headings.append({"name": name, "label": label, "order": order})
        return headings


class DeleteSubmissionsInAllLanguagesView(DeleteSubmissionsView):
    """Wagtail's delete confirmation for the list in all languages.

    Deletes the selected submissions of the versions the user may see in "Forms" (who may see
    them may edit the page, as with Wagtail's own delete); any other id is ignored.
    """

    template_name = "kokreative_wagtail/consultations/admin/confirm_delete_submissions.html"

    def get_queryset(self) -> QuerySet:
        ids = submission_ids(self.request.GET.getlist("selected-submissions"))
        pages = visible_translations(self.page, self.request.user)
        return self.page.get_submission_class()._default_manager.filter(
            page__in=pages.values("pk"), pk__in=ids
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["delete_url"] = reverse("kokreative_forms:delete_submissions", args=(self.page.pk,))
        return context
