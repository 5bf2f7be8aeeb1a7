"""The registration settings in the event page's editor ("Registration" panel)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import InlinePanel


def event_page_panels(model) -> list:
    """Panels for event page types with our relations (``models.py`` adds them to EventPage)."""
    panels = []
    if hasattr(model, "registration_options"):
        panels.append(
            InlinePanel(
                "registration_options",
                max_num=1,
                heading=_("Registration on this site"),
                label=_("Registration"),
                help_text=_(
                    "Add it to take registrations on the event page: seats, waiting list, "
                    "confirmation by e-mail. Delete it to stop taking registrations."
                ),
            )
        )
    if hasattr(model, "registration_fields"):
        panels.append(
            InlinePanel(
                "registration_fields",
                heading=_("Further registration fields"),
                label=_("Field"),
                help_text=_(
                    "Name, e-mail address and (if chosen) organisation are always asked; add "
                    "further questions here."
                ),
            )
        )
    return panels
