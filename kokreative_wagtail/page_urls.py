"""Routes that belong to pages: ``<event index>/feed.ics`` and ``<event>/event.ics``.

The page is found by its path below the site's root page in the active language, so these
routes sit where Wagtail's page serving sits: inside ``i18n_patterns`` on a site whose page URLs
carry a language prefix (``/en/…/feed.ics`` is the feed of the English page), or plainly through
``kokreative_wagtail.urls`` on a one-language site.
"""

from django.apps import apps
from django.urls import re_path

urlpatterns = []

if apps.is_installed("kokreative_wagtail.events"):
    from .events.views import ical_view

    urlpatterns += [
        re_path(
            r"^(?P<page_path>(?:[\w\-]+/)*)(?P<name>feed|event)\.ics$",
            ical_view,
            name="kokreative_ical",
        )
    ]
