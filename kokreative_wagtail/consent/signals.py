"""Editors change cookie groups in the admin: the cached groups go, on every app server."""

from cookie_consent.models import Cookie, CookieGroup
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .state import clear_groups_cache


@receiver([post_save, post_delete], sender=CookieGroup)
@receiver([post_save, post_delete], sender=Cookie)
def groups_changed(sender, **kwargs) -> None:
    clear_groups_cache()
