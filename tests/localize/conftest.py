"""The wagtail-localize tests run under ``tests.settings_localize`` (``make test-localize``).

Under the default settings (no wagtail_localize, i18n off) they are skipped with that hint.
"""

import pytest
from django.apps import apps
from django.conf import settings

REASON = (
    "needs wagtail_localize and WAGTAIL_I18N_ENABLED: "
    "DJANGO_SETTINGS_MODULE=tests.settings_localize pytest tests/localize (make test-localize)"
)


def localize_enabled() -> bool:
    return bool(getattr(settings, "WAGTAIL_I18N_ENABLED", False)) and apps.is_installed(
        "wagtail_localize"
    )


def pytest_collection_modifyitems(config, items):
    if localize_enabled():
        return
    skip = pytest.mark.skip(reason=REASON)
    for item in items:
        if "localize" in item.nodeid.split("::")[0].split("/"):
            item.add_marker(skip)
