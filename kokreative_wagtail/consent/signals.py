"""Editors change cookie groups, cookies or their translated texts in the admin: the cached
groups (which hold the texts) go, on every app server (a shared cache)."""

from cookie_consent.models import Cookie, CookieGroup
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CookieGroupText, CookieText
from .state import clear_groups_cache


@receiver([post_save, post_delete], sender=CookieGroup)
@receiver([post_save, post_delete], sender=Cookie)
@receiver([post_save, post_delete], sender=CookieGroupText)
@receiver([post_save, post_delete], sender=CookieText)
def groups_changed(sender, **kwargs) -> None:
    clear_groups_cache()
