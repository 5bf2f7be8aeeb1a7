"""Page editor forms: checkbox lists of translatable snippets in the page's own language."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import TranslatableMixin

from .localization import i18n_enabled


class LocalizedChoicesMixin:
    """Lists of elements and audiences show only those in the page's language.

    Without it a German page offers "Verwaltung" and "Administration" side by side; saving maps a
    pick to the page's language anyway (``localized_relations``). What the page already refers
    to stays listed, so an older relation to another language can still be seen and removed.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale_id = getattr(self.instance, "locale_id", None)
        if not i18n_enabled() or locale_id is None:
            return
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelMultipleChoiceField):
                continue
            model = field.queryset.model
            if not issubclass(model, TranslatableMixin):
                continue
            chosen = [getattr(value, "pk", value) for value in self.initial.get(name) or ()]
            field.queryset = field.queryset.filter(Q(locale_id=locale_id) | Q(pk__in=chosen))


class KokreativePageForm(LocalizedChoicesMixin, WagtailAdminPageForm):
    """The editor form of our page types that relate to elements or audiences."""
