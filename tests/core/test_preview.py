"""Previews for headless front ends: the admin's preview hands the draft to the front end."""

from __future__ import annotations

import re
from html import unescape
from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.core.checks import run_checks
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from wagtail.models import Page, get_page_models
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from kokreative_wagtail.models import ProgrammePage
from kokreative_wagtail.preview import CACHE_PREFIX

from ..conftest import module_data

pytestmark = pytest.mark.django_db

FRONT_END = "https://frontend.example.org/preview?site=kk"
HEADLESS = {"HEADLESS_PREVIEW_URL": FRONT_END}
OUR_PAGE_MODELS = [
    model for model in get_page_models() if model.__module__.startswith("kokreative_wagtail.")
]


def frame_url(response) -> str:
    """The ``src`` of the preview's iframe."""
    match = re.search(r'<iframe[^>]*\ssrc="([^"]+)"', response.content.decode())
    assert match, response.content.decode()[:1000]
    return unescape(match.group(1))


def read_preview(client, url: str):
    """What the front end does with the URL it was given: ask the API for the draft."""
    query = parse_qs(urlsplit(url).query)
    return client.get(
        "/api/v2/page_preview/",
        {"content_type": query["content_type"][0], "token": query["token"][0]},
    )


@pytest.fixture
def front_end():
    """A client of its own, without the editor's session: only the token lets it in."""
    return Client()


def admin_preview(client, url: str, title: str, slug: str, intro: str, question="", body=()):
    """The admin's preview: post the editor's form, then open the preview panel's page."""
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "audience_question": question,
            "intro": rich_text(intro),
            "body": streamfield(list(body)),
        }
    )
    assert client.post(url, data).json()["is_valid"] is True
    return client.get(url)


#: The demo, loaded once for this module (each test's changes are rolled back).
_demo = module_data(lambda: call_command("load_demo", stdout=StringIO()))


@pytest.fixture
def demo(_demo, db):
    return _demo


def test_without_a_front_end_previews_render_our_templates(admin_client, demo):
    programme = ProgrammePage.objects.get()
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(programme.pk,))
    response = admin_preview(admin_client, url, "Entwurf ohne Frontend", programme.slug, "Kurz")
    assert response.status_code == 200
    assert "<iframe" not in response.content.decode()
    assert "Entwurf ohne Frontend" in response.content.decode()


