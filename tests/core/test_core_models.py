"""Core models: elements, programme and element pages, the page tree rules, site settings."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Locale, Page

from kokreative_wagtail.models import Element, ElementPage, KokreativeSettings, ProgrammePage

from ..factories import ElementFactory, add_page, create_programme

pytestmark = pytest.mark.django_db


def test_element_slug_is_filled_from_the_name():
    element = ElementFactory(name="Governancestrukturen Ä")
    assert element.slug == "governancestrukturen-ae"
    assert str(element) == "Governancestrukturen Ä"


def test_element_slug_is_unique_per_locale():
    ElementFactory(name="Raumstrukturen")
    duplicate = Element(name="Raumstrukturen", locale=Locale.get_default())
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "slug" in excinfo.value.message_dict


def test_element_colour_must_be_hex():
    element = Element(name="X", colour="red", locale=Locale.get_default())
    with pytest.raises(ValidationError) as excinfo:
        element.full_clean()
    assert "colour" in excinfo.value.message_dict


def test_element_is_translatable():
    element = ElementFactory(name="Kultureller Wandel")
    english = Locale.objects.create(language_code="en")
    copy = element.copy_for_translation(english)
    copy.name = "Cultural change"
    copy.save()
    assert copy.translation_key == element.translation_key
    assert copy.get_translation(element.locale) == element
    assert copy.slug == "kultureller-wandel"  # unique per locale, so the same slug is fine


def test_programme_page_can_sit_anywhere(site_root):
    nested = add_page(site_root, Page, title="Themen", slug="themen")
    assert ProgrammePage.can_create_at(site_root)
    assert ProgrammePage.can_create_at(nested)
    programme = create_programme(nested)
    assert programme.url.endswith("/themen/kokreative-kommune/")


def test_element_page_only_below_programme(site_root, programme):
    assert ElementPage.can_create_at(programme)
    assert not ElementPage.can_create_at(site_root)
    assert ElementPage.allowed_subpage_models() == []


def test_programme_lists_its_live_element_pages_in_tree_order(programme, elements):
    first = add_page(programme, ElementPage, title="B", slug="b", element=elements[1])
    second = add_page(programme, ElementPage, title="A", slug="a", element=elements[0])
    draft = ElementPage(title="Draft", slug="draft", live=False)
    programme.add_child(instance=draft)
    assert list(programme.get_element_pages()) == [first, second]


def test_settings_validate_notification_addresses(site_root):
    settings = KokreativeSettings(site_id=1, notification_emails="a@example.org,\nnot-an-address")
    with pytest.raises(ValidationError) as excinfo:
        settings.full_clean()
    assert "notification_emails" in excinfo.value.message_dict
    settings.notification_emails = "a@example.org;\n b@example.org"
    settings.full_clean()
    assert settings.get_notification_emails() == ["a@example.org", "b@example.org"]


def test_settings_retention_bounds(site_root):
    settings = KokreativeSettings(site_id=1, retention_days=0)
    with pytest.raises(ValidationError) as excinfo:
        settings.full_clean()
    assert "retention_days" in excinfo.value.message_dict
