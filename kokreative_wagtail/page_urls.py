"""Routes that belong to pages, such as the calendar files of event pages.

The page is found by its path below the site's root page in the active language, so these
routes sit where Wagtail's page serving sits: inside ``i18n_patterns`` on a site whose page URLs
carry a language prefix (``/en/…/feed.ics`` is the feed of the English page), or plainly through
``kokreative_wagtail.urls`` on a one-language site. Each installed capability app contributes
its own (``CapabilityConfig.page_urls``).
"""

from .capabilities import urlpatterns as capability_urlpatterns

urlpatterns = capability_urlpatterns("page_urls")
