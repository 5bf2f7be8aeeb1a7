"""Production settings of the example site, read from environment variables.

Use with ``DJANGO_SETTINGS_MODULE=kokreative_example.settings_production``; the default module
(``settings``) stays the development one that ``make demo`` runs. Every variable, its default and
an example ``.env``: docs/operating.md, "Production settings of the example site". With the
required variables set, ``python manage.py check --deploy --fail-level WARNING`` passes.
"""

import os
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .settings import *  # noqa: F403
from .settings import KOKREATIVE, MIDDLEWARE, STATIC_ROOT

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _required(name: str, hint: str) -> str:
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the environment variable {name}: {hint}")
    return value


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean: write true or false.")


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def _list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEBUG = False

SECRET_KEY = _required(
    "DJANGO_SECRET_KEY",
    "a long random value, the same on every app server, e.g. the output of "
    "python -c 'import secrets; print(secrets.token_urlsafe(50))'",
)
# Earlier keys, so that rotating the key keeps sessions and handed-out form tokens valid.
SECRET_KEY_FALLBACKS = _list("DJANGO_SECRET_KEY_FALLBACKS")

# Without hosts every request would be answered with 400; failing at start-up says why.
ALLOWED_HOSTS = _list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "Set the environment variable DJANGO_ALLOWED_HOSTS: the site's host names, "
        "comma-separated, e.g. www.example.org"
    )
CSRF_TRUSTED_ORIGINS = _list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Required: a production site must not fall back to the demo's SQLite file in the code tree.
DATABASES = {
    "default": dj_database_url.parse(
        _required("DATABASE_URL", "e.g. postgres://user:password@db.internal:5432/kokreative"),
        conn_max_age=_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Same reason as in settings.py: concurrent autosave and preview writes.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}

# A cache shared by all processes keeps the form rate limit and consent groups consistent
# (docs/operating.md#shared-cache); without one each process has its own LocMemCache.
_cache_url = os.environ.get("CACHE_URL", "").strip() or os.environ.get("REDIS_URL", "").strip()
if _cache_url:
    for _location in _cache_url.replace(";", ",").split(","):
        if urlsplit(_location.strip()).scheme not in ("redis", "rediss", "unix"):
            raise ImproperlyConfigured(
                f"CACHE_URL/REDIS_URL {_location!r} is not a Redis URL: write "
                "redis://host:6379/1, rediss://… (TLS) or unix:///path/redis.sock."
            )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# SMTP, never the console backend of settings.py: that would print submissions into the logs.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS (STARTTLS, port 587) or EMAIL_USE_SSL, not both.")
EMAIL_PORT = _int("EMAIL_PORT", 587 if EMAIL_USE_TLS else 465 if EMAIL_USE_SSL else 25)
EMAIL_TIMEOUT = _int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "webmaster@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Links in notification e-mails point here; the default is the first host name over HTTPS.
WAGTAILADMIN_BASE_URL = os.environ.get(
    "WAGTAILADMIN_BASE_URL", f"https://{ALLOWED_HOSTS[0].lstrip('.')}"
).rstrip("/")

STATIC_ROOT = os.environ.get("DJANGO_STATIC_ROOT", STATIC_ROOT)

# HTTPS. The redirect comes first, before sessions or the locale are looked at.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    *(m for m in MIDDLEWARE if m != "django.middleware.security.SecurityMiddleware"),
]
SECURE_SSL_REDIRECT = _bool("DJANGO_SECURE_SSL_REDIRECT", True)
# One hour by default, so a mistake (a host or subdomain without HTTPS) heals quickly; raise it
# to 31536000 once HTTPS works everywhere. hstspreload.org accepts no domain below one year, so
# the preload directive alone does not put a domain on the browsers' lists.
SECURE_HSTS_SECONDS = _int("DJANGO_SECURE_HSTS_SECONDS", 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = _bool("DJANGO_SECURE_HSTS_PRELOAD", True)
# Only behind a proxy that always sets (or overwrites) this header: trusted without a proxy, any
# client could claim HTTPS.
_proxy_ssl_header = os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "").strip()
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _proxy_ssl_header.upper().replace("-", "_"),
        "https",
    )
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
COOKIE_CONSENT_SECURE = True  # django-cookie-consent's cookie, Secure even if a request is not
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview sets SAMEORIGIN on its own views
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

KOKREATIVE = {
    # never the development front-end origins of settings.py
    **{key: value for key, value in KOKREATIVE.items() if key != "CORS_ALLOWED_ORIGINS"},
    # Proxies in front of the site whose X-Forwarded-For the form rate limit trusts.
    "TRUSTED_PROXY_COUNT": _int("KOKREATIVE_TRUSTED_PROXY_COUNT", 0),
}
# Front ends on other origins that may read the APIs (docs/cross-origin.md); their origins
# belong in DJANGO_CSRF_TRUSTED_ORIGINS too. Unset: no CORS.
if _list("KOKREATIVE_CORS_ALLOWED_ORIGINS"):
    KOKREATIVE["CORS_ALLOWED_ORIGINS"] = _list("KOKREATIVE_CORS_ALLOWED_ORIGINS")

# Django logs to the console only with DEBUG; without this, errors of a production site vanish.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
