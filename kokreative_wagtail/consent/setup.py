"""The default cookie groups, created idempotently (a migration and ``kokreative_setup_consent``).

Names and descriptions are written in the site's language (``LANGUAGE_CODE``) and are editor
content from then on: an existing group is never overwritten. Their texts in the other content
languages (``CookieGroupText``, ``CookieText``) are written from our translations the same way:
created where missing, never changed.
"""

from __future__ import annotations

import gettext as gettext_module
from pathlib import Path

from cookie_consent.conf import settings as consent_settings
from cookie_consent.models import Cookie, CookieGroup
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.coreutils import (
    get_content_languages,
    get_supported_content_language_variant,
)

from .models import CookieGroupText, CookieText
from .state import EXTERNAL_MEDIA, NECESSARY, STATISTICS


def default_groups() -> list[dict]:
    """The groups and the first-party cookies we know of, in the active language."""

    return [
        {
            "varname": NECESSARY,
            "name": _("Necessary"),
            "description": _(
                "Needed for the site to work and to remember your consent decision. They "
                "cannot be switched off."
            ),
            "is_required": True,
            "is_deletable": False,
            "ordering": 0,
            "cookies": [
                (
                    settings.CSRF_COOKIE_NAME,
                    _("Protects forms against forged requests."),
                ),
                (
                    settings.SESSION_COOKIE_NAME,
                    _("Keeps you logged in, if you log in."),
                ),
                (
                    consent_settings.COOKIE_CONSENT_NAME,
                    _("Stores your consent decision for up to one year."),
                ),
                (
                    "kokreative_consent_id",
                    _("A random number that lets us prove your consent decision."),
                ),
            ],
        },
        {
            "varname": STATISTICS,
            "name": _("Statistics"),
            "description": _("Help us understand how the site is used, so that we can improve it."),
            "is_required": False,
            "is_deletable": True,
            "ordering": 10,
            "cookies": [],
        },
        {
            "varname": EXTERNAL_MEDIA,
            "name": _("External media"),
            "description": _(
                "Videos and maps from other providers (for example YouTube, Vimeo, "
                "OpenStreetMap). When loaded, the provider receives your IP address and may "
                "set cookies."
            ),
            "is_required": False,
            "is_deletable": True,
            "ordering": 20,
            "cookies": [],
        },
    ]


def setup_default_groups(
    cookie_group_model=None,
    cookie_model=None,
    group_text_model=None,
    cookie_text_model=None,
) -> list[str]:
    """Create the default groups that are missing, and their texts in the other languages.

    Returns the varnames of the groups created. Without models the app's own are used; with
    models (a migration's) the texts only when their models are passed too.
    """
    if cookie_group_model is None:
        cookie_group_model, cookie_model = CookieGroup, Cookie
        group_text_model, cookie_text_model = CookieGroupText, CookieText
    created = []
    with translation.override(settings.LANGUAGE_CODE):
        for spec in default_groups():
            spec = dict(spec)
            cookies = spec.pop("cookies")
            group, was_created = cookie_group_model.objects.get_or_create(
                varname=spec.pop("varname"), defaults=spec
            )
            if not was_created:
                continue
            created.append(group.varname)
            for name, description in cookies:
                cookie_model.objects.get_or_create(
                    cookiegroup=group,
                    name=name,
                    domain="",
                    defaults={"description": description},
                )
    if group_text_model is not None and cookie_text_model is not None:
        setup_default_texts(cookie_group_model, cookie_model, group_text_model, cookie_text_model)
    return created


def text_languages() -> list[str]:
    """Content languages other than the default that we have texts for (English, the source
    language, and those with a catalog of ours)."""

    try:
        default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    except LookupError:
        default = settings.LANGUAGE_CODE
    locale_dir = Path(__file__).resolve().parent.parent / "locale"
    return [
        code
        for code in get_content_languages()
        if code != default
        and (
            code.split("-")[0] == "en"
            or gettext_module.find("django", str(locale_dir), [translation.to_locale(code)])
        )
    ]


def setup_default_texts(
    cookie_group_model, cookie_model, group_text_model, cookie_text_model
) -> int:
    """Texts of the default groups and cookies in every other language, where missing.

    Only for groups and cookies that exist (an editor may have deleted one); returns how many
    texts were created.
    """
    created = 0
    groups = {g.varname: g for g in cookie_group_model.objects.all()}
    for language in text_languages():
        with translation.override(language):
            specs = default_groups()
        for spec in specs:
            group = groups.get(spec["varname"])
            if group is None:
                continue
            _text, was_created = group_text_model.objects.get_or_create(
                group=group,
                language_code=language,
                defaults={"name": spec["name"], "description": spec["description"]},
            )
            created += was_created
            for name, description in spec["cookies"]:
                for cookie in cookie_model.objects.filter(cookiegroup=group, name=name, domain=""):
                    _text, was_created = cookie_text_model.objects.get_or_create(
                        cookie=cookie,
                        language_code=language,
                        defaults={"description": description},
                    )
                    created += was_created
    return created
