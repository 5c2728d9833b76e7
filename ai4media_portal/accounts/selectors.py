"""Reads about people that every pillar needs."""

from django.db.models import QuerySet

from ai4media_portal.core.roles import Role

from .models import User


def holders_of(role: Role) -> QuerySet[User]:
    """Active users holding ``role``, in a stable order."""
    return User.objects.filter(is_active=True, groups__name=role.value).order_by("pk")


def emails_of(role: Role) -> list[str]:
    """The addresses to write to when "the call managers" (or any role) must hear of it."""
    return sorted(set(holders_of(role).values_list("email", flat=True)))
