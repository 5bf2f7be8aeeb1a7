"""Package settings, read from ``settings.KOKREATIVE`` at call time.

Reading at call time (never at import time) keeps ``override_settings`` working in tests and lets a
site change a value without reloading our modules.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

#: Every key a site may set in ``settings.KOKREATIVE``, with its default.
DEFAULTS: dict[str, Any] = {
    # Template our base template extends; falls back to our minimal base when it does not exist.
    "BASE_TEMPLATE": "base.html",
    # Our block name -> the site base template's name for it, where the site's names differ;
    # a missing or empty stylesheet block puts our <link> into the content (docs/installation.md).
    "BASE_TEMPLATE_BLOCKS": {
        "content": "content",
        "extra_css": "extra_css",
        "body_class": "body_class",
    },
    # Who renders the <main> landmark: "auto" (ours unless the site's base has one), "ours", "site".
    "MAIN_LANDMARK": "auto",
    # Our breadcrumb navigation; False when the site's base renders its own.
    "BREADCRUMBS": True,
    # Rendition filter for images in templates and in the JSON APIs.
    "IMAGE_RENDITION": "width-1200",
    # Rendition filter for teaser images (element and offer teasers).
    "TEASER_RENDITION": "fill-640x360",
    # Default and maximum page size of our JSON list endpoints.
    "API_PAGE_SIZE": 20,
    "API_MAX_PAGE_SIZE": 100,
    # Consultation forms (kokreative_wagtail.consultations), see docs/forms.md.
    # Seconds a form must have been open before it may be sent (faster means a bot).
    "FORM_MIN_FILL_SECONDS": 3,
    # Seconds a form stays valid after it was handed out; older ones are sent again.
    "FORM_TOKEN_MAX_AGE": 86400,
    # Submissions (HTML and JSON together) per client and window; 0 switches the limit off.
    "FORM_RATE_LIMIT": 10,
    "FORM_RATE_LIMIT_WINDOW": 600,
    # Cache alias holding the rate-limit counters (a shared cache such as Redis in production).
    "FORM_RATE_LIMIT_CACHE": "default",
    # Largest JSON body the submission endpoint reads, in bytes.
    "FORM_MAX_BODY_BYTES": 65536,
    # Number of reverse proxies in front of the site whose X-Forwarded-For is trusted; 0: none.
    "TRUSTED_PROXY_COUNT": 0,
    # Attempts to send a notification e-mail before it is marked failed (docs/forms.md#delivery).
    "NOTIFICATION_MAX_ATTEMPTS": 6,
    # Consent (kokreative_wagtail.consent), see docs/consent.md.
    # Days a pseudonymous consent record is kept as proof (kokreative_purge_consent_records).
    "CONSENT_RECORD_RETENTION_DAYS": 1095,
    # Headless previews, see docs/api.md#previews-for-headless-front-ends.
    # Front-end URL the admin preview shows (a string, or a dict of site hostname to URL with an
    # optional "default"); None: previews render our templates.
    "HEADLESS_PREVIEW_URL": None,
    # Seconds a preview snapshot stays readable through its token.
    "HEADLESS_PREVIEW_TTL": 3600,
    # Cache alias holding the preview snapshots (a shared cache in production).
    "HEADLESS_PREVIEW_CACHE": "default",
    # Front ends on other origins, see docs/api.md#front-ends-on-another-origin.
    # Origins (scheme://host[:port]) whose scripts may read our APIs, the page API and previews,
    # with credentials; "*" allows any origin without credentials. Empty: no CORS at all.
    "CORS_ALLOWED_ORIGINS": [],
    # Seconds a browser may cache a CORS preflight answer.
    "CORS_PREFLIGHT_MAX_AGE": 3600,
    # Base of absolute URLs in the APIs (e.g. "https://www.example.org"); None: the request's host.
    "PUBLIC_BASE_URL": None,
    # Widths of the extra renditions of each image in the APIs (srcset); empty: none.
    "IMAGE_SRCSET_WIDTHS": [480, 960, 1440],
    # Seconds shared caches and browsers may keep public API reads (Cache-Control max-age).
    "API_CACHE_MAX_AGE": 60,
    # Stored occurrence index of events (docs/events.md#the-occurrence-index): days kept behind
    # today and ahead of it; windows outside are computed on request.
    "OCCURRENCE_INDEX_PAST_DAYS": 400,
    "OCCURRENCE_INDEX_FUTURE_DAYS": 800,
    # Our page types' slugs in ASCII, German umlauts and ß transliterated (ä -> ae); False:
    # Wagtail's own (docs/page-types.md#slugs).
    "ASCII_SLUGS": True,
}

#: Expected type of each key, used by the system checks.
TYPES: dict[str, type | tuple[type, ...]] = {
    "BASE_TEMPLATE": str,
    "BASE_TEMPLATE_BLOCKS": dict,
    "MAIN_LANDMARK": str,
    "BREADCRUMBS": bool,
    "IMAGE_RENDITION": str,
    "TEASER_RENDITION": str,
    "API_PAGE_SIZE": int,
    "API_MAX_PAGE_SIZE": int,
    "FORM_MIN_FILL_SECONDS": (int, float),
    "FORM_TOKEN_MAX_AGE": int,
    "FORM_RATE_LIMIT": int,
    "FORM_RATE_LIMIT_WINDOW": int,
    "FORM_RATE_LIMIT_CACHE": str,
    "FORM_MAX_BODY_BYTES": int,
    "TRUSTED_PROXY_COUNT": int,
    "NOTIFICATION_MAX_ATTEMPTS": int,
    "CONSENT_RECORD_RETENTION_DAYS": int,
    "HEADLESS_PREVIEW_URL": (str, dict, type(None)),
    "HEADLESS_PREVIEW_TTL": int,
    "HEADLESS_PREVIEW_CACHE": str,
    "CORS_ALLOWED_ORIGINS": (list, tuple),
    "CORS_PREFLIGHT_MAX_AGE": int,
    "PUBLIC_BASE_URL": (str, type(None)),
    "IMAGE_SRCSET_WIDTHS": (list, tuple),
    "API_CACHE_MAX_AGE": int,
    "OCCURRENCE_INDEX_PAST_DAYS": int,
    "OCCURRENCE_INDEX_FUTURE_DAYS": int,
    "ASCII_SLUGS": bool,
}


def get_user_settings() -> dict[str, Any]:
    value = getattr(settings, "KOKREATIVE", None)
    return value if isinstance(value, dict) else {}


def get_setting(name: str) -> Any:
    """Return ``settings.KOKREATIVE[name]`` or its documented default."""
    if name not in DEFAULTS:
        raise KeyError(f"Unknown kokreative_wagtail setting {name!r}")
    return get_user_settings().get(name, DEFAULTS[name])
