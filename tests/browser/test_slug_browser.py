"""The slug follows the title live in the page editor, transliterated the German way.

Wagtail turned "Beratungsgespräch vereinbaren" into ``beratungsgespräch-vereinbaren``, shared
as ``beratungsgespr%C3%A4ch-vereinbaren``.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kokreative_wagtail.consultations.models import ConsultationFormPage

pytestmark = pytest.mark.django_db(transaction=True)


def test_typing_a_german_title_gives_an_ascii_slug(admin_page, live_server, site_root):
    page = admin_page
    model = ConsultationFormPage
    add_url = reverse(
        "wagtailadmin_pages:add",
        args=(model._meta.app_label, model._meta.model_name, site_root.pk),
    )
    page.goto(f"{live_server.url}{add_url}")
    title = page.locator("#id_title")
    title.click()
    title.press_sequentially("Beratungsgespräch für Bürger:innen – Größe")
    slug = page.locator("#id_slug")
    # synced while typing, before the title field is left
    expect(slug).to_have_value("beratungsgespraech-fuer-buergerinnen-groesse")

    title.press("Tab")
    expect(slug).to_have_value("beratungsgespraech-fuer-buergerinnen-groesse")
