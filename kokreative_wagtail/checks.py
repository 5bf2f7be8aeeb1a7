"""System checks: a missing app or a wrong setting is reported with the line to add.

Sites see these on ``migrate``, ``runserver`` and ``check``, never as a traceback at request time.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.module_loading import import_string

from .capabilities import capability_configs
from .conf import DEFAULTS, SETTINGS, TYPES, get_user_settings
from .cors import check_cors_settings
from .site_base import block_names, inspect_site_base
from .templating import get_base_template_name

#: Apps our models and views need, in the order a site would add them.
REQUIRED_APPS: tuple[str, ...] = (
    "wagtail",
    "wagtail.images",
    "wagtail.documents",
    "wagtail.snippets",
    "wagtail.contrib.settings",
    "modelcluster",
    "taggit",
)


@checks.register()
def check_required_apps(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors = []
    for app in REQUIRED_APPS:
        if not apps.is_installed(app):
            errors.append(
                checks.Error(
                    f"kokreative_wagtail needs {app!r} in INSTALLED_APPS.",
                    hint=f'Add this line to your settings: INSTALLED_APPS += ["{app}"]',
                    id="kokreative_wagtail.E001",
                )
            )
    return errors


@checks.register()
def check_capability_apps(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The apps each installed capability app needs (``CapabilityConfig.needs_apps``)."""
    messages: list[checks.CheckMessage] = []
    for config in capability_configs():
        for app, entry in config.needs_apps:
            if not apps.is_installed(app):
                messages.append(
                    checks.Error(
                        f"{config.name} needs {app!r} in INSTALLED_APPS.",
                        hint=f'Add this line to your settings: INSTALLED_APPS += ["{entry}"]',
                        id="kokreative_wagtail.E001",
                    )
                )
    return messages


@checks.register()
def check_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    raw = getattr(settings, "KOKREATIVE", None)
    if raw is None:
        return []
    if not isinstance(raw, dict):
        return [
            checks.Error(
                f"settings.KOKREATIVE must be a dict, not {type(raw).__name__}.",
                hint='Write it as KOKREATIVE = {"BASE_TEMPLATE": "base.html"}',
                id="kokreative_wagtail.E002",
            )
        ]
    messages: list[checks.CheckMessage] = []
    for key, value in raw.items():
        if key not in DEFAULTS:
            messages.append(
                checks.Warning(
                    f"settings.KOKREATIVE has an unknown key {key!r}; it is ignored.",
                    hint="Known keys: " + ", ".join(sorted(DEFAULTS)),
                    id="kokreative_wagtail.W001",
                )
            )
            continue
        expected = TYPES[key]
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            name = (
                expected.__name__
                if isinstance(expected, type)
                else "/".join(t.__name__ for t in expected)
            )
            messages.append(
                checks.Error(
                    f"settings.KOKREATIVE[{key!r}] must be a {name}, not {type(value).__name__}.",
                    hint=f"The default is KOKREATIVE[{key!r}] = {DEFAULTS[key]!r}",
                    id="kokreative_wagtail.E003",
                )
            )
    for key, setting in SETTINGS.items():
        value, lowest = raw.get(key), setting.minimum
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        if lowest is not None and is_number and value < lowest:
            messages.append(
                checks.Error(
                    f"settings.KOKREATIVE[{key!r}] must be at least {lowest}.",
                    hint=f"The default is KOKREATIVE[{key!r}] = {DEFAULTS[key]!r}",
                    id="kokreative_wagtail.E003",
                )
            )
    base = get_user_settings().get("BASE_TEMPLATE")
    if isinstance(base, str):
        try:
            get_template(base)
        except TemplateDoesNotExist:
            messages.append(
                checks.Warning(
                    f"settings.KOKREATIVE['BASE_TEMPLATE'] = {base!r} does not exist; "
                    "pages fall back to kokreative_wagtail/minimal_base.html.",
                    hint="Name a template your site has, or remove the key.",
                    id="kokreative_wagtail.W002",
                )
            )
    return messages


