"""Template helpers of kokreative-wagtail: ``{% load kokreative_tags %}``."""

from __future__ import annotations

from django import template
from django.http import QueryDict
from django.utils.safestring import mark_safe

from ..capabilities import provider
from ..conf import get_setting
from ..images import safe_rendition
from ..language_links import page_languages

register = template.Library()


@register.simple_tag
def kokreative_rendition(image, setting: str = "TEASER_RENDITION"):
    """The rendition of ``image`` for a filter spec named by a setting, or ``None``.

    Uses the renditions our listings prefetch, and never fails a page for a broken image file.
    """
    return safe_rendition(image, get_setting(setting))


@register.simple_tag(takes_context=True)
def kokreative_querystring(context, **changes) -> str:
    """The current GET parameters with ``changes`` applied (``None`` removes a key), for links."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        query = QueryDict(mutable=True)
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def kokreative_consent_banner(context) -> str:
    """The consent banner and settings dialog; nothing when the consent app is not installed.

    Lives in the core library so base templates need no ``{% if %}`` around it: a site that
    leaves ``kokreative_wagtail.consent`` out (its own consent tool, say) loses nothing.
    """
    render_banner = provider("consent_banner")
    return mark_safe(render_banner(context)) if render_banner else ""


@register.simple_tag(takes_context=True)
def kokreative_consent_settings_link(context, label: str | None = None) -> str:
    """The footer's "Cookie settings" link; nothing when the consent app is not installed."""
    render_settings_link = provider("consent_settings_link")
    return mark_safe(render_settings_link(context, label)) if render_settings_link else ""


@register.inclusion_tag("kokreative_wagtail/includes/language_switcher.html", takes_context=True)
def kokreative_language_switcher(context) -> dict:
    """Links to the page in its other languages; nothing on a one-language site."""

    return {"languages": page_languages(context.get("page"), context.get("request"))}


@register.inclusion_tag("kokreative_wagtail/includes/hreflang.html", takes_context=True)
def kokreative_hreflang_links(context) -> dict:
    """``<link rel="alternate" hreflang>`` for each language of the page, for the ``<head>``."""

    languages = page_languages(context.get("page"), context.get("request"))
    default = next((item for item in languages if item.default), None)
    return {
        "languages": languages,
        "x_default": default or (languages[0] if languages else None),
    }


@register.simple_tag(takes_context=True)
def kokreative_easy_language_link(context, page=None) -> str:
    """The page's link to its Leichte Sprache page; nothing without the accessibility app."""
    render = provider("easy_language_link")
    return mark_safe(render(context, page)) if render else ""


@register.simple_tag(takes_context=True)
def kokreative_easy_language_start(context, label: str | None = None) -> str:
    """The header's link to the site's Leichte Sprache start page; nothing without the app."""
    render = provider("easy_language_start")
    return mark_safe(render(context, label)) if render else ""


@register.simple_tag(takes_context=True)
def kokreative_accessibility_statement_link(context, label: str | None = None) -> str:
    """The footer's link to the accessibility statement; nothing without the app."""
    render = provider("accessibility_statement_link")
    return mark_safe(render(context, label)) if render else ""
