"""Fixed vocabularies of offers; audiences are a snippet, so sites can add their own."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OfferKind(models.TextChoices):
    TRAINING = "training", _("Trainings and workshops")
    INHOUSE = "inhouse", _("In-house trainings and keynotes")
    COMMUNITY = "community", _("Community of practice")


class OfferFormat(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class OfferSort(models.TextChoices):
    EDITOR = "", _("Editor's order")
    TITLE = "title", _("Title (A–Z)")
    NEWEST = "newest", _("Newest first")


# Names of the default audiences created by migration 0002, here so makemessages finds them.
DEFAULT_AUDIENCE_NAMES = [_("Administration"), _("Politics"), _("Civil society")]
