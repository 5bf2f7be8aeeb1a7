"""Registration settings of an event page, its extra fields, the dates people register for and
the registrations themselves.

Seats belong to the event, not to one language: a registration on the English page and one on
the German page count against the same seats. So a date row is keyed by the event's
``translation_key``; the registration remembers the page (and so the language) it came from.
"""

from __future__ import annotations

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.contrib.forms.models import AbstractFormField
from wagtail.models import Orderable, TranslatableMixin

from ..abstract import consent_text_field
from ..localization import synchronized, translatable
from .choices import ACTIVE, Mode, Status

#: Most seats one date can have.
MAX_SEATS = 100_000


class RegistrationOptions(TranslatableMixin, Orderable):
    """How people register for an event page; the page takes registrations while it has one.

    A page has at most one (the editor's inline panel allows one). Translatable with its page:
    the consent text is translated, the rest follows the source.
    """

    page = ParentalKey(
        "kokreative_events.EventPage", related_name="registration_options", on_delete=models.CASCADE
    )
    mode = models.CharField(
        _("people register for"),
        max_length=10,
        choices=Mode.choices,
        default=Mode.DATE,
        help_text=_("For a community of practice: the whole series."),
    )
    seats = models.PositiveIntegerField(
        _("seats"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SEATS)],
        help_text=_(
            "Per date (or for the whole series). A single date can have other seats: "
            "“Seats” under “Changes to single occurrences”."
        ),
    )
    waiting_list = models.BooleanField(
        _("keep a waiting list"),
        default=True,
        help_text=_(
            "When all seats are taken, further people go on a waiting list; a cancellation gives "
            "the first of them the seat and tells them by e-mail."
        ),
    )
    opens_days_before = models.PositiveIntegerField(
        _("registration opens (days before the date)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(3660)],
        help_text=_("Leave empty to take registrations as soon as the page is published."),
    )
    closes_hours_before = models.PositiveIntegerField(
        _("registration closes (hours before the date)"),
        default=0,
        validators=[MaxValueValidator(24 * 366)],
        help_text=_("0: registration is possible until the date begins."),
    )
    ask_organisation = models.BooleanField(
        _("ask for the organisation"),
        default=True,
        help_text=_("Name and e-mail address are always asked; the organisation is optional."),
    )
    reminder_hours_before = models.PositiveIntegerField(
        _("reminder (hours before the date)"),
        default=24,
        validators=[MaxValueValidator(24 * 60)],
        help_text=_("Confirmed participants get a reminder this long before each date; 0: none."),
    )
    consent_text = consent_text_field()

    panels = [
        FieldRowPanel([FieldPanel("mode"), FieldPanel("seats"), FieldPanel("waiting_list")]),
        FieldRowPanel([FieldPanel("opens_days_before"), FieldPanel("closes_hours_before")]),
        FieldRowPanel([FieldPanel("ask_organisation"), FieldPanel("reminder_hours_before")]),
        FieldPanel("consent_text"),
    ]

    override_translatable_fields = [
        *synchronized(
            "mode",
            "seats",
            "waiting_list",
            "opens_days_before",
            "closes_hours_before",
            "ask_organisation",
            "reminder_hours_before",
            overridable=False,
        ),
        *translatable("consent_text"),
    ]

    class Meta(TranslatableMixin.Meta, Orderable.Meta):
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self) -> str:
        return str(_("Registration for “%(title)s”") % {"title": self.page.title})


class RegistrationField(TranslatableMixin, AbstractFormField):
    """An extra field of an event's registration form, defined like a form page's fields."""

    page = ParentalKey(
        "kokreative_events.EventPage", related_name="registration_fields", on_delete=models.CASCADE
    )

    override_translatable_fields = [
        *translatable("label", "help_text", "choices", "default_value"),
        *synchronized("field_type", "required", "clean_name", overridable=False),
    ]

    class Meta(TranslatableMixin.Meta, AbstractFormField.Meta):
        verbose_name = _("registration field")
        verbose_name_plural = _("registration fields")


class RegistrationDate(models.Model):
    """One date of an event (or its whole series) that people register for.

    Its row is the lock under which seats are handed out (``seats.py``): every decision about
    its registrations takes ``SELECT … FOR UPDATE`` on it first.
    """

    #: The event's ``translation_key``: the same seats in every language.
    event_key = models.UUIDField(_("event"), db_index=True)
    #: The date's start as the series gives it (RECURRENCE-ID); empty for the whole series.
    original_start = models.DateTimeField(_("date"), null=True, blank=True)
    #: ``"series"`` or the UTC start: unique per event, also for the series row.
    scope = models.CharField(max_length=40)
    #: The start registered people were last told of (a move is told once).
    notified_start = models.DateTimeField(null=True, blank=True)
    #: Whether they were told that the date was cancelled.
    notified_cancelled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("registration date")
        verbose_name_plural = _("registration dates")
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "scope"], name="kokreative_registration_date_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_key} {self.scope}"

    @property
    def is_series(self) -> bool:
        return self.original_start is None


class Registration(models.Model):
    """One person's registration for a date (or a series)."""

    date = models.ForeignKey(
        RegistrationDate,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("date"),
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("page"),
        help_text=_("The event page (and so the language) the registration came from."),
    )
    #: Random; with the site's secret it makes the confirmation and cancellation links.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    name = models.CharField(_("name"), max_length=255)
    email = models.EmailField(_("e-mail address"), max_length=254)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    #: Values of the editor's extra fields, by field name.
    data = models.JSONField(_("further details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("address confirmed"), null=True, blank=True)
    #: Order of the waiting list: who came first gets the next seat.
    waiting_since = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    changed_at = models.DateTimeField(_("last change"), auto_now=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    #: The date (original start) the last reminder was for.
    reminded_for = models.DateTimeField(null=True, blank=True)

    wagtail_reference_index_ignore = True

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            # one active registration per address and date, also under concurrency
            models.UniqueConstraint(
                fields=["date", "email"],
                condition=Q(status__in=ACTIVE),
                name="kokreative_registration_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["date", "status", "waiting_since"], name="kokreative_registration_state"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.get_status_display()})"
