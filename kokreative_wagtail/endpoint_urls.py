"""Our endpoints that belong to no page: the JSON API and those of the capability apps (the
consent views; ``CapabilityConfig.endpoint_urls``).

Their paths carry no language prefix. ``kokreative_wagtail.urls`` includes them; a site that
serves its pages inside ``i18n_patterns`` includes this module outside of them.
"""

from django.http import JsonResponse
from django.urls import path, re_path
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from . import cors, http_caching
from .api import get_api
from .capabilities import urlpatterns as capability_urlpatterns
from .request_language import requested_language


@csrf_exempt  # a POST to an unknown path is a 404, not the CSRF failure page
def api_not_found(request, *args, **kwargs):
    """Unknown paths below our API prefix answer JSON, not the site's HTML 404 page.

    In the request's language and with CORS headers, so that a front end on another origin
    can read the 404; its preflight is answered like any of the API's.
    """
    if cors.is_preflight(request):
        return cors.preflight_response(request, "GET, HEAD, OPTIONS")
    language = requested_language(request)
    with translation.override(language):
        response = JsonResponse({"detail": _("Not found."), "errors": {}}, status=404)
    response = http_caching.finalize_response(request, response, language=language, public=False)
    if request.method == "HEAD":
        response.content = b""
    return response


urlpatterns = [
    path("api/kokreative/v1/", get_api().urls),
    re_path(r"^api/kokreative/v1/", api_not_found),
    *capability_urlpatterns("endpoint_urls"),
]
