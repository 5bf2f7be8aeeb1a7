"""A pseudonymous record of each consent decision, as proof (DSGVO Art. 7(1)).

django-cookie-consent's log stores action, group, version and time but no visitor, so it cannot
show what one visitor agreed to. Our record adds a random consent id that also sits in the
visitor's cookie: with it, a visitor's decisions can be found and shown, without any other
personal data (no IP address, no user agent, no user).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.coreutils import get_content_languages


class ConsentAction(models.TextChoices):
    ACCEPT_ALL = "accept_all", _("accepted all")
    DECLINE_ALL = "decline_all", _("rejected all")
    SAVE = "save", _("saved a selection")
    ACCEPT_GROUP = "accept_group", _("accepted one group")


class ConsentRecord(models.Model):
    consent_id = models.UUIDField(_("consent id"), default=uuid.uuid4, db_index=True)
    created = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=20, choices=ConsentAction.choices)
    accepted = models.JSONField(_("accepted groups"), default=list)
    declined = models.JSONField(_("rejected groups"), default=list)
    banner_version = models.CharField(_("banner version"), max_length=32)
    source = models.CharField(_("source"), max_length=10, default="form")  # form or api

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.consent_id} {self.get_action_display()} {self.created:%Y-%m-%d %H:%M}"


def content_language_choices() -> list[tuple[str, str]]:
    """The site's content languages (a callable, so migrations do not depend on settings)."""

    return list(get_content_languages().items())


class CookieGroupText(models.Model):
    """A cookie group's name and description in one more language.

    django-cookie-consent's group holds one name and description, in the site's default
    language; the banner, the settings page and the consent API show this text instead where
    the visitor's language has one.
    """

    group = models.ForeignKey(
        "cookie_consent.CookieGroup",
        verbose_name=_("cookie group"),
        on_delete=models.CASCADE,
        related_name="kokreative_texts",
    )
    language_code = models.CharField(
        _("language"), max_length=100, choices=content_language_choices
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("cookie group text")
        verbose_name_plural = _("cookie group texts")
        ordering = ["group__ordering", "group_id", "language_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "language_code"], name="kokreative_cookie_group_text_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.language_code})"


class CookieText(models.Model):
    """A cookie's description in one more language (see :class:`CookieGroupText`)."""

    cookie = models.ForeignKey(
        "cookie_consent.Cookie",
        verbose_name=_("cookie"),
        on_delete=models.CASCADE,
        related_name="kokreative_texts",
    )
    language_code = models.CharField(
        _("language"), max_length=100, choices=content_language_choices
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("cookie text")
        verbose_name_plural = _("cookie texts")
        ordering = ["cookie__name", "language_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["cookie", "language_code"], name="kokreative_cookie_text_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cookie.name} ({self.language_code})"
