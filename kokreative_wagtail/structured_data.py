"""schema.org JSON-LD and Open Graph values of a page: the core's part and the dispatcher.

Search engines read what a page is about from JSON-LD (Google's event and course rich results
need it). The core knows its own page types (the programme: ``WebPage``, an element page:
``CollectionPage``) and names no capability: it asks the installed capability apps by name
(``providers = {"structured_data": ...}``, see ``capabilities.py``); each answers a
``PageData`` for a page of its own and ``None`` for any other. A page class may also answer
for itself with a ``get_structured_data(info)`` method (a site's own page type; see
docs/structured-data.md). Around the page's own entities the core adds what every page has: the
web page node with its language, image and publisher, and the breadcrumbs of the page's
ancestors in its site.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import get_language
from wagtail.models import Page, Site

from .abstract import ElementPageMixin, ProgrammePageMixin
from .capabilities import all_providers
from .images import safe_rendition
from .public_urls import absolute, base_url, page_full_url

SCHEMA = "https://schema.org"
#: Rendition of the teaser image for ``og:image`` and ``image``: the 1.91:1 that Open Graph and
#: Google's rich results both show well (at least 1200 px wide, > 50,000 pixels).
IMAGE_RENDITION = "fill-1200x630"
#: Longest description written; search engines cut longer ones anyway.
DESCRIPTION_LENGTH = 300

#: ``<``, ``>`` and ``&`` as JSON escapes, as Django's ``json_script`` writes them: a title with
#: ``</script>`` cannot end the script element early.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def schema_url(name: str) -> str:
    """An enumeration member as a full schema.org URL (``EventScheduled`` → its URL)."""
    return f"{SCHEMA}/{name}"


def plain_text(value: Any, length: int = DESCRIPTION_LENGTH) -> str:
    """Rich text or plain text as one line of plain text, cut at ``length`` characters."""
    text = html.unescape(strip_tags(str(value or "")))
    text = " ".join(text.split())
    return Truncator(text).chars(length) if text else ""


_FREE = re.compile(r"^(kostenlos|kostenfrei|gratis|frei|free|free of charge|no charge)\b", re.I)
_AMOUNT = re.compile(r"^(?:(?:€|eur)\s*)?(\d{1,6}(?:[.,]\d{1,2})?)\s*(?:€|eur|euro)?$", re.I)


def price_from_text(text: str | None) -> Decimal | None:
    """The price in euros an editor's cost text states (``kostenlos`` → 0, ``120 €`` → 120),
    or ``None`` for any other text (``auf Anfrage``, ``ab 300 €``): no price is better than a
    wrong one in search results."""
    value = " ".join((text or "").split()).rstrip(".")
    if not value:
        return None
    if _FREE.match(value):
        return Decimal("0")
    found = _AMOUNT.match(value)
    if not found:
        return None
    try:
        return Decimal(found.group(1).replace(",", "."))
    except InvalidOperation:  # the pattern admits only digits; kept for safety
        return None


@dataclass
class PageData:
    """What a page type says about itself: the type of its web page node and its entities.

    ``page_type``: ``WebPage`` or a subtype (``CollectionPage``, ``ItemPage``, ``AboutPage``…).
    ``entities``: the things the page is about (an ``Event``, a ``Course``); the first is the
    page's ``mainEntity``. ``og_type``: Open Graph's type of the page.
    """

    page_type: str = "WebPage"
    entities: list[dict[str, Any]] = field(default_factory=list)
    og_type: str = "website"


class PageInfo:
    """What the builders share about one page and request, each value computed once."""

    def __init__(self, page: Page, request=None, context: Any = None) -> None:
        self.page = page
        self.request = request
        #: The template context of the page (``get_context``), or ``None``: builders may reuse
        #: what the page computed already (an event's upcoming dates).
        self.context = context

    def context_value(self, key: str, default: Any = None) -> Any:
        if self.context is None:
            return default
        try:
            return self.context.get(key, default)
        except AttributeError:
            return default

    @cached_property
    def url(self) -> str | None:
        """The page's canonical, absolute URL in its own language (none for the preview of a
        page not saved yet)."""
        if not self.page.pk:
            return None
        return page_full_url(self.page, self.request)

    def absolute(self, url: str | None) -> str | None:
        return absolute(self.request, url)

    @cached_property
    def language(self) -> str:
        """The page's language code (``de``, ``en``), as BCP 47 and ``hreflang`` have it."""
        locale = getattr(self.page, "locale", None)
        code = getattr(locale, "language_code", None) if locale is not None else None
        return code or get_language() or "de"

    @cached_property
    def site(self) -> Site | None:
        if self.request is not None:
            site = Site.find_for_request(self.request)
            if site is not None:
                return site
        return self.page.get_site()

    @cached_property
    def site_url(self) -> str | None:
        """The absolute URL of the site's home (the public base URL, the host that answered, or
        the site record's root URL)."""
        base = base_url(self.request)
        if base:
            return f"{base}/"
        return f"{self.site.root_url}/" if self.site is not None else None

    @cached_property
    def organization(self) -> dict[str, Any] | None:
        """The organisation behind the site (organizer, publisher, provider): the site's name."""
        site = self.site
        name = getattr(site, "site_name", "") or ""
        if not name and site is not None:
            name = site.root_page.title
        if not name:
            return None
        node: dict[str, Any] = {"@type": "Organization", "name": name}
        if self.site_url:
            node["@id"] = f"{self.site_url}#organization"
            node["url"] = self.site_url
        return node

    @cached_property
    def title(self) -> str:
        return self.page.seo_title or self.page.title

    @cached_property
    def description(self) -> str:
        """The search description, else the teaser, else the introduction, as plain text."""
        page = self.page
        for name in ("search_description", "teaser", "intro"):
            text = plain_text(getattr(page, name, ""))
            if text:
                return text
        return ""

    @cached_property
    def image(self) -> dict[str, Any] | None:
        """The teaser image's rendition as ``url``, ``width``, ``height`` and ``alt``."""
        image = getattr(self.page, "teaser_image", None)
        rendition = safe_rendition(image, IMAGE_RENDITION)
        if rendition is None:
            return None
        url = absolute(self.request, rendition.url) or rendition.full_url
        alt = str(getattr(image, "default_alt_text", "") or "")
        return {"url": url, "width": rendition.width, "height": rendition.height, "alt": alt}

    @property
    def image_url(self) -> str | None:
        return self.image["url"] if self.image else None


