"""The portal's roles. Each is a Django group created by a data migration."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NETWORK_MANAGER = "network-manager", _("Network manager")
    OBSERVATORY_EDITOR = "observatory-editor", _("Observatory editor")
    EDITOR_IN_CHIEF = "editor-in-chief", _("Editor-in-chief")
    AIDA_COORDINATOR = "aida-coordinator", _("AIDA coordinator")
    CALL_MANAGER = "call-manager", _("Call manager")
    EVALUATOR = "evaluator", _("Evaluator")
    FELLOWS_COORDINATOR = "fellows-coordinator", _("Fellows coordinator")
    PARTNER = "partner", _("Partner platform (API)")


# Roles whose holders see confidential material or change other people's data: they must
# protect their account with a second factor before they reach their tools.
PRIVILEGED_ROLES = frozenset(
    {
        Role.NETWORK_MANAGER,
        Role.OBSERVATORY_EDITOR,
        Role.EDITOR_IN_CHIEF,
        Role.AIDA_COORDINATOR,
        Role.CALL_MANAGER,
        Role.EVALUATOR,
        Role.FELLOWS_COORDINATOR,
    }
)
