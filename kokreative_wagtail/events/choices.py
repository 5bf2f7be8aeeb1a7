from django.db import models
from django.utils.translation import gettext_lazy as _


class OnlineLinkVisibility(models.TextChoices):
    ALWAYS = "always", _("Show the link on the page")
    REGISTERED = "registered", _("Send it to registered participants only")
    LATER = "later", _("Show it from a given time")


class OverrideAction(models.TextChoices):
    CANCEL = "cancel", _("Cancel this occurrence")
    MOVE = "move", _("Move it to another time")
    LOCATION = "location", _("Change its location")
    DETAILS = "details", _("Only a note or the seats")