@checks.register()
def check_headless_preview(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The front-end URLs must be absolute, and the caches named by our settings must exist."""

    raw = get_user_settings()
    messages: list[checks.CheckMessage] = []
    configured = raw.get("HEADLESS_PREVIEW_URL")
    if isinstance(configured, dict):
        urls = list(configured.values())
    else:  # a wrong type is reported by E003
        urls = [configured] if isinstance(configured, str) else []
    for url in urls:
        parts = urlsplit(url) if isinstance(url, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
            messages.append(
                checks.Error(
                    f"settings.KOKREATIVE['HEADLESS_PREVIEW_URL'] has {url!r}, which is not an "
                    "absolute http(s) URL.",
                    hint='Write the front end\'s preview address, e.g. "https://www.example.org/preview".',
                    id="kokreative_wagtail.E005",
                )
            )
    for key in ("HEADLESS_PREVIEW_CACHE", "FORM_RATE_LIMIT_CACHE"):
        alias = raw.get(key)
        if isinstance(alias, str) and alias not in settings.CACHES:
            messages.append(
                checks.Error(
                    f"settings.KOKREATIVE[{key!r}] names the cache {alias!r}, which is not in "
                    "settings.CACHES.",
                    hint="Name one of: " + ", ".join(sorted(settings.CACHES)),
                    id="kokreative_wagtail.E006",
                )
            )
    return messages


@checks.register()
def check_notifications(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """A mail server that accepts and never answers must not hold requests or workers for ever.

    Our outbox bounds its own connections (``EMAIL_TIMEOUT``, else 10 s), but Django's password
    resets and Wagtail's moderation mails use ``EMAIL_TIMEOUT`` only. Warned about once a site
    configures a mail server (``EMAIL_BACKEND`` or ``EMAIL_HOST``), not for Django's defaults.
    """

    messages: list[checks.CheckMessage] = []
    configured = settings.is_overridden("EMAIL_BACKEND") or settings.is_overridden("EMAIL_HOST")
    if not configured or getattr(settings, "EMAIL_TIMEOUT", None):
        return messages
    try:
        backend = import_string(settings.EMAIL_BACKEND)
    except ImportError:  # Django reports a wrong backend when it is used
        return messages
    if isinstance(backend, type) and issubclass(backend, SMTPBackend):
        messages.append(
            checks.Warning(
                "An SMTP e-mail backend runs without EMAIL_TIMEOUT: a mail server that accepts "
                "connections and never answers holds every request or worker that sends mail.",
                hint="Add this line to your settings: EMAIL_TIMEOUT = 10",
                id="kokreative_wagtail.W004",
            )
        )
    return messages


@checks.register(checks.Tags.templates)
def check_site_base_template(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Read the site's base template and say which block or setting our pages still need.

    A base template that lacks a block we fill, or has its own ``<main>`` or breadcrumbs, renders
    without error but wrongly (no stylesheet, nested landmarks), so it is caught here.
    """

    raw = get_user_settings()
    landmark = raw.get("MAIN_LANDMARK", DEFAULTS["MAIN_LANDMARK"])
    messages: list[checks.CheckMessage] = []
    if landmark not in ("auto", "ours", "site"):
        messages.append(
            checks.Warning(
                f"settings.KOKREATIVE['MAIN_LANDMARK'] = {landmark!r} is not one of "
                "'auto', 'ours', 'site'; it is treated as 'auto'.",
                hint='Set KOKREATIVE["MAIN_LANDMARK"] = "auto"',
                id="kokreative_wagtail.W008",
            )
        )
    names = block_names()
    name = get_base_template_name()
    site = inspect_site_base(name, names["content"] or "content")
    if site is None:  # W002 reports a missing template
        return messages
    purpose = {
        "content": "our pages are not rendered at all",
        "extra_css": "our stylesheet is linked inside the content instead of the <head>",
        "body_class": "our page classes (kk-event-page, …) are missing from <body>",
    }
    for ours, theirs in names.items():
        if (theirs and theirs in site.blocks) or (ours == "extra_css" and not theirs):
            continue  # an empty stylesheet block name: the site chose the <link> in the body
        messages.append(
            checks.Warning(
                f"The base template {name!r} has no block {theirs or ours!r}: {purpose[ours]}.",
                hint=f"Add {{% block {ours} %}}{{% endblock %}} to {name}, or name the block it "
                f'has: KOKREATIVE["BASE_TEMPLATE_BLOCKS"] = {{"{ours}": "<its block>"}}'
                + (' (or "" to link our stylesheet in the body)' if ours == "extra_css" else ""),
                id="kokreative_wagtail.W005",
            )
        )
    if site.has_main and landmark == "ours":
        messages.append(
            checks.Warning(
                f"The base template {name!r} has its own <main> and "
                "KOKREATIVE['MAIN_LANDMARK'] = 'ours': pages get two nested <main> elements.",
                hint='Set KOKREATIVE["MAIN_LANDMARK"] = "auto" (or "site"), or remove the <main> '
                f"around the content block of {name}.",
                id="kokreative_wagtail.W006",
            )
        )
    if site.has_breadcrumb and raw.get("BREADCRUMBS", DEFAULTS["BREADCRUMBS"]):
        messages.append(
            checks.Warning(
                f"The base template {name!r} renders breadcrumbs, and so do our pages: "
                "two breadcrumb navigations with the same label.",
                hint='Set KOKREATIVE["BREADCRUMBS"] = False to keep only the site\'s.',
                id="kokreative_wagtail.W007",
            )
        )
    return messages


# CORS_ALLOWED_ORIGINS entries and their CSRF_TRUSTED_ORIGINS (E007, W009), see cors.py.
checks.register()(check_cors_settings)
