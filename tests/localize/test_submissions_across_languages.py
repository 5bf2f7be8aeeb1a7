"""A form translated with wagtail-localize: its submissions in one list, and the purge alike.

Runs under ``tests.settings_localize`` (skipped otherwise, see conftest).
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from wagtail.contrib.forms.models import FormSubmission
from wagtail.models import Locale, Page, Site

from kokreative_wagtail.models import KokreativeSettings

from ..consultations.factories import create_consultation_page, field_names
from ..factories import add_page
from .test_localize import translate


@pytest.fixture
def en(db) -> Locale:
    return Locale.objects.get_or_create(language_code="en")[0]


def translated_form(parent, en):
    """A German form and its English translation (every label "EN …", the same clean names)."""
    german = create_consultation_page(parent)
    strings = {german.title: "Book a consultation", german.slug: "consultation"}
    for field in german.form_fields.all():
        strings[field.label] = f"EN {field.label}"
    return german, translate(german, en, strings)


def submit(page, name: str, days_ago: int = 0) -> FormSubmission:
    data = {field_names(page)["name"]: name, "privacy_consent": True}
    submission = FormSubmission.objects.create(page=page, form_data=data)
    if days_ago:
        FormSubmission.objects.filter(pk=submission.pk).update(
            submit_time=timezone.now() - timedelta(days=days_ago)
        )
    return submission


def listed(client, page) -> dict[str, str]:
    """Name → language of the rows in the admin list of ``page``."""
    response = client.get(reverse("wagtailforms:list_submissions", args=[page.pk]))
    assert response.status_code == 200
    headings = [h["name"] for h in response.context["data_headings"]]
    name = headings.index(field_names(page)["name"])
    return {row["fields"][name]: row["fields"][1] for row in response.context["data_rows"]}


def test_a_translated_form_lists_both_languages_labelled_as_the_page_viewed(
    admin_client, site_root, en
):
    german, english = translated_form(site_root, en)
    submit(german, "Kim Muster")
    submit(english, "Alex Smith")

    assert listed(admin_client, english) == {"Kim Muster": "Deutsch", "Alex Smith": "English"}
    url = reverse("wagtailforms:list_submissions", args=[english.pk])
    text = b"".join(admin_client.get(f"{url}?export=csv").streaming_content).decode("utf-8-sig")
    heading = next(csv.reader(io.StringIO(text), delimiter=";"))
    assert heading[1] == "Sprache"  # the editor's language, not the page's
    assert all(label.startswith("EN ") for label in heading[2:-1])  # the English page's labels
    assert len(heading) == 2 + german.form_fields.count() + 1  # one column per clean name


def test_the_list_in_all_languages_shows_nothing_the_purge_deleted(admin_client, site_root, en):
    KokreativeSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True), defaults={"retention_days": 10}
    )
    german, english = translated_form(site_root, en)
    for page, language in ((german, "de"), (english, "en")):
        submit(page, f"alt {language}", days_ago=30)
        submit(page, f"neu {language}", days_ago=2)

    call_command("kokreative_purge_submissions", stdout=StringIO())

    assert listed(admin_client, german) == {"neu de": "Deutsch", "neu en": "English"}


def test_each_language_site_keeps_its_own_retention(en):
    """A site per language, the English site's root the German root's translation: each
    version of a form follows the retention of the site it is served from."""
    home = add_page(Page.objects.get(depth=1), Page, title="Start", slug="start")
    german_site = Site.objects.create(hostname="de.example", root_page=home)
    with TestCase.captureOnCommitCallbacks(execute=True):
        home_en = home.copy_for_translation(en)
    english_site = Site.objects.create(hostname="en.example", root_page=home_en)
    cache.clear()  # Wagtail's cached site root paths
    KokreativeSettings.objects.create(site=german_site, retention_days=10)
    KokreativeSettings.objects.create(site=english_site, retention_days=100)
    german, english = translated_form(home, en)
    assert english.get_parent().pk == home_en.pk
    old_german = submit(german, "alt de", days_ago=30)
    old_english = submit(english, "alt en", days_ago=30)

    call_command("kokreative_purge_submissions", stdout=StringIO())

    assert not FormSubmission.objects.filter(pk=old_german.pk).exists()
    assert FormSubmission.objects.filter(pk=old_english.pk).exists()
