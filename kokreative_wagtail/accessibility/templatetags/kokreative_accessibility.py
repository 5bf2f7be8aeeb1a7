"""Links to Leichte Sprache and the accessibility statement (``kokreative_accessibility``).

The same functions are the app's providers, so the core's ``kokreative_tags`` can offer these
tags to base templates that must also work on sites without this app.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..links import companion_link, start_page_link, statement_link

register = template.Library()

#: The name of the language variant in itself, like a language switcher's "Deutsch": it is not
#: translated, and its ``lang`` says so, wherever the link stands.
EASY_LANGUAGE_NAME = "Leichte Sprache"


def _current(context, page_id: int) -> str:
    page = context.get("page")
    return ' aria-current="page"' if getattr(page, "pk", None) == page_id else ""


def render_easy_language_link(context, page=None) -> str:
    """A page's link to the Leichte Sprache page explaining it; empty when there is none."""
    page = page if page is not None else context.get("page")
    link = companion_link(page, context.get("request"))
    if link is None:
        return ""
    return format_html(
        '<p class="kk-easy-language-link"><a href="{}" hreflang="de" lang="de">{}</a></p>',
        link.url,
        EASY_LANGUAGE_NAME,
    )


def render_easy_language_start(context, label: str | None = None) -> str:
    """The header's link to the site's Leichte Sprache start page; empty without one."""
    link = start_page_link(context.get("request"))
    if link is None:
        return ""
    # the site's own label is in the page's language; ours is the variant's name in German
    return format_html(
        '<a class="kk-easy-language-start" href="{}" hreflang="de"{}{}>{}</a>',
        link.url,
        mark_safe("" if label else ' lang="de"'),
        mark_safe(_current(context, link.page_id)),
        label or EASY_LANGUAGE_NAME,
    )


def render_statement_link(context, label: str | None = None) -> str:
    """The footer's link to the site's accessibility statement; empty without one."""
    link = statement_link(context.get("request"))
    if link is None:
        return ""
    return format_html(
        '<a class="kk-accessibility-statement-link" href="{}"{}>{}</a>',
        link.url,
        mark_safe(_current(context, link.page_id)),
        label or _("Accessibility statement"),
    )


@register.simple_tag(takes_context=True)
def kokreative_easy_language_link(context, page=None) -> SafeString:
    return mark_safe(render_easy_language_link(context, page))


@register.simple_tag(takes_context=True)
def kokreative_easy_language_start(context, label: str | None = None) -> SafeString:
    return mark_safe(render_easy_language_start(context, label))


@register.simple_tag(takes_context=True)
def kokreative_accessibility_statement_link(context, label: str | None = None) -> SafeString:
    return mark_safe(render_statement_link(context, label))
