from rest_framework import permissions

from ..permissions import can


class HasRulesPermission(permissions.BasePermission):
    """Check django-rules permissions named by the view, per action, through ``can()``:

        rules_permissions = {"list": "opencalls.list_proposal", "approve": "network.decide"}

    Object-level checks receive the object. Actions not named are refused. Because the check is
    ``can()``, a superuser's token passes only where a rule names superusers.
    """

    def _perm(self, view):
        action = getattr(view, "action", None) or view.request.method.lower()
        return view.rules_permissions.get(action)

    def has_permission(self, request, view):
        perm = self._perm(view)
        if perm is None:
            return False
        if getattr(view, "detail", False):
            return True  # the object-level check decides
        return can(request.user, perm)

    def has_object_permission(self, request, view, obj):
        perm = self._perm(view)
        return perm is not None and can(request.user, perm, obj)
