"""Test settings: the example site's, with an in-memory SQLite default and fast hashing.

``DATABASE_URL`` selects PostgreSQL (``make test`` under CI=true runs the suite on both).
"""

import os
import tempfile

import dj_database_url
from kokreative_example.settings import *  # noqa: F401,F403
from kokreative_example.settings import INSTALLED_APPS

DEBUG = False
SECRET_KEY = "tests-only"

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.config()}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": ":memory:",
            "TEST": {"NAME": ":memory:"},
        }
    }

# The package must work without wagtail_localize: the tests run without it unless asked
# (tests/settings_localize.py). Without it the main suite runs a one-language setup, as most
# sites do: Wagtail's i18n off; the example site's URL patterns still carry the language prefix.
INSTALLED_APPS = [
    app for app in INSTALLED_APPS if app not in {"wagtail_localize", "wagtail_localize.locales"}
]
WAGTAIL_I18N_ENABLED = False

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="kokreative-test-media-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

from copy import deepcopy  # noqa: E402
from pathlib import Path  # noqa: E402

from kokreative_example.settings import TEMPLATES as _TEMPLATES  # noqa: E402

TEMPLATES = deepcopy(_TEMPLATES)
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).parent / "templates"]
