"""Every field an editor fills in on our page types explains itself, in the editor's language.

Editors asked what fields like "Wiederholung" do (issue 19). The fields come from each page
type's edit handler, so a new field without a help text fails here. Fields of Wagtail's own
``Page`` (title, slug, publishing dates) and of its form field model are Wagtail's to explain.
"""

from __future__ import annotations

import html
from collections.abc import Iterator

import pytest
from django.db.models import Field
from django.urls import reverse
from django.utils import translation
from wagtail.admin.panels import FieldPanel, InlinePanel, Panel
from wagtail.contrib.forms.models import AbstractFormField
from wagtail.models import Page, get_page_models

from ..events.factories import create_event_index
from ..offers.factories import create_offer_index

WAGTAILS_FIELDS = {field.name for field in Page._meta.get_fields()} | {
    field.name for field in AbstractFormField._meta.get_fields()
}


def our_page_models() -> list[type[Page]]:
    return [
        model for model in get_page_models() if model.__module__.startswith("kokreative_wagtail.")
    ]


def field_panels(panel: Panel, model) -> Iterator[tuple[str, FieldPanel, Field]]:
    """(dotted name, panel, model field) of every field panel, inline panels' children too."""
    if isinstance(panel, InlinePanel):
        related = model._meta.get_field(panel.relation_name).related_model
        for child in panel.child_edit_handler.children:
            for name, field_panel, field in field_panels(child, related):
                yield f"{panel.relation_name}.{name}", field_panel, field
    elif isinstance(panel, FieldPanel):
        yield panel.field_name, panel, model._meta.get_field(panel.field_name)
    else:
        for child in getattr(panel, "children", ()):
            yield from field_panels(child, model)


def help_texts(model) -> dict[str, str]:
    """The help text each of our fields shows (the panel's, else the field's), as given."""
    return {
        name: panel.help_text or field.help_text
        for name, panel, field in field_panels(model.get_edit_handler(), model)
        if field.name not in WAGTAILS_FIELDS
    }


def test_the_page_types_are_found():
    models = {model.__name__: model for model in our_page_models()}
    assert {"ProgrammePage", "ElementPage", "OfferPage", "EventPage"} <= set(models)
    events = help_texts(models["EventPage"])
    assert {"recurrence", "overrides.new_start"} <= set(events), "panels, inline ones too"


@pytest.mark.parametrize("model", our_page_models(), ids=lambda model: model.__name__)
def test_every_field_has_a_german_help_text(model):
    texts = help_texts(model)
    assert texts, "no fields found"
    missing = [name for name, text in texts.items() if not str(text).strip()]
    assert not missing, f"{model.__name__}: fields without help text: {missing}"
    with translation.override("en"):
        english = {name: str(text) for name, text in texts.items()}
    with translation.override("de"):
        untranslated = [name for name, text in texts.items() if str(text) == english[name]]
    assert not untranslated, f"{model.__name__}: help texts not in German: {untranslated}"


@pytest.mark.django_db
def test_the_add_forms_show_the_help_texts_in_german(admin_client, site_root, programme):
    """The admin (German for this editor) renders them, inline panels' fields included."""
    parents = {
        "ProgrammePage": site_root,
        "ElementPage": programme,
        "OfferIndexPage": site_root,
        "OfferPage": create_offer_index(site_root),
        "EventIndexPage": site_root,
        "EventPage": create_event_index(site_root),
        "ConsultationFormPage": site_root,
        "EasyLanguagePage": site_root,
        "AccessibilityStatementPage": site_root,
    }
    for model in our_page_models():
        parent = parents[model.__name__]
        meta = model._meta
        url = reverse("wagtailadmin_pages:add", args=(meta.app_label, meta.model_name, parent.pk))
        response = admin_client.get(url)
        assert response.status_code == 200, url
        page_html = html.unescape(response.content.decode())
        with translation.override("de"):
            expected = {name: str(text) for name, text in help_texts(model).items()}
        absent = [name for name, text in expected.items() if text not in page_html]
        assert not absent, f"{model.__name__}: help texts not shown: {absent}"
