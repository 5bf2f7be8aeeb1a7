from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from kokreative_wagtail.urls import api_not_found

from .api import api_router

# Without a language prefix: the admin, documents, the APIs and consent endpoints.
urlpatterns = [
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    # an unknown endpoint below /api/v2/ is a JSON 404 too, not the site's HTML page
    re_path(r"^api/v2/", api_not_found),
    # kokreative-wagtail: its JSON API and consent endpoints
    path("", include("kokreative_wagtail.endpoint_urls")),
]

if settings.HAS_WAGTAIL_API_V3:
    from wagtail.api.v3.urls import api as api_v3

    urlpatterns.append(path("api/v3/", api_v3.urls))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The pages, in the language of their prefix: German (the default) at /…, English at /en/….
urlpatterns += i18n_patterns(
    # kokreative-wagtail: calendar files of pages (before Wagtail's catch-all)
    path("", include("kokreative_wagtail.page_urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