@override_settings(KOKREATIVE=HEADLESS)
def test_the_admin_preview_of_an_edited_page_reaches_the_front_end(admin_client, front_end, demo):
    programme = ProgrammePage.objects.get()
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(programme.pk,))
    response = admin_preview(
        admin_client,
        url,
        "Unveröffentlichter Entwurf",
        programme.slug,
        "Ein neuer Einstieg",
        question="Seid ihr neugierig?",
        body=[("heading", {"text": "Neu", "level": "h2", "anchor": ""})],
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    src = frame_url(response)
    assert src.startswith("https://frontend.example.org/preview?")
    query = parse_qs(urlsplit(src).query)
    assert query["site"] == ["kk"]  # the configured query is kept
    assert query["content_type"] == ["kokreative_wagtail.programmepage"]
    assert len(query["token"][0]) >= 40
    assert 'title="Vorschau von „Unveröffentlichter Entwurf“ im Frontend"' in (
        response.content.decode()
    )

    preview = read_preview(front_end, src)  # anonymous: the token is the key
    assert preview.status_code == 200, preview.content
    assert preview["Cache-Control"] == "private, no-store"
    data = preview.json()
    assert data["id"] == programme.pk
    assert data["title"] == "Unveröffentlichter Entwurf"
    assert data["audience_question"] == "Seid ihr neugierig?"
    assert data["meta"]["type"] == "kokreative_wagtail.ProgrammePage"
    assert [block["type"] for block in data["body"]] == ["heading"]
    # nothing was saved: the live page and the pages API are unchanged
    programme.refresh_from_db()
    assert programme.title != "Unveröffentlichter Entwurf"
    live = front_end.get(f"/api/v2/pages/{programme.pk}/").json()
    assert live["title"] == programme.title
    # the detail form of the endpoint checks the id
    assert (
        front_end.get(
            f"/api/v2/page_preview/{programme.pk}/", {"token": query["token"][0]}
        ).status_code
        == 200
    )
    assert (
        front_end.get(
            f"/api/v2/page_preview/{programme.pk + 1}/", {"token": query["token"][0]}
        ).status_code
        == 404
    )


@override_settings(KOKREATIVE=HEADLESS)
def test_the_preview_of_a_page_not_yet_created(admin_client, front_end, demo):
    parent = Page.objects.get(depth=2)
    url = reverse(
        "wagtailadmin_pages:preview_on_add",
        args=("kokreative_wagtail", "programmepage", parent.pk),
    )
    response = admin_preview(
        admin_client, url, "Ganz neues Programm", "ganz-neu", "Noch nicht angelegt"
    )
    assert response.status_code == 200
    preview = read_preview(front_end, frame_url(response))
    assert preview.status_code == 200, preview.content
    assert preview.json()["title"] == "Ganz neues Programm"
    assert preview.json()["id"] == 0  # not yet created
    assert preview.json()["meta"]["parent"]["id"] == parent.pk
    assert not ProgrammePage.objects.filter(slug="ganz-neu").exists()


@override_settings(KOKREATIVE=HEADLESS)
def test_every_page_type_and_preview_mode_reaches_the_front_end(client, demo):
    seen = set()
    for page in Page.objects.live().specific():
        model = type(page)
        if model not in OUR_PAGE_MODELS or model in seen:
            continue
        seen.add(model)
        page.title = f"Entwurf: {page.title}"
        for mode, _label in page.preview_modes:
            response = page.make_preview_request(preview_mode=mode)
            assert response.status_code == 200, (model, mode)
            src = frame_url(response)
            assert parse_qs(urlsplit(src).query).get("mode", [""]) == [mode] if mode else True
            preview = read_preview(client, src)
            assert preview.status_code == 200, (model, mode, preview.content)
            assert preview.json()["title"] == page.title
            assert preview.json()["meta"]["type"] == model._meta.label
    assert seen == set(OUR_PAGE_MODELS)


@override_settings(
    KOKREATIVE={
        "HEADLESS_PREVIEW_URL": {
            "localhost": "https://lokal.example.org/vorschau",
            "default": "https://www.example.org/preview",
        }
    }
)
def test_the_front_end_url_per_site(demo):
    programme = ProgrammePage.objects.get()
    # make_preview_request uses the page's own site (127.0.0.1 in the demo): the default
    assert frame_url(programme.make_preview_request()).startswith("https://www.example.org/")


@override_settings(KOKREATIVE=HEADLESS)
def test_bad_tokens_get_clear_errors(client, demo):
    programme = ProgrammePage.objects.get()
    src = frame_url(programme.make_preview_request())
    token = parse_qs(urlsplit(src).query)["token"][0]

    response = client.get("/api/v2/page_preview/")
    assert response.status_code == 400
    assert response["Cache-Control"] == "private, no-store"
    body = response.json()
    assert "token" in body["message"]
    # the error shape of our API, with Wagtail's "message" beside it
    assert body["detail"] == body["message"]
    assert list(body["errors"]) == ["token"]

    for params in (
        {"token": "x" * len(token)},  # unknown
        {"token": token[:-1]},  # malformed
        {"token": token, "content_type": "kokreative_offers.offerpage"},  # another type
    ):
        response = client.get("/api/v2/page_preview/", params)
        assert response.status_code == 404, params
        assert response.json()["message"] == response.json()["detail"]
        assert response.json()["errors"]["token"]
        assert response["Cache-Control"] == "private, no-store"

    response = client.get("/api/v2/page_preview/", {"token": token, "fields": "nichts"})
    assert response.status_code == 400
    assert response.json()["errors"]["fields"]
    assert response["Cache-Control"] == "private, no-store"

    assert client.get("/api/v2/page_preview/", {"token": token}).status_code == 200
    cache.delete(CACHE_PREFIX + token)  # what the TTL does
    response = client.get("/api/v2/page_preview/", {"token": token})
    assert response.status_code == 404
    assert "abgelaufen" in response.json()["message"]


@override_settings(KOKREATIVE={"HEADLESS_PREVIEW_URL": FRONT_END, "HEADLESS_PREVIEW_TTL": 120})
def test_the_snapshot_lives_in_the_cache_for_the_ttl(demo, monkeypatch):
    calls = []
    original = cache.set

    def spy(key, value, timeout=None, **kwargs):
        calls.append((key, timeout))
        return original(key, value, timeout, **kwargs)

    monkeypatch.setattr(cache, "set", spy)
    response = ProgrammePage.objects.get().make_preview_request()
    assert "2 Minuten" in response.content.decode()
    [(key, timeout)] = [call for call in calls if call[0].startswith(CACHE_PREFIX)]
    assert timeout == 120


@pytest.mark.parametrize(
    ("value", "check_id"),
    [
        ("/preview", "kokreative_wagtail.E005"),
        ("ftp://example.org/preview", "kokreative_wagtail.E005"),
        ({"default": "preview.example.org"}, "kokreative_wagtail.E005"),
        ({"default": 3}, "kokreative_wagtail.E005"),
        (["https://example.org"], "kokreative_wagtail.E003"),
    ],
)
def test_a_wrong_front_end_url_is_a_system_check_error(value, check_id):
    with override_settings(KOKREATIVE={"HEADLESS_PREVIEW_URL": value}):
        ids = {message.id for message in run_checks()}
    assert check_id in ids


def test_a_missing_cache_is_a_system_check_error():
    with override_settings(KOKREATIVE={"HEADLESS_PREVIEW_CACHE": "previews"}):
        messages = [m for m in run_checks() if m.id == "kokreative_wagtail.E006"]
    assert len(messages) == 1 and "'previews'" in messages[0].msg
    with override_settings(KOKREATIVE={"HEADLESS_PREVIEW_URL": FRONT_END}):
        assert not [m for m in run_checks() if m.id.startswith("kokreative_wagtail.E00")]


@override_settings(KOKREATIVE=HEADLESS)
def test_the_preview_of_an_element_page_not_yet_created(admin_client, front_end, demo):
    from kokreative_wagtail.models import Element

    programme = ProgrammePage.objects.get()
    element = Element.objects.get(slug="raumstrukturen")
    url = reverse(
        "wagtailadmin_pages:preview_on_add",
        args=("kokreative_wagtail", "elementpage", programme.pk),
    )
    data = nested_form_data(
        {
            "title": "Neues Element",
            "slug": "neues-element",
            "element": element.pk,
            "intro": rich_text("Kurz"),
            "body": streamfield([]),
        }
    )
    assert admin_client.post(url, data).json()["is_valid"] is True
    preview = read_preview(front_end, frame_url(admin_client.get(url)))
    assert preview.status_code == 200, preview.content
    page = preview.json()
    assert page["id"] == 0
    assert page["element"]["slug"] == "raumstrukturen"
    assert page["meta"]["alternates"] == []
    assert isinstance(page["offers"], list) and isinstance(page["sibling_elements"], list)
