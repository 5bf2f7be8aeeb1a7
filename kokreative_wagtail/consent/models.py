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
