"""Leichte Sprache: the companion page and its look, the links to it, the DGS video block and
the summaries of offer and event pages."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.template import RequestContext, Template
from django.test import RequestFactory
from wagtail.blocks.struct_block import StructBlockValidationError

from kokreative_wagtail.accessibility.blocks import SignLanguageVideoBlock, sentence_lines
from kokreative_wagtail.capabilities import provider

from ..embed_finder import FINDERS_SETTING
from ..events.factories import create_event, create_event_index
from ..factories import add_page
from ..offers.factories import create_offer, create_offer_index
from .factories import create_easy_language_page

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=jNQXAC9IVRw"
FETCHING = {"src", "srcset", "data", "poster", "background"}


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def render(template: str, page=None) -> BeautifulSoup:
    request = RequestFactory().get("/")
    html = Template("{% load kokreative_accessibility %}" + template).render(
        RequestContext(request, {"page": page})
    )
    return BeautifulSoup(html, "html.parser")


def video(**overrides) -> dict:
    value = {
        "url": YOUTUBE,
        "title": "Die Kokreative Kommune in Gebärdensprache",
        "provider_name": "",
        "privacy_url": "",
        "group": "external_media",
        "caption": "",
        "transcript_page": None,
        "transcript_url": "https://example.org/video-als-text.pdf",
    }
    value.update(overrides)
    return value


def test_sentences_are_lines_and_paragraphs():
    text = "Erster Satz.\n  Zweiter Satz. \n\n\nDritter Satz.\n"
    assert sentence_lines(text) == [["Erster Satz.", "Zweiter Satz."], ["Dritter Satz."]]


def test_the_page_renders_german_in_its_own_look(client, programme, settings):
    settings.WAGTAILEMBEDS_FINDERS = FINDERS_SETTING
    page = create_easy_language_page(
        programme,
        explains=programme,
        body=[
            ("heading", "Was ist die Kokreative Kommune?"),
            ("text", "Kommunen arbeiten zusammen.\nAlle können mitmachen."),
            ("sign_language_video", video()),
        ],
    )
    response = client.get(page.url)
    assert response.status_code == 200
    html = soup(response)
    article = html.select_one("article.kk-easy-language")
    assert article["lang"] == "de"
    assert html.select_one("link[href$='accessibility/css/easy-language.css']")
    assert [h.get_text() for h in article.select("h2")] == ["Was ist die Kokreative Kommune?"]
    lines = [span.get_text() for span in article.select(".kk-body .kk-ls-line")]
    assert lines == ["Kommunen arbeiten zusammen.", "Alle können mitmachen."]
    assert len(article.select(".kk-ls-intro .kk-ls-line")) == 2
    # the page it explains, linked back
    assert article.select_one(".kk-ls-everyday a")["href"] == programme.url
    # the DGS video: a placeholder before consent, nothing fetched from the video host
    assert not article.select("iframe")
    fetched = [
        value
        for tag in article.find_all(True)
        for name, value in tag.attrs.items()
        if name in FETCHING
    ]
    assert not [url for url in fetched if "youtube" in str(url)]
    assert article.select_one(".kk-consent-placeholder")
    transcript = article.select_one(".kk-ls-transcript a")
    assert transcript["href"] == "https://example.org/video-als-text.pdf"


def test_the_sign_language_video_needs_its_text():
    block = SignLanguageVideoBlock()
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(block.to_python(video(transcript_url="")))
    assert "transcript_url" in raised.value.block_errors
    assert block.clean(block.to_python(video()))["transcript_url"]


def test_the_explained_page_links_its_companion_while_it_is_live(client, programme):
    assert render("{% kokreative_easy_language_link page %}", programme).find("a") is None
    companion = create_easy_language_page(programme, explains=programme)
    link = render("{% kokreative_easy_language_link page %}", programme).find("a")
    assert link["href"] == companion.url
    assert (link["lang"], link["hreflang"], link.get_text()) == ("de", "de", "Leichte Sprache")
    # the companion itself shows no such link
    assert render("{% kokreative_easy_language_link page %}", companion).find("a") is None
    companion.unpublish()  # the cached answer is forgotten
    assert render("{% kokreative_easy_language_link page %}", programme).find("a") is None


def test_the_header_link_leads_to_the_start_page(programme, site_root):
    assert render("{% kokreative_easy_language_start %}").find("a") is None
    # without a marked start page: the highest Leichte Sprache page explaining no other page
    section = create_easy_language_page(site_root, title="Alles in Leichter Sprache")
    create_easy_language_page(section, slug="programm", explains=programme)
    assert render("{% kokreative_easy_language_start %}").find("a")["href"] == section.url
    marked = create_easy_language_page(programme, slug="start", is_start_page=True)
    link = render("{% kokreative_easy_language_start %}", marked).find("a")
    assert link["href"] == marked.url
    assert link["aria-current"] == "page"
    # the core's tags reach it by name, so base templates work without this app
    assert provider("easy_language_start") is not None
    assert provider("easy_language_link") is not None
    assert provider("accessibility_statement_link") is not None


def test_offer_and_event_pages_show_their_summary(client, site_root):
    summary = "Hier lernen Sie Beteiligung.\nDas Training dauert zwei Tage."
    offer = create_offer(create_offer_index(site_root), easy_language_summary=summary)
    event = create_event(
        create_event_index(site_root),
        offer.first_published_at,
        easy_language_summary=summary,
    )
    for page in (offer, event):
        box = soup(client.get(page.url)).select_one("section.kk-easy-language-summary")
        assert box.select_one("h2").get_text() == "Leichte Sprache"
        assert "Das Training dauert zwei Tage." in box.get_text()
        assert box.select_one("br"), "one sentence per line"
        api = client.get(f"/api/v2/pages/{page.pk}/").json()
        assert api["easy_language_summary"] == summary
    plain = add_page(offer.get_parent(), type(offer), title="Ohne", slug="ohne")
    assert not soup(client.get(plain.url)).select(".kk-easy-language-summary")
