"""The outbox's admin hooks; loaded by the core app's ``wagtail_hooks`` (the outbox is part of the
core app, not an app of its own) when Wagtail's forms are installed."""

from wagtail import hooks

from .dashboard import construct_homepage_panels


@hooks.register("construct_homepage_panels")
def add_notification_dashboard_panel(request, panels) -> None:
    """Failed and overdue notification e-mails (see ``dashboard``)."""

    construct_homepage_panels(request, panels)
