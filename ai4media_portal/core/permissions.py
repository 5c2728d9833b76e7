"""Permission checks for services: one way to say "this actor may not"."""

from django.core.exceptions import PermissionDenied


def require_perm(actor, perm: str, obj=None) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` holds ``perm`` (on ``obj``), through the
    django-rules predicates and Django's backends."""
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied
