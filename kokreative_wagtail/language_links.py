"""The languages a page is published in, for the language switcher and hreflang links.

Works with Wagtail's own i18n (``WAGTAIL_I18N_ENABLED``), with or without wagtail-localize: the
translations are the live pages sharing the page's ``translation_key``. A site with one language,
or a page without a live translation, gets an empty list, so the templates render nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language_info
from wagtail.coreutils import get_content_languages, get_supported_content_language_variant
from wagtail.models import Page


@dataclass(frozen=True)
class PageLanguage:
    code: str  # the locale's language code, also the value of lang and hreflang
    name: str  # the language's name in that language ("Deutsch", "English")
    url: str  # the page's URL in that language, relative where the site allows
    full_url: str  # absolute, for hreflang
    current: bool  # the page being shown
    default: bool  # the site's default language (hreflang="x-default")


def local_name(code: str) -> str:
    """The name of a language in itself, as a visitor looking for it reads it."""
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return dict(get_content_languages()).get(code, code)


def page_languages(page: Page | None, request=None) -> list[PageLanguage]:
    """The live translations of ``page`` (itself included) in the order of the site's content
    languages; empty unless there are at least two.

    One query, once per request: the switcher and the hreflang links share the result.
    """
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False) or not isinstance(page, Page):
        return []
    if not page.pk or not page.translation_key:
        return []
    memo = getattr(request, "_kokreative_page_languages", None) if request is not None else None
    if memo is not None and page.pk in memo:
        return memo[page.pk]
    result = _page_languages(page, request)
    if request is not None:
        if memo is None:
            memo = request._kokreative_page_languages = {}
        memo[page.pk] = result
    return result


def _page_languages(page: Page, request) -> list[PageLanguage]:
    # URLs come from url_path and the cached site root paths: no specific page is needed
    translations = list(page.get_translations(inclusive=True).live().select_related("locale"))
    if page.pk not in {translation.pk for translation in translations}:
        translations.append(page)  # a preview or draft of the page shown
    if len(translations) < 2:
        return []
    order = [code for code, _name in get_content_languages()]
    default_code = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    result = []
    for translation in translations:
        code = translation.locale.language_code
        full_url = translation.get_full_url(request)
        if not full_url:  # not routable from any site
            continue
        result.append(
            PageLanguage(
                code=code,
                name=local_name(code),
                url=translation.get_url(request) or full_url,
                full_url=full_url,
                current=translation.pk == page.pk,
                default=code == default_code,
            )
        )
    if len(result) < 2:
        return []
    return sorted(result, key=lambda item: order.index(item.code) if item.code in order else 99)
