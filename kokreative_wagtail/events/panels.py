"""An editor panel that says why an event is left out of every listing."""

from __future__ import annotations

from wagtail.admin.panels import Panel


class ScheduleProblemsPanel(Panel):
    """A warning above the dates of an event whose stored rule cannot be served.

    Such a rule got in past validation (an import, the shell, an older version): listings,
    feeds and the API skip the event, so the editor must learn it where the rule is edited.
    The panel is empty for a sound event.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "kokreative_wagtail/events/admin/schedule_problems_panel.html"

        def problems(self) -> list:
            instance = self.instance
            if instance is None or getattr(instance, "pk", None) is None:
                return []
            return list(getattr(instance, "schedule_problems", []) or [])

        def is_shown(self) -> bool:
            return bool(self.problems()) and super().is_shown()

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["messages"] = [problem.message for problem in self.problems()]
            return context
