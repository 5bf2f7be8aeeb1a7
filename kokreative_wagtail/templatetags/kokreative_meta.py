"""What search engines and link previews read of a page: ``{% load kokreative_meta %}``.

``{% kokreative_meta %}`` belongs in the ``<head>`` of the site's base template: the canonical
URL, Open Graph and the page's schema.org JSON-LD (``structured_data.py``). A base template
without it still gets the JSON-LD: our ``kokreative_wagtail/base.html`` renders
``{% kokreative_structured_data %}`` in the page's content, which writes the script only when
the head tag did not (JSON-LD is valid in the ``<body>``; search engines read it there too).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import to_locale
from wagtail.models import Page

from ..language_links import page_languages
from ..structured_data import PageInfo, dumps, graph_for, page_data

register = template.Library()

#: Set on the request (and the render context) once the JSON-LD of the page is written.
WRITTEN = "_kokreative_structured_data_written"

#: Open Graph wants ``language_TERRITORY``; a bare language gets its usual territory.
_TERRITORIES = {
    "en": "US",
    "cs": "CZ",
    "da": "DK",
    "el": "GR",
    "ja": "JP",
    "ko": "KR",
    "sv": "SE",
    "uk": "UA",
    "zh": "CN",
    "ar": "AR",
    "fa": "IR",
    "he": "IL",
    "sl": "SI",
    "et": "EE",
}


def og_locale(code: str) -> str:
    """A language code (``de``, ``en-gb``) as Open Graph's locale (``de_DE``, ``en_GB``)."""
    name = to_locale(code)
    if "_" in name:
        return name
    return f"{name}_{_TERRITORIES.get(name, name.upper())}"


def _page(context) -> Page | None:
    page = context.get("page")
    return page if isinstance(page, Page) else None


def _written(context) -> bool:
    request = context.get("request")
    return bool(getattr(request, WRITTEN, False) or context.dicts[0].get(WRITTEN))


def _mark_written(context) -> None:
    # the bottom dict lives as long as this render, whatever blocks and includes push on top;
    # the request covers an ``{% include ... only %}`` of the head
    context.dicts[0][WRITTEN] = True
    request = context.get("request")
    if request is not None:
        setattr(request, WRITTEN, True)


def _script(info: PageInfo, data) -> SafeString:
    document = graph_for(info, data)
    if document is None:
        return mark_safe("")
    # dumps() escapes <, > and & inside the JSON: nothing in it can close the element
    return mark_safe(f'<script type="application/ld+json">{dumps(document)}</script>')


def _open_graph(info: PageInfo, data) -> dict[str, Any]:
    languages = page_languages(info.page, info.request)
    alternates = [og_locale(item.code) for item in languages if not item.current]
    return {
        "type": data.og_type,
        "title": info.title,
        "description": info.description,
        "url": info.url,
        "site_name": (info.organization or {}).get("name", ""),
        "locale": og_locale(info.language),
        "locale_alternates": alternates,
        "image": info.image,
    }


@register.simple_tag(takes_context=True)
def kokreative_meta(
    context, canonical: bool = True, open_graph: bool = True, structured_data: bool = True
) -> str:
    """``<link rel="canonical">``, Open Graph ``<meta>`` and the page's JSON-LD for the
    ``<head>``; nothing outside a page (a 404 or search view). Each part can be switched off
    (``canonical=False`` where the site writes its own)."""
    page = _page(context)
    if page is None:
        return ""
    info = PageInfo(page, context.get("request"), context)
    data = page_data(page, info)
    html = render_to_string(
        "kokreative_wagtail/includes/meta.html",
        {
            "canonical": info.url if canonical else None,
            "og": _open_graph(info, data) if open_graph and info.url else None,
            "json_ld": _script(info, data) if structured_data else "",
        },
    )
    if structured_data:
        _mark_written(context)
    return mark_safe(html.strip())


@register.simple_tag(takes_context=True)
def kokreative_structured_data(context) -> str:
    """The page's JSON-LD alone, unless ``{% kokreative_meta %}`` wrote it already: for the
    ``<body>`` of base templates that lack the head tag."""
    page = _page(context)
    if page is None or _written(context):
        return ""
    info = PageInfo(page, context.get("request"), context)
    script = _script(info, page_data(page, info))
    _mark_written(context)
    return script
