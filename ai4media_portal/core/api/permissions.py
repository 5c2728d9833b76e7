from rest_framework import permissions


class HasRulesPermission(permissions.BasePermission):
    """Check django-rules permissions named by the view, per action:

        rules_permissions = {"list": "opencalls.list_proposal", "approve": "network.decide"}

    Object-level checks receive the object. Actions not named are refused.
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
        return request.user.has_perm(perm)

    def has_object_permission(self, request, view, obj):
        perm = self._perm(view)
        return perm is not None and request.user.has_perm(perm, obj)
