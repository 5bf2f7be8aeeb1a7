"""Settings of the example site: SQLite by default, ``DATABASE_URL`` for PostgreSQL."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ.get("SECRET_KEY", "example-site-only-not-secret")
DEBUG = os.environ.get("DEBUG", "1") == "1"
ALLOWED_HOSTS = [
    "127.0.0.1",
    "localhost",
    "testserver",
    *os.environ.get("ALLOWED_HOSTS", "").split(),
]

INSTALLED_APPS = [
    "home",
    # kokreative-wagtail: the lines a site adds (see docs/installation.md)
    "kokreative_wagtail",
    "kokreative_wagtail.offers",
    "kokreative_wagtail.events",
    "kokreative_wagtail.consultations",
    "kokreative_wagtail.registrations",
    "kokreative_wagtail.consent",
    "kokreative_wagtail.accessibility",  # needs the consent app
    "cookie_consent",
    "kokreative_wagtail.events.recurrence_app.RecurrenceConfig",  # django-recurrence
    "wagtail.contrib.forms",
    "wagtail.contrib.settings",
    # two languages, translated with wagtail-localize (see docs/translations.md)
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces "wagtail.locales"
    # a usual Wagtail site
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail.api.v2",
    "rest_framework",
    "ninja",  # serves the API docs' Swagger UI from our own static files, not a CDN
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

# Wagtail 8's read/write API v3 (bearer tokens), mounted at /api/v3/ where Wagtail has it.
try:
    import wagtail.api.v3  # noqa: F401
except ImportError:  # Wagtail 7
    HAS_WAGTAIL_API_V3 = False
else:
    HAS_WAGTAIL_API_V3 = True
    INSTALLED_APPS.insert(INSTALLED_APPS.index("wagtail.api.v2"), "wagtail.api.v3")

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    # the language from the URL prefix (/en/…); German, the default, has none
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "kokreative_example.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kokreative_example" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ]
        },
    }
]

WSGI_APPLICATION = "kokreative_example.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wagtail's autosave and preview write concurrently; IMMEDIATE avoids "database is locked".
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

WAGTAIL_SITE_NAME = "Kokreative Kommune – Beispielseite"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The admin contacts no third party: no version check, no avatars from gravatar.com.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Seconds a mail server may take per operation; without it one that never answers blocks a
# request or worker for ever (check kokreative_wagtail.W004 warns about a missing one).
EMAIL_TIMEOUT = 10

# A front end's development server on another origin (Next.js, Nuxt, Astro, Vite) may read the
# APIs and send consent and forms with the site's cookies while DEBUG is on (docs/cross-origin.md).
DEV_FRONTEND_ORIGINS = ["http://localhost:3000", "http://127.0.0.1:3000"] if DEBUG else []
CSRF_TRUSTED_ORIGINS = [*DEV_FRONTEND_ORIGINS]

KOKREATIVE = {
    "BASE_TEMPLATE": "base.html",
    "CORS_ALLOWED_ORIGINS": [*DEV_FRONTEND_ORIGINS],
}
