"""States and their allowed transitions, declared in each app's enums.py:

class ApplicationStatus(models.TextChoices): ...
TRANSITIONS = {ApplicationStatus.DRAFT: {ApplicationStatus.SUBMITTED}, ...}
"""

from collections.abc import Iterable, Mapping

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


def set_state(
    instance,
    target,
    transitions: Mapping,
    *,
    field: str = "status",
    also: Iterable[str] = ("updated_at",),
):
    """The writer of a workflow that keeps no history of its own (a review, a pool member,
    a tranche…): move ``instance.<field>`` to ``target`` (a ``TextChoices`` member) as
    ``transitions`` allows (``PortalError`` with code ``invalid_transition`` otherwise, nothing
    saved), then save it with the instance's other changed fields named in ``also``
    (``update_fields``). Returns the state it left.

    The calling service has checked the permission, locked the row, and logs the action.
    """
    current = type(target)(getattr(instance, field))
    ensure_transition(current, target, transitions)
    setattr(instance, field, target)
    instance.save(update_fields=[field, *dict.fromkeys(also)])
    return current
