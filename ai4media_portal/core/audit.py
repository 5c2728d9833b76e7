"""The audit log: every service records its sensitive actions through `log_action`."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEntry


def log_action(
    action: str,
    *,
    actor=None,
    target: models.Model | None = None,
    data: dict | None = None,
) -> AuditEntry:
    """Record that ``actor`` did ``action`` (a dotted name such as ``network.application.approve``)
    to ``target``. Runs inside the caller's transaction, so a rolled-back action leaves no entry.
    """
    entry = AuditEntry(action=action, data=data or {})
    if actor is not None and actor.is_authenticated:
        entry.actor = actor
        entry.actor_repr = actor.email
    if target is not None:
        entry.content_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
        entry.object_id = str(target.pk)
        entry.object_repr = str(target)[:255]
    entry.save()
    return entry


def audit_trail(target: models.Model):
    """The entries about ``target``, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        object_id=str(target.pk),
    ).select_related("actor")
