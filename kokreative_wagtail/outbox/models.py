"""The outbox row; imported by ``kokreative_wagtail.models``, so it belongs to the core app.

No foreign key to Wagtail's ``FormSubmission``: the core app must work without
``wagtail.contrib.forms``. The cause is a generic reference (content type + object id); a
``post_delete`` receiver deletes the rows of a deleted submission (the admin's delete, the purge
command), a foreign key to the page deletes them with their page.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One e-mail, rendered when its cause was stored, with its delivery state."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    class Kind(models.TextChoices):
        NOTIFICATION = "notification", _("notification to editors")
        CONFIRMATION = "confirmation", _("confirmation to the sender")

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("cause type")
    )
    object_id = models.CharField(_("cause id"), max_length=64)
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("page"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    from_email = models.CharField(_("sender"), max_length=255, blank=True)
    recipients = models.JSONField(_("recipients"), default=list)
    reply_to = models.JSONField(_("reply to"), default=list, blank=True)
    subject = models.TextField(_("subject"))
    body = models.TextField(_("text"))
    #: Files sent with the mail: ``[{"filename", "content" (text), "mimetype"}]`` (a .ics).
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(
        _("next attempt"), null=True, blank=True, default=timezone.now
    )
    locked_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    last_error = models.CharField(
        _("last error"),
        max_length=100,
        blank=True,
        help_text=_("The class of the error only; the server's text can quote addresses."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    # Rows are written by requests and workers; Wagtail's reference index has no use for them.
    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("notification e-mail")
        verbose_name_plural = _("notification e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="kokreative_outbox_due"),
            models.Index(fields=["content_type", "object_id"], name="kokreative_outbox_cause"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @classmethod
    def for_cause(cls, cause: models.Model) -> models.QuerySet[Notification]:
        return cls.objects.filter(
            content_type=ContentType.objects.get_for_model(cause, for_concrete_model=False),
            object_id=str(cause.pk),
        )


def delete_notifications_of(sender, instance, **kwargs) -> None:
    """A deleted submission takes its mails (personal data) with it, sent or not."""
    Notification.objects.filter(
        content_type=ContentType.objects.get_for_model(sender, for_concrete_model=False),
        object_id=str(instance.pk),
    ).delete()


# Connected only when Wagtail's forms are installed: a lazy reference to a missing app is a
# system check error. Sites with their own submission class connect it the same way.
if apps.is_installed("wagtail.contrib.forms"):
    post_delete.connect(
        delete_notifications_of,
        sender="wagtailforms.FormSubmission",
        dispatch_uid="kokreative_outbox_delete_with_submission",
    )
