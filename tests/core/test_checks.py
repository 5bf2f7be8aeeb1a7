"""System checks name what is missing with the line to add; no wagtail_localize needed."""

import json
import os
import subprocess
import sys

import pytest
from django.apps import apps
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from kokreative_wagtail.checks import check_required_apps, check_settings
from kokreative_wagtail.events.checks import RECURRENCE_CONFIG, check_recurrence_migrations
from kokreative_wagtail.events.recurrence_app import RecurrenceConfig


def ids(messages):
    return [message.id for message in messages]


def test_a_complete_site_passes_our_checks():
    assert check_required_apps() == []
    assert check_settings() == []
    messages = checks.run_checks()
    assert not [m for m in messages if m.id and m.id.startswith("kokreative_wagtail.")]


@pytest.mark.parametrize("missing", ["wagtail.contrib.settings", "wagtail.images", "taggit"])
def test_missing_app_is_reported_with_the_line_to_add(monkeypatch, missing):
    real = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name != missing and real(name))
    [error] = check_required_apps()
    assert error.id == "kokreative_wagtail.E001"
    assert error.level == checks.ERROR
    assert missing in error.msg
    assert f'INSTALLED_APPS += ["{missing}"]' in error.hint


def test_check_runs_through_manage_py(monkeypatch):
    real = apps.is_installed
    monkeypatch.setattr(
        apps, "is_installed", lambda name: name != "wagtail.contrib.settings" and real(name)
    )
    with pytest.raises(SystemCheckError) as excinfo:
        call_command("check")
    assert "kokreative_wagtail.E001" in str(excinfo.value)


@override_settings(KOKREATIVE=["BASE_TEMPLATE"])
def test_settings_must_be_a_dict():
    assert ids(check_settings()) == ["kokreative_wagtail.E002"]


@override_settings(KOKREATIVE={"BASE_TEMPLTE": "base.html"})
def test_unknown_key_is_a_warning_listing_known_keys():
    [warning] = check_settings()
    assert warning.id == "kokreative_wagtail.W001"
    assert "BASE_TEMPLATE" in warning.hint


@override_settings(KOKREATIVE={"API_PAGE_SIZE": "20", "API_MAX_PAGE_SIZE": 0})
def test_wrong_types_and_ranges_are_errors():
    messages = check_settings()
    assert ids(messages) == ["kokreative_wagtail.E003", "kokreative_wagtail.E003"]
    assert "API_PAGE_SIZE" in messages[0].msg
    assert "API_MAX_PAGE_SIZE" in messages[1].msg


@override_settings(KOKREATIVE={"BASE_TEMPLATE": "missing/base.html"})
def test_missing_base_template_is_a_warning():
    [warning] = check_settings()
    assert warning.id == "kokreative_wagtail.W002"


def test_works_without_wagtail_localize():
    assert not apps.is_installed("wagtail_localize")
    import kokreative_wagtail.api  # noqa: F401
    import kokreative_wagtail.models  # noqa: F401
    import kokreative_wagtail.wagtail_hooks  # noqa: F401


def test_events_need_recurrence(monkeypatch):
    from kokreative_wagtail.checks import check_capability_apps

    assert check_capability_apps() == []
    real = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name != "recurrence" and real(name))
    [error] = check_capability_apps()
    assert error.id == "kokreative_wagtail.E001"
    assert (
        'INSTALLED_APPS += ["kokreative_wagtail.events.recurrence_app.RecurrenceConfig"]'
        in error.hint
    )


#: Runs check W003 in a fresh interpreter: model key types are fixed when models are imported, so
#: ``override_settings`` cannot change them. Prints the W003 messages as JSON.
_W003_SCRIPT = """
import json, sys
import django
from django.conf import settings
settings.configure(INSTALLED_APPS=[sys.argv[1]], DEFAULT_AUTO_FIELD=sys.argv[2])
django.setup()
from kokreative_wagtail.events.checks import check_recurrence_migrations
print(json.dumps([[m.id, m.msg, m.hint] for m in check_recurrence_migrations()]))
"""

AUTO = "django.db.models.AutoField"
BIG = "django.db.models.BigAutoField"


def run_w003(entry: str, auto_field: str) -> list[list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", _W003_SCRIPT, entry, auto_field],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
    )
    return json.loads(result.stdout)


def test_plain_recurrence_on_auto_field_is_a_warning_naming_the_config_line():
    [[id_, msg, hint]] = run_w003("recurrence", AUTO)
    assert id_ == "kokreative_wagtail.W003"
    assert "AutoField primary keys" in msg and "migrations end on BigAutoField" in msg
    assert RECURRENCE_CONFIG == "kokreative_wagtail.events.recurrence_app.RecurrenceConfig"
    assert f'replace "recurrence" with "{RECURRENCE_CONFIG}"' in hint
    assert "DEFAULT_AUTO_FIELD =" not in hint  # never advice that migrates the site's own tables


@pytest.mark.parametrize(
    "entry, auto_field",
    [(RECURRENCE_CONFIG, AUTO), (RECURRENCE_CONFIG, BIG), ("recurrence", BIG)],
)
def test_recurrence_matching_its_migrations_is_silent(entry, auto_field):
    assert run_w003(entry, auto_field) == []


@override_settings(DEFAULT_AUTO_FIELD=AUTO)
def test_w003_reads_the_models_not_the_setting():
    """The test site lists our config: the setting alone does not make the check fire."""
    assert isinstance(apps.get_app_config("recurrence"), RecurrenceConfig)
    assert check_recurrence_migrations() == []
