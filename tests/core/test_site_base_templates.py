"""Our pages inside a stranger's base template: one <main>, our stylesheet, their classes kept.

Three site base templates (tests/templates/site_bases/): the one of ``wagtail start``, one with its
own ``<main id="main-content">``, breadcrumbs and no ``extra_css`` block, and one whose blocks have
other names. Every page type is rendered in each.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import checks
from django.template import Context, Template
from django.test import override_settings

from kokreative_wagtail.checks import check_settings, check_site_base_template
from kokreative_wagtail.events.models import EventIndexPage, EventPage

from ..consultations.factories import create_consultation_page
from ..factories import add_page
from ..html_audit import audit_html
from ..offers.factories import create_offer, create_offer_index

pytestmark = pytest.mark.django_db

STYLESHEET = re.compile(
    r'<link rel="stylesheet" href="[^"]*kokreative_wagtail/css/kokreative\.css">'
)
BODY_CLASS = re.compile(r'<body class="([^"]*)"')

SITE_BASES = {
    "wagtail_start": (
        {"BASE_TEMPLATE": "site_bases/wagtail_start.html"},
        {"site-start"},
    ),
    "own_main": (
        {
            "BASE_TEMPLATE": "site_bases/own_main.html",
            "BASE_TEMPLATE_BLOCKS": {"extra_css": ""},  # it has none: <link> in the body
            "BREADCRUMBS": False,
        },
        {"site-own"},
    ),
    "other_names": (
        {
            "BASE_TEMPLATE": "site_bases/other_names.html",
            "BASE_TEMPLATE_BLOCKS": {
                "content": "main_content",
                "extra_css": "head_extra",
                "body_class": "page_class",
            },
        },
        {"site-other"},
    ),
}


def breadcrumb_navs(html: str) -> int:
    """Ours (class kk-breadcrumbs, label translated) and a site's (labelled "Breadcrumb")."""
    return html.count('class="kk-breadcrumbs"') + html.count('aria-label="Breadcrumb"')


@pytest.fixture
def every_page(programme, element_page, site_root) -> dict[str, object]:
    """One live page of each of our page types, keyed by its body class."""
    offers = create_offer_index(site_root)
    events = add_page(site_root, EventIndexPage, title="Termine", slug="termine")
    start = datetime(2026, 3, 5, 16, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    event = EventPage(
        title="Werkstatt", slug="werkstatt", start=start, end=start + timedelta(hours=2)
    )
    events.add_child(instance=event)
    event.save_revision().publish()
    return {
        "kk-programme-page": programme,
        "kk-element-page": element_page,
        "kk-offer-index-page": offers,
        "kk-offer-page": create_offer(offers, title="Beratung vor Ort"),
        "kk-event-index-page": events,
        "kk-event-page": event,
        "kk-consultation-form-page": create_consultation_page(site_root),
    }


@pytest.mark.parametrize("base", SITE_BASES)
def test_every_page_type_fits_the_sites_base(client, every_page, base):
    kokreative, site_classes = SITE_BASES[base]
    with override_settings(KOKREATIVE=kokreative):
        assert [m.id for m in check_settings() + check_site_base_template()] == []
        for our_class, page in every_page.items():
            response = client.get(page.url)
            assert response.status_code == 200, (base, our_class)
            html = response.content.decode()
            audit = audit_html(html)
            problems = [p for p in audit.problems() if "<main>" in p or "duplicate ids" in p]
            assert problems == [], (base, our_class)
            assert len(STYLESHEET.findall(html)) == 1, (base, our_class)
            assert breadcrumb_navs(html) == 1, (base, our_class)
            assert audit.landmarks.count("footer") == 1, (base, our_class)
            [body_class] = BODY_CLASS.findall(html)
            assert site_classes | {our_class} <= set(body_class.split()), (base, our_class)
            assert "kk-main" in html, (base, our_class)


@override_settings(KOKREATIVE={"BASE_TEMPLATE": "site_bases/wagtail_start.html"})
def test_our_breadcrumbs_and_main_in_a_base_without_them(client, element_page):
    html = client.get(element_page.url).content.decode()
    assert '<main id="main-content" class="kk-main"' in html
    assert breadcrumb_navs(html) == 1
    assert 'class="kk-breadcrumbs"' in html
    head = html.split("</head>")[0]
    assert STYLESHEET.search(head)  # in the <head> where the site has extra_css


@override_settings(KOKREATIVE={"BASE_TEMPLATE": "site_bases/own_main.html", "BREADCRUMBS": False})
def test_the_sites_main_and_breadcrumbs_are_kept(client, element_page):
    html = client.get(element_page.url).content.decode()
    assert '<main id="main-content" tabindex="-1">' in html
    assert '<div class="kk-main">' in html
    assert breadcrumb_navs(html) == 1
    assert 'class="kk-breadcrumbs"' not in html
    assert STYLESHEET.search(html.split("</head>")[1])  # no extra_css: linked in the body


@override_settings(KOKREATIVE={"BASE_TEMPLATE": "site_bases/other_names.html"})
def test_other_block_names_are_reported_with_the_setting_to_set():
    warnings = check_site_base_template()
    assert [w.id for w in warnings] == ["kokreative_wagtail.W005"] * 3
    assert "'content'" in warnings[0].msg
    assert 'KOKREATIVE["BASE_TEMPLATE_BLOCKS"] = {"content": "<its block>"}' in warnings[0].hint
    assert "{% block extra_css %}{% endblock %}" in warnings[1].hint


@override_settings(
    KOKREATIVE={"BASE_TEMPLATE": "site_bases/own_main.html", "MAIN_LANDMARK": "ours"}
)
def test_a_base_with_main_and_breadcrumbs_is_reported():
    found = {w.id: w for w in check_site_base_template()}
    assert set(found) == {
        "kokreative_wagtail.W005",  # no extra_css
        "kokreative_wagtail.W006",  # <main> twice
        "kokreative_wagtail.W007",  # breadcrumbs twice
    }
    assert "extra_css" in found["kokreative_wagtail.W005"].msg
    assert 'MAIN_LANDMARK"] = "auto"' in found["kokreative_wagtail.W006"].hint
    assert 'BREADCRUMBS"] = False' in found["kokreative_wagtail.W007"].hint
    assert all(w.level == checks.WARNING for w in found.values())


@override_settings(KOKREATIVE={"MAIN_LANDMARK": "nested"})
def test_an_unknown_landmark_value_is_reported():
    assert "kokreative_wagtail.W008" in [w.id for w in check_site_base_template()]


def test_the_example_sites_base_passes():
    assert check_site_base_template() == []


def test_consent_link_renders_no_footer_of_its_own(rf):
    request = rf.get("/angebote/")
    html = Template("{% load kokreative_consent %}{% kokreative_consent_settings_link %}").render(
        Context({"request": request})
    )
    assert html.startswith('<a class="kk-consent-settings-link" href="/')
    assert "<footer" not in html
