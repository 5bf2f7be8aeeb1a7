"""Translation support without wagtail-localize: the field configuration is inert stand-ins.

The wagtail-localize side runs in tests/localize (``make test-localize``).
"""

from __future__ import annotations

import importlib.util
import sys

import pytest

import kokreative_wagtail.localization as localization
from kokreative_wagtail.events.models import EventPage, OccurrenceOverride
from kokreative_wagtail.models import Element


def test_field_configuration_without_wagtail_localize():
    from django.apps import apps

    if apps.is_installed("wagtail_localize"):
        pytest.skip("runs without wagtail_localize (tests.settings)")
    names = {f.field_name: type(f).__name__ for f in EventPage.override_translatable_fields}
    assert names["recurrence"] == names["start"] == "SynchronizedField"
    assert names["overrides"] == "TranslatableField"
    assert type(EventPage.override_translatable_fields[0]).__module__ == localization.__name__
    note = [f for f in OccurrenceOverride.override_translatable_fields if f.field_name == "note"]
    assert note == [localization.TranslatableField("note")]
    assert localization.SynchronizedField("colour") in Element.override_translatable_fields


def test_the_module_imports_when_wagtail_localize_is_not_installed(monkeypatch):
    """A site without the package (pip) imports ours: nothing under wagtail_localize is needed.

    The module is executed afresh under another name, so the models keep their field objects.
    """
    for name in [n for n in sys.modules if n.startswith("wagtail_localize")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "wagtail_localize", None)  # ImportError on import
    monkeypatch.setattr("django.apps.apps.is_installed", lambda name: False)
    spec = importlib.util.spec_from_file_location("_localization_probe", localization.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    field = module.SynchronizedField("start", overridable=False)
    assert (field.field_name, field.overridable) == ("start", False)
    assert module.translatable("note") == [module.TranslatableField("note")]
    assert module.TranslatableField("note") != module.SynchronizedField("note")
