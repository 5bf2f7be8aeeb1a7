"""Include in the site's urls: ``path("", include("kokreative_wagtail.urls"))``.

This is both halves: ``endpoint_urls`` (JSON API, consent; no language prefix) and ``page_urls``
(calendar files of pages). A site that serves its pages inside ``i18n_patterns`` includes the two
separately, ``page_urls`` inside the language prefix next to Wagtail's page serving (see
docs/translations.md).
"""

from .endpoint_urls import api_not_found
from .endpoint_urls import urlpatterns as endpoint_urlpatterns
from .page_urls import urlpatterns as page_urlpatterns

__all__ = ["api_not_found", "urlpatterns"]

urlpatterns = [*endpoint_urlpatterns, *page_urlpatterns]
