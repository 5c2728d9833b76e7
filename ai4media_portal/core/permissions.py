"""The one permission path: every view helper, the API's permission class and every service
ask ``can()``.

``can()`` asks the django-rules predicates only. Django's own ``user.has_perm()`` lets a
superuser pass every check, which would let an admin account act as an applicant, edit someone
else's draft or decide on a case; here a superuser or a staff member holds a power only where a
predicate says so (``predicates.is_superuser``, ``predicates.is_staff``).
"""

import rules
from django.core.exceptions import PermissionDenied


def can(user, perm: str, obj=None) -> bool:
    """Whether ``user`` (a User, AnonymousUser or None) holds ``perm`` (a rule name such as
    ``"opencalls.submit_proposal"``) on ``obj``. Inactive users hold nothing."""
    return bool(user is not None and user.is_active and rules.has_perm(perm, user, obj))


def require_perm(actor, perm: str, obj=None) -> None:
    """Raise ``PermissionDenied`` unless ``can(actor, perm, obj)``. Services call this first."""
    if not can(actor, perm, obj):
        raise PermissionDenied
