"""Package settings, read from ``settings.KOKREATIVE`` at call time.

Reading at call time (never at import time) keeps ``override_settings`` working in tests and lets a
site change a value without reloading our modules.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.conf import settings


class Setting(NamedTuple):
    """One key of ``settings.KOKREATIVE``: its default, the types it accepts and, for numbers,
    the lowest value (the system checks read all three from here)."""

    default: Any
    types: type | tuple[type, ...]
    minimum: int | None = None


#: Every key a site may set in ``settings.KOKREATIVE``: the one table of our settings.
SETTINGS: dict[str, Setting] = {
    # Template our base template extends; falls back to our minimal base when it does not exist.
    "BASE_TEMPLATE": Setting("base.html", str),
    # Our block name -> the site base template's name for it, where the site's names differ;
    # a missing or empty stylesheet block puts our <link> into the content (docs/installation.md).
    "BASE_TEMPLATE_BLOCKS": Setting(
        {"content": "content", "extra_css": "extra_css", "body_class": "body_class"}, dict
    ),
    # Who renders the <main> landmark: "auto" (ours unless the site's base has one), "ours", "site".
    "MAIN_LANDMARK": Setting("auto", str),
    # Our breadcrumb navigation; False when the site's base renders its own.
    "BREADCRUMBS": Setting(True, bool),
    # Rendition filter for images in templates and in the JSON APIs.
    "IMAGE_RENDITION": Setting("width-1200", str),
    # Rendition filter for teaser images (element and offer teasers).
    "TEASER_RENDITION": Setting("fill-640x360", str),
    # Default and maximum page size of our JSON list endpoints.
    "API_PAGE_SIZE": Setting(20, int, minimum=1),
    "API_MAX_PAGE_SIZE": Setting(100, int, minimum=1),
    # Consultation forms (kokreative_wagtail.consultations), see docs/forms.md.
    # Seconds a form must have been open before it may be sent (faster means a bot).
    "FORM_MIN_FILL_SECONDS": Setting(3, (int, float), minimum=0),
    # Seconds a form stays valid after it was handed out; older ones are sent again.
    "FORM_TOKEN_MAX_AGE": Setting(86400, int, minimum=1),
    # Submissions (HTML and JSON together) per client and window; 0 switches the limit off.
    "FORM_RATE_LIMIT": Setting(10, int, minimum=0),
    "FORM_RATE_LIMIT_WINDOW": Setting(600, int, minimum=1),
    # Cache alias holding the rate-limit counters (a shared cache such as Redis in production).
    "FORM_RATE_LIMIT_CACHE": Setting("default", str),
    # Largest JSON body the submission endpoint reads, in bytes.
    "FORM_MAX_BODY_BYTES": Setting(65536, int, minimum=1),
    # Number of reverse proxies in front of the site whose X-Forwarded-For is trusted; 0: none.
    "TRUSTED_PROXY_COUNT": Setting(0, int, minimum=0),
    # Attempts to send a notification e-mail before it is marked failed (docs/forms.md#delivery).
    "NOTIFICATION_MAX_ATTEMPTS": Setting(6, int, minimum=1),
    # Registrations (kokreative_wagtail.registrations), see docs/registrations.md.
    # Whether a registration waits for its e-mail address to be confirmed by a link (double
    # opt-in) before it gets a seat; False: seats are given at once.
    "REGISTRATION_DOUBLE_OPT_IN": Setting(True, bool),
    # Hours an unconfirmed registration waits for its confirmation before it is deleted.
    "REGISTRATION_CONFIRM_HOURS": Setting(72, int, minimum=1),
    # Days after its date (a series: its last date) a registration is deleted.
    "REGISTRATION_RETENTION_DAYS": Setting(30, int, minimum=0),
    # Consent (kokreative_wagtail.consent), see docs/consent.md.
    # Days a pseudonymous consent record is kept as proof (kokreative_purge_consent_records).
    "CONSENT_RECORD_RETENTION_DAYS": Setting(1095, int),
    # Headless previews, see docs/api.md#previews-for-headless-front-ends.
    # Front-end URL the admin preview shows (a string, or a dict of site hostname to URL with an
    # optional "default"); None: previews render our templates.
    "HEADLESS_PREVIEW_URL": Setting(None, (str, dict, type(None))),
    # Seconds a preview snapshot stays readable through its token.
    "HEADLESS_PREVIEW_TTL": Setting(3600, int, minimum=60),
    # Cache alias holding the preview snapshots (a shared cache in production).
    "HEADLESS_PREVIEW_CACHE": Setting("default", str),
    # Front ends on other origins, see docs/api.md#front-ends-on-another-origin.
    # Origins (scheme://host[:port]) whose scripts may read our APIs, the page API and previews,
    # with credentials; "*" allows any origin without credentials. Empty: no CORS at all.
    "CORS_ALLOWED_ORIGINS": Setting([], (list, tuple)),
    # Seconds a browser may cache a CORS preflight answer.
    "CORS_PREFLIGHT_MAX_AGE": Setting(3600, int),
    # Base of absolute URLs in the APIs (e.g. "https://www.example.org"); None: the request's host.
    "PUBLIC_BASE_URL": Setting(None, (str, type(None))),
    # Widths of the extra renditions of each image in the APIs (srcset); empty: none.
    "IMAGE_SRCSET_WIDTHS": Setting([480, 960, 1440], (list, tuple)),
    # Seconds shared caches and browsers may keep public API reads (Cache-Control max-age).
    "API_CACHE_MAX_AGE": Setting(60, int),
    # Stored occurrence index of events (docs/events.md#the-occurrence-index): days kept behind
    # today and ahead of it; windows outside are computed on request.
    "OCCURRENCE_INDEX_PAST_DAYS": Setting(400, int, minimum=0),
    "OCCURRENCE_INDEX_FUTURE_DAYS": Setting(800, int, minimum=1),
    # Seconds a rendered month grid of an event index is kept in the cache (a new version of
    # the occurrence index replaces it at once); 0 renders every request anew.
    "MONTH_GRID_CACHE_SECONDS": Setting(3600, int, minimum=0),
    # Our page types' slugs in ASCII, German umlauts and ß transliterated (ä -> ae); False:
    # Wagtail's own (docs/page-types.md#slugs).
    "ASCII_SLUGS": Setting(True, bool),
}

#: Each key's default (from ``SETTINGS``).
DEFAULTS: dict[str, Any] = {key: setting.default for key, setting in SETTINGS.items()}
#: Each key's accepted types (from ``SETTINGS``).
TYPES: dict[str, type | tuple[type, ...]] = {key: s.types for key, s in SETTINGS.items()}


def get_user_settings() -> dict[str, Any]:
    value = getattr(settings, "KOKREATIVE", None)
    return value if isinstance(value, dict) else {}


def get_setting(name: str) -> Any:
    """Return ``settings.KOKREATIVE[name]`` or its documented default."""
    if name not in DEFAULTS:
        raise KeyError(f"Unknown kokreative_wagtail setting {name!r}")
    return get_user_settings().get(name, DEFAULTS[name])