def page_data(page: Page, info: PageInfo) -> PageData:
    """The page's own ``PageData``: its method, a capability app's answer, or the core's."""
    own = getattr(page, "get_structured_data", None)
    if callable(own):
        found = own(info)
        if found is not None:
            return found
    for build in all_providers("structured_data"):
        found = build(page, info)
        if found is not None:
            return found
    if isinstance(page, ElementPageMixin):
        return PageData("CollectionPage", _element_about(page))
    if isinstance(page, ProgrammePageMixin):
        return PageData("WebPage")
    return PageData()


def _element_about(page) -> list[dict[str, Any]]:
    element = getattr(page, "element", None)
    if element is None:
        return []
    node: dict[str, Any] = {"@type": "DefinedTerm", "name": element.name}
    summary = plain_text(element.summary)
    if summary:
        node["description"] = summary
    return [node]


def breadcrumbs(info: PageInfo) -> dict[str, Any] | None:
    """A ``BreadcrumbList`` of the page's ancestors in its site (as the visible breadcrumbs
    show them), ending with the page; ``None`` for fewer than two entries (Google's minimum)."""
    page = info.page
    items = []
    for ancestor in page.get_ancestors():
        if ancestor.is_root():
            continue
        url = page_full_url(ancestor, info.request)
        if url:  # above the site's root page: no URL of this site
            items.append((ancestor.title, url))
    if info.url:
        items.append((page.title, info.url))
    if len(items) < 2:
        return None
    return {
        "@type": "BreadcrumbList",
        "@id": f"{info.url}#breadcrumb",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": name, "item": url}
            for number, (name, url) in enumerate(items, start=1)
        ],
    }


def graph(page: Page, request=None, context: Any = None) -> dict[str, Any] | None:
    """The page's JSON-LD document (``@context`` and ``@graph``), or ``None`` for a page that
    has no URL to describe."""
    info = PageInfo(page, request, context)
    return graph_for(info, page_data(page, info))


def graph_for(info: PageInfo, data: PageData) -> dict[str, Any] | None:
    if not info.url:
        return None
    page = info.page
    node: dict[str, Any] = {
        "@type": data.page_type,
        "@id": f"{info.url}#webpage",
        "url": info.url,
        "name": info.title,
        "inLanguage": info.language,
    }
    if info.description:
        node["description"] = info.description
    if info.image_url:
        node["primaryImageOfPage"] = {"@type": "ImageObject", "url": info.image_url}
    if getattr(page, "last_published_at", None):
        node["dateModified"] = page.last_published_at.isoformat()
    if info.organization:
        node["publisher"] = info.organization
    crumbs = breadcrumbs(info)
    if crumbs:
        node["breadcrumb"] = {"@id": crumbs["@id"]}
    entities = list(data.entities)
    if entities:
        if "@id" in entities[0]:  # a thing of its own: the page's main entity, beside it
            node["mainEntity"] = {"@id": entities[0]["@id"]}
        else:  # a term the page is about (an element): inside the page's node
            node["about"] = entities[0] if len(entities) == 1 else entities
            entities = []
    nodes = [node, *entities]
    if crumbs:
        nodes.append(crumbs)
    return {"@context": SCHEMA, "@graph": nodes}


def dumps(document: dict[str, Any]) -> str:
    """JSON for a ``<script type="application/ld+json">``, with ``<``, ``>`` and ``&`` escaped."""
    text = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return text.translate(_SCRIPT_ESCAPES)
