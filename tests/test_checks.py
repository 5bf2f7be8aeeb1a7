"""System checks name what is missing with the line to add; no wagtail_localize needed."""

import pytest
from django.apps import apps
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

from kokreative_wagtail.checks import check_required_apps, check_settings


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
    assert 'INSTALLED_APPS += ["recurrence"]' in error.hint


@override_settings(DEFAULT_AUTO_FIELD="django.db.models.AutoField")
def test_recurrence_without_big_auto_field_is_a_warning_naming_the_setting():
    from kokreative_wagtail.checks import check_capability_apps

    [warning] = check_capability_apps()
    assert warning.id == "kokreative_wagtail.W003"
    assert 'DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"' in warning.hint
