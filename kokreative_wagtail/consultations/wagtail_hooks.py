from wagtail import hooks

from .dashboard import construct_homepage_panels


@hooks.register("construct_homepage_panels")
def add_submissions_dashboard_panel(request, panels) -> None:
    """The forms that received submissions in the last days (see ``dashboard``)."""

    construct_homepage_panels(request, panels)
