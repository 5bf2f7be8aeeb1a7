"""Helpers and constants shared by the offers tests."""

from __future__ import annotations

import html
import re
from datetime import datetime
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from django.db import connection
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction

from kokreative_wagtail.models import ProgrammePage
from kokreative_wagtail.offers.blocks import OfferListBlock

API_OFFERS = "/api/kokreative/v1/offers"
ON_SQLITE = connection.vendor == "sqlite"

#: A listing page runs at most 25 queries, an API list at most 5, at 5 and 200 items.
#: Measured (SQLite and PostgreSQL, Wagtail 7.0 and 8.0): index page 16, API list 5.
INDEX_PAGE_MAX_QUERIES = 25
API_LIST_MAX_QUERIES = 5

OTHER_HOST = "andere-kommune.example"


# --- helpers -----------------------------------------------------------------------------------

TEASER_TITLE = re.compile(r'class="kk-offer-title"><a href="([^"]*)">([^<]*)</a>')


def listed(response) -> list[str]:
    """Titles of the offer teasers on a rendered page, in order."""
    assert response.status_code == 200
    return [
        html.unescape(title) for _href, title in TEASER_TITLE.findall(response.content.decode())
    ]


def titles(*offers) -> list[str]:
    return [offer.title for offer in offers]


def api_ids(response) -> list[int]:
    assert response.status_code == 200, response.content[:500]
    return [item["id"] for item in response.json()["items"]]


def section(markup: str, css_class: str) -> str:
    """The inner HTML of the first element with ``class="<css_class>"`` (non-nested match)."""
    match = re.search(
        rf'<(\w+) class="{re.escape(css_class)}"[^>]*>(.*?)</\1>', markup, flags=re.DOTALL
    )
    return match.group(2) if match else ""


class _FormParser(HTMLParser):
    """Collects the forms of a page with their controls."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._form = {"attrs": attributes, "controls": [], "labels": set()}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag in ("input", "select", "textarea", "button"):
            control = {"tag": tag, **attributes}
            self._form["controls"].append(control)
            if tag == "select":
                control["options"] = []
                self._select = control
        elif tag == "option" and self._select is not None:
            self._select["options"].append(attributes)
        elif tag == "label" and attributes.get("for"):
            self._form["labels"].add(attributes["for"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def filter_form(response) -> dict:
    parser = _FormParser()
    parser.feed(response.content.decode())
    forms = [f for f in parser.forms if "kk-filter-form" in f["attrs"].get("class", "")]
    assert len(forms) == 1, parser.forms
    return forms[0]


def pagination_links(response) -> list[dict[str, list[str]]]:
    nav = section(response.content.decode(), "kk-pagination")
    hrefs = [html.unescape(h) for h in re.findall(r'href="([^"]*)"', nav)]
    assert all(h.startswith("?") for h in hrefs), hrefs
    return [parse_qs(urlsplit(h).query, keep_blank_values=True) for h in hrefs]


def set_published(page, when: datetime) -> None:
    Page.objects.filter(pk=page.pk).update(first_published_at=when, last_published_at=when)


def make_private(page) -> None:
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )


def add_url(model, parent) -> str:
    return reverse(
        "wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.pk)
    )


def offer_list_block() -> OfferListBlock:
    block = ProgrammePage._meta.get_field("body").stream_block.child_blocks["offer_list"]
    assert isinstance(block, OfferListBlock)
    return block


def offer_list_value(**values):
    raw = {
        "heading": "",
        "mode": "latest",
        "offers": [],
        "kind": "",
        "element": None,
        "count": 3,
    }
    raw.update(values)
    raw["offers"] = [getattr(o, "pk", o) for o in raw["offers"]]
    raw["element"] = getattr(raw["element"], "pk", raw["element"])
    return offer_list_block().to_python(raw)


#: (GET parameters, the catalogue offers expected, in tree order)
FILTER_CASES = [
    ({}, "abcd"),
    ({"kind": ["training"]}, "ad"),
    ({"kind": ["training", "inhouse"]}, "abd"),  # OR within a filter
    ({"audience": ["verwaltung"]}, "ac"),
    ({"audience": ["verwaltung", "politik"]}, "abc"),
    ({"format": ["online"]}, "bd"),
    ({"format": ["online", "hybrid"]}, "bcd"),
    ({"element": ["kultureller-wandel"]}, "ac"),
    ({"element": ["kultureller-wandel", "raumstrukturen"]}, "abc"),  # c has both: listed once
    ({"kind": ["training"], "format": ["online"]}, "d"),  # AND across filters
    ({"audience": ["verwaltung"], "element": ["raumstrukturen"]}, "c"),
    ({"kind": ["training", "community"], "audience": ["zivilgesellschaft"]}, "cd"),
    ({"kind": ["inhouse"], "audience": ["verwaltung"], "format": ["online"]}, ""),
]


SEARCH_CASES = [
    ("Beteiligung", "a"),  # a title word
    ("beteiligung", "a"),  # case does not matter
    ("Impulsvortrag", "b"),  # a teaser word
    ("Fallberatung", "c"),  # a body word: all indexed text is searched
    ("Workshop Moderation", "a"),  # a title and a teaser word, both required
    ("Workshop Impulsvortrag", ""),
    ("Quantencomputer", ""),
    ("  Beteiligung  ", "a"),
]
