"""Our endpoints that belong to no page: the JSON API and the consent views.

Their paths carry no language prefix. ``kokreative_wagtail.urls`` includes them; a site that
serves its pages inside ``i18n_patterns`` includes this module outside of them.
"""

from django.apps import apps
from django.http import JsonResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from .api import get_api


@csrf_exempt  # a POST to an unknown path is a 404, not the CSRF failure page
def api_not_found(request, *args, **kwargs):
    """Unknown paths below our API prefix answer JSON, not the site's HTML 404 page."""
    response = JsonResponse({"detail": _("Not found."), "errors": {}}, status=404)
    if request.method == "HEAD":
        response.content = b""
    return response


urlpatterns = [
    path("api/kokreative/v1/", get_api().urls),
    re_path(r"^api/kokreative/v1/", api_not_found),
]

if apps.is_installed("kokreative_wagtail.consent"):
    from .consent.urls import urlpatterns as consent_urlpatterns

    urlpatterns += consent_urlpatterns
