"""Editors build the programme in the Wagtail admin: pages, element snippets, site settings."""

import pytest
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from kokreative_wagtail.models import Element, ElementPage, KokreativeSettings, ProgrammePage

from ..factories import ElementFactory

pytestmark = pytest.mark.django_db


def add_url(model, parent):
    return reverse(
        "wagtailadmin_pages:add",
        args=(model._meta.app_label, model._meta.model_name, parent.pk),
    )


def test_editor_creates_a_programme_with_an_element_page(admin_client, site_root):
    element = ElementFactory(name="Prozessstrukturen")
    assert admin_client.get(add_url(ProgrammePage, site_root)).status_code == 200

    response = admin_client.post(
        add_url(ProgrammePage, site_root),
        nested_form_data(
            {
                "title": "Die Kokreative Kommune",
                "slug": "die-kokreative-kommune",
                "audience_question": "Verwaltungsmitarbeitende oder Politiker:in?",
                "intro": rich_text("Kokreative Kommune bedeutet für uns …"),
                "body": streamfield(
                    [
                        ("heading", {"text": "Partizipation", "level": "h2", "anchor": ""}),
                        ("rich_text", rich_text("Neue Kernkompetenz der Kommunen")),
                    ]
                ),
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    programme = ProgrammePage.objects.get(slug="die-kokreative-kommune")
    assert programme.live
    assert [block.block_type for block in programme.body] == ["heading", "rich_text"]

    # The add-subpage chooser offers the element page below the programme page ...
    choose = admin_client.get(reverse("wagtailadmin_pages:add_subpage", args=(programme.pk,)))
    assert "elementpage" in choose.content.decode()
    response = admin_client.post(
        add_url(ElementPage, programme),
        nested_form_data(
            {
                "title": "Prozessstrukturen",
                "slug": "prozessstrukturen",
                "element": element.pk,
                "intro": rich_text("Wir entwickeln passgenaue Verfahren und Formate."),
                "body": streamfield([]),
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    element_page = ElementPage.objects.get(slug="prozessstrukturen")
    assert element_page.get_parent().pk == programme.pk
    assert element_page.element == element
    # ... but not elsewhere.
    refused = admin_client.get(add_url(ElementPage, site_root))
    assert refused.status_code in (302, 403)  # Wagtail redirects with "permission denied"
    assert refused.status_code != 200


def test_invalid_block_input_is_a_form_error_not_a_500(admin_client, site_root):
    response = admin_client.post(
        add_url(ProgrammePage, site_root),
        nested_form_data(
            {
                "title": "Programm",
                "slug": "programm",
                "intro": rich_text(""),
                "body": streamfield(
                    [
                        (
                            "call_to_action",
                            {
                                "heading": "Beratung",
                                "text": "",
                                "link_page": "",
                                "link_url": "javascript:alert(1)",
                                "link_label": "Los",
                            },
                        )
                    ]
                ),
                "action-publish": "publish",
            }
        ),
    )
    assert response.status_code == 200  # the form again, with errors
    assert not ProgrammePage.objects.filter(slug="programm").exists()


def test_editor_manages_elements_as_snippets(admin_client):
    list_url = reverse("wagtailsnippets_kokreative_wagtail_element:list")
    add_url_ = reverse("wagtailsnippets_kokreative_wagtail_element:add")
    assert admin_client.get(list_url).status_code == 200
    response = admin_client.post(
        add_url_,
        {
            "name": "Governancestrukturen",
            "slug": "",
            "summary": "Schlechte Governance kann vieles verhindern, gute dagegen ermöglichen.",
            "description": rich_text("Regeln und Entscheidungswege."),
            "colour": "#5b3f8c",
            "icon": "",
            "sort_order": 4,
            "locale": Locale.get_default().pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    element = Element.objects.get(name="Governancestrukturen")
    assert element.slug == "governancestrukturen"
    assert "Governancestrukturen" in admin_client.get(list_url).content.decode()

    bad = admin_client.post(
        add_url_, {"name": "X", "colour": "blue", "sort_order": 1, "description": rich_text("")}
    )
    assert bad.status_code == 200
    assert not Element.objects.filter(name="X").exists()


def test_editor_edits_site_settings(admin_client, site_root):
    site = site_root.get_site()
    url = reverse(
        "wagtailsettings:edit", args=("kokreative_wagtail", "kokreativesettings", site.pk)
    )
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "privacy_page": site_root.pk,
            "notification_emails": "a@example.org",
            "retention_days": 90,
        },
    )
    assert response.status_code == 302
    settings = KokreativeSettings.for_site(site)
    assert settings.retention_days == 90
    assert settings.privacy_page.pk == site_root.pk
    bad = admin_client.post(url, {"notification_emails": "nope", "retention_days": 0})
    assert bad.status_code == 200
    assert KokreativeSettings.for_site(site).retention_days == 90


def test_admin_is_german_for_german_editors(admin_client, site_root):
    html = admin_client.get(add_url(ProgrammePage, site_root)).content.decode()
    assert "Frage an die Zielgruppe" in html
    assert Page.objects.filter(pk=site_root.pk).exists()
