"""A call's evaluation settings (reviews per proposal, thresholds, blind review, deadlines)."""

from django.db import transaction
from django.utils.translation import gettext as _

from ai4media_portal.core.audit import log_action
from ai4media_portal.core.changes import apply_changes
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.permissions import require_perm

from ...models import Call
from ..models import EvaluationSettings
from .common import _local, _lock_call

# --- Settings ---------------------------------------------------------------------------------


@transaction.atomic
def settings_update(*, call: Call, actor, data: dict) -> EvaluationSettings:
    """Set how the call is evaluated (blind review, review deadline, interview weight, last
    tie-break). The review deadline comes after the call's own deadline. Managers only."""
    require_perm(actor, "opencalls.manage_evaluation")
    call = _lock_call(call)
    settings, _created = EvaluationSettings.objects.select_for_update().get_or_create(call=call)
    deadline = data.get("review_deadline")
    if deadline is not None and deadline <= call.closes_at:
        raise PortalError(
            _("The review deadline must come after the call's deadline (%(deadline)s).")
            % {"deadline": _local(call.closes_at, call)},
            field="review_deadline",
        )
    changed = apply_changes(settings, data, EvaluationSettings.EDITABLE_FIELDS)
    settings.full_clean()
    if changed:
        settings.save(update_fields=[*changed, "updated_at"])
        log_action(
            "opencalls.evaluation.settings.update",
            actor=actor,
            target=call,
            data={"fields": changed},
        )
    return settings
