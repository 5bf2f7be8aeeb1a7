"""What the capability apps bring to the core, declared on their ``AppConfig``.

The core names no capability. A capability app (offers, events, consultations, consent, or a
site's own) gives its config the base ``CapabilityConfig`` and declares there what it adds:
the apps it needs, its URL modules, the API operations anyone may cache, and the functions
the core calls by name (``providers``: the offers of an element page, the consent banner). Its
``checks`` module registers its system checks when the app is ready, its ``api`` module's
``router`` joins our API (``api.py``). An app left out of ``INSTALLED_APPS`` leaves nothing
behind, and no capability app imports another: what they share goes through the core.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterator
from typing import Any

from django.apps import AppConfig, apps


class CapabilityConfig(AppConfig):
    """Base of a capability app's config; the class attributes say what it contributes.

    Subclass it as ``capabilities.CapabilityConfig`` (the module imported, not the class):
    Django takes the one ``AppConfig`` subclass it finds in an ``apps.py`` as the app's config,
    and a second one there would leave the app with a plain config and the wrong label.
    """

    #: Apps it needs besides the core: ``(app name or label, the INSTALLED_APPS entry to add)``.
    needs_apps: tuple[tuple[str, str], ...] = ()
    #: Module whose ``urlpatterns`` belong beside the site's page serving (language prefix).
    page_urls: str | None = None
    #: Module whose ``urlpatterns`` are endpoints without a page (no language prefix).
    endpoint_urls: str | None = None
    #: Operation ids of its API router whose successful GETs are the same for every visitor.
    public_read_operations: frozenset[str] = frozenset()
    #: Functions the core calls by name: ``{"name": "dotted.module:attribute"}``.
    providers: dict[str, str] = {}

    def ready(self) -> None:
        # its system checks register themselves on import (``@checks.register``)
        checks_module = f"{self.name}.checks"
        if importlib.util.find_spec(checks_module) is not None:
            importlib.import_module(checks_module)


def capability_configs() -> Iterator[CapabilityConfig]:
    """The installed capability apps, in ``INSTALLED_APPS`` order."""
    for config in apps.get_app_configs():
        if isinstance(config, CapabilityConfig):
            yield config


def _attribute(path: str) -> Any:
    module, _sep, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def provider(name: str) -> Callable[..., Any] | None:
    """The function an installed capability app provides under ``name``, or ``None``."""
    for config in capability_configs():
        path = config.providers.get(name)
        if path:
            return _attribute(path)
    return None


def all_providers(name: str) -> list[Callable[..., Any]]:
    """The functions every installed capability app provides under ``name``, in app order."""
    return [
        _attribute(config.providers[name])
        for config in capability_configs()
        if config.providers.get(name)
    ]


def urlpatterns(kind: str) -> list[Any]:
    """The ``urlpatterns`` of every installed capability app's ``page_urls`` or
    ``endpoint_urls`` module (``kind``)."""
    found: list[Any] = []
    for config in capability_configs():
        module = getattr(config, kind)
        if module:
            found += importlib.import_module(module).urlpatterns
    return found


def api_routers() -> Iterator[Any]:
    """The ``router`` of every installed capability app's ``api`` module."""
    for config in capability_configs():
        name = f"{config.name}.api"
        if importlib.util.find_spec(name) is None:
            continue
        router = getattr(importlib.import_module(name), "router", None)
        if router is not None:
            yield router


def public_read_operations() -> frozenset[str]:
    """Operation ids of the capability apps' routers that any visitor may share from a cache."""
    found: set[str] = set()
    for config in capability_configs():
        found |= config.public_read_operations
    return frozenset(found)
