"""Forget the cached links (``links``) whenever what they depend on may have changed: a page
published, unpublished, moved or deleted (its URL or its existence), a view restriction, a site.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .links import forget


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
def forget_after_page_change(sender, **kwargs) -> None:
    forget()


@receiver(post_delete)
def forget_after_page_deleted(sender, **kwargs) -> None:
    if isinstance(sender, type) and issubclass(sender, Page):
        forget()


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def forget_after_access_change(sender, **kwargs) -> None:
    forget()
