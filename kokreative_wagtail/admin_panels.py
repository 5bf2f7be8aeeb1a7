"""Editor panels that capability apps add to another app's page type.

A ``ContributedPanel`` is a ``MultiFieldPanel`` whose children are its own plus those that
installed capability apps provide under its ``provider`` name (``capabilities.providers``):
the event page's "Registration" panel gains the registration settings when the registrations
app is installed, and stays as it is without it.
"""

from __future__ import annotations

from typing import Any

from wagtail.admin.panels import MultiFieldPanel

from .capabilities import all_providers


class ContributedPanel(MultiFieldPanel):
    def __init__(self, children=(), *args: Any, provider: str = "", **kwargs: Any) -> None:
        super().__init__(children, *args, **kwargs)
        self.provider = provider

    def clone_kwargs(self) -> dict[str, Any]:
        return {**super().clone_kwargs(), "provider": self.provider}

    def on_model_bound(self) -> None:
        contributed = [panel for get in all_providers(self.provider) for panel in get(self.model)]
        self.children = [*self.children, *contributed]
        super().on_model_bound()
