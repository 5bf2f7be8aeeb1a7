"""Test settings with wagtail-localize and Wagtail's i18n on: German and English content.

``make test-localize`` runs ``tests/localize`` with these; the rest of the suite may run under
them too (``DJANGO_SETTINGS_MODULE=tests.settings_localize pytest tests/core/test_api.py``).
"""

from tests.settings import *  # noqa: F401,F403
from tests.settings import INSTALLED_APPS as _INSTALLED_APPS
from tests.settings import MIDDLEWARE as _MIDDLEWARE

_LOCALIZE_APPS = ["wagtail_localize", "wagtail_localize.locales"]
INSTALLED_APPS = [app for app in _INSTALLED_APPS if app not in {"wagtail.locales", *_LOCALIZE_APPS}]
# before wagtail's own apps, as wagtail-localize's documentation has it
INSTALLED_APPS.insert(INSTALLED_APPS.index("wagtail.contrib.forms"), _LOCALIZE_APPS[1])
INSTALLED_APPS.insert(INSTALLED_APPS.index("wagtail.contrib.forms"), _LOCALIZE_APPS[0])

WAGTAIL_I18N_ENABLED = True
LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

_LOCALE_MIDDLEWARE = "django.middleware.locale.LocaleMiddleware"
MIDDLEWARE = list(_MIDDLEWARE)
if _LOCALE_MIDDLEWARE not in MIDDLEWARE:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.common.CommonMiddleware"), _LOCALE_MIDDLEWARE
    )
