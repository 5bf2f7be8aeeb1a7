"""Fixed vocabularies of the accessibility statement (the EU model statement's options)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConformityStatus(models.TextChoices):
    """Section "Compliance status" of the model statement (Implementing Decision 2018/1523)."""

    FULL = "full", _("Fully compliant")
    PARTIAL = "partial", _("Partially compliant")
    NONE = "none", _("Not compliant")


class NonAccessibleReason(models.TextChoices):
    """Why a part is not accessible: the three cases of the model statement."""

    NON_COMPLIANCE = "non_compliance", _("Non-compliance with the accessibility requirements")
    DISPROPORTIONATE_BURDEN = "disproportionate_burden", _("Disproportionate burden")
    OUT_OF_SCOPE = "out_of_scope", _("Not within the scope of the applicable legislation")


class EvaluationMethod(models.TextChoices):
    SELF_EVALUATION = "self_evaluation", _("Self-evaluation")
    BITV_TEST = "bitv_test", _("BITV-Test (an evaluation by the BITV-Test procedure)")
    THIRD_PARTY = "third_party", _("Evaluation by a third party")


#: The federal arbitration body (§ 16 BGG), the defaults of the enforcement section. A body of a
#: Land or a municipality names its own Land's body instead.
FEDERAL_ARBITRATION_NAME = (
    "Schlichtungsstelle nach dem Behindertengleichstellungsgesetz bei dem Beauftragten der "
    "Bundesregierung für die Belange von Menschen mit Behinderungen"
)
FEDERAL_ARBITRATION_ADDRESS = "Mauerstraße 53\n10117 Berlin"
FEDERAL_ARBITRATION_URL = "https://www.schlichtungsstelle-bgg.de"
FEDERAL_ARBITRATION_EMAIL = "info@schlichtungsstelle-bgg.de"

#: The legal basis the conformity sentence names by default (federal law).
DEFAULT_LEGAL_BASIS = (
    "§ 12a des Behindertengleichstellungsgesetzes (BGG) und der "
    "Barrierefreie-Informationstechnik-Verordnung (BITV 2.0)"
)
