"""System checks of the consent app (registered when the app is ready)."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.core import checks

SESSION_MIDDLEWARE = "django.contrib.sessions.middleware.SessionMiddleware"


@checks.register()
def check_session_middleware(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Pages that depend on consent vary by the session cookie; without the middleware they
    would not say so, and a shared cache could mix visitors' consent states."""
    if not apps.is_installed("kokreative_wagtail.consent"):
        return []  # registered once imported; a test may take the app out again
    if SESSION_MIDDLEWARE in getattr(settings, "MIDDLEWARE", []):
        return []
    return [
        checks.Error(
            "kokreative_wagtail.consent marks pages that depend on consent through Django's "
            "session middleware (Vary: Cookie); without it a shared cache could serve one "
            "visitor's consent state to another.",
            hint=f'Add this line to your settings: MIDDLEWARE.insert(0, "{SESSION_MIDDLEWARE}")',
            id="kokreative_wagtail.E004",
        )
    ]
