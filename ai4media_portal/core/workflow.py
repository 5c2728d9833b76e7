"""States and their allowed transitions, declared in each app's enums.py:

class ApplicationStatus(models.TextChoices): ...
TRANSITIONS = {ApplicationStatus.DRAFT: {ApplicationStatus.SUBMITTED}, ...}
"""

from collections.abc import Mapping

from django.utils.translation import gettext as _

from .exceptions import PortalError


def ensure_transition(current, target, transitions: Mapping) -> None:
    """Refuse a move that the workflow does not allow, naming both states."""
    if target not in transitions.get(current, ()):
        raise PortalError(
            _("This cannot go from “%(current)s” to “%(target)s”.")
            % {"current": current.label, "target": target.label},
            code="invalid_transition",
        )
