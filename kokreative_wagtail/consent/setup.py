"""The default cookie groups, created idempotently (a migration and ``kokreative_setup_consent``).

Names and descriptions are written in the site's language (``LANGUAGE_CODE``) and are editor
content from then on: an existing group is never overwritten.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .state import EXTERNAL_MEDIA, NECESSARY, STATISTICS


def default_groups() -> list[dict]:
    """The groups and the first-party cookies we know of, in the active language."""
    from cookie_consent.conf import settings as consent_settings

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
                (settings.CSRF_COOKIE_NAME, _("Protects forms against forged requests.")),
                (settings.SESSION_COOKIE_NAME, _("Keeps you logged in, if you log in.")),
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


def setup_default_groups(cookie_group_model=None, cookie_model=None) -> list[str]:
    """Create the default groups that are missing; returns the varnames created."""
    if cookie_group_model is None:
        from cookie_consent.models import Cookie, CookieGroup

        cookie_group_model, cookie_model = CookieGroup, Cookie
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
                    cookiegroup=group, name=name, domain="", defaults={"description": description}
                )
    return created
