"""The plain-HTML side of consent: the decision form's target and the settings page.

They work without JavaScript: the banner's buttons are ordinary POST forms (CSRF-protected by
Django's middleware) that answer with a redirect back to the page the visitor came from.
"""

from __future__ import annotations

from django.http import HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ..site_base import frame_context
from .decisions import DecisionError, apply_decision, choices_for
from .state import get_consent_state


def safe_next(request, value: str | None) -> str:
    """``next`` stays on this site; anything else goes to the home page."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return "/"


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_POST
@never_cache
def decide(request):
    state = get_consent_state(request)
    next_url = safe_next(request, request.POST.get("next"))
    action = request.POST.get("action", "")
    try:
        choices = choices_for(
            state, action, request.POST.getlist("groups"), request.POST.get("group", "")
        )
    except DecisionError as error:
        if wants_json(request):
            return JsonResponse({"detail": str(_invalid()), "errors": error.errors}, status=400)
        return settings_page(request, errors=error.errors, status=400, next_url=next_url)
    if wants_json(request):
        response = JsonResponse({})
    else:
        response = HttpResponseRedirect(next_url, status=303)
    new_state = apply_decision(request, response, action, choices, source="form")
    if wants_json(request):
        response.content = JsonResponse({"groups": new_state.as_dict()}).content
    return response


def _invalid():

    return _("Your choice could not be saved.")


@require_GET
@never_cache
def settings_view(request):
    return settings_page(request, next_url=safe_next(request, request.GET.get("next")))


def settings_page(request, *, next_url: str, errors=None, status: int = 200):

    context = {
        **frame_context(),  # the site's base, its block names, main landmark and breadcrumbs
        "consent": get_consent_state(request),
        "next_url": next_url,
        "errors": errors or {},
    }
    return TemplateResponse(
        request, "kokreative_wagtail/consent/settings_page.html", context, status=status
    )
