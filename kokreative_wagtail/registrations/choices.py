from django.db import models
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    """What one registration is for."""

    DATE = "date", _("One date: people register for each date separately")
    SERIES = "series", _("The whole series: one registration covers every date")


class Status(models.TextChoices):
    """Where a registration stands; only ``CONFIRMED`` holds a seat."""

    PENDING = "pending", _("waiting for the e-mail confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    WAITING = "waiting", _("on the waiting list")
    CANCELLED = "cancelled", _("cancelled")
    #: The e-mail address was confirmed when no seat and no waiting list was left.
    FULL = "full", _("not taken: fully booked")


#: Statuses of a registration that still counts: one per e-mail address and date.
ACTIVE = (Status.PENDING, Status.CONFIRMED, Status.WAITING)
