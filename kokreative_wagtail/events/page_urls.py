"""The calendar files of event pages: ``<event index>/feed.ics`` and ``<event>/event.ics``.

Served where the site's pages are (``kokreative_wagtail.page_urls`` collects these), so the
page is found by its path in the active language.
"""

from django.urls import re_path

from .views import ical_view

urlpatterns = [
    re_path(
        r"^(?P<page_path>(?:[\w\-]+/)*)(?P<name>feed|event)\.ics$",
        ical_view,
        name="kokreative_ical",
    )
]
