"""django-rules predicates shared by every pillar's rules.py."""

import rules

from .roles import Role


def has_role(role: Role) -> rules.Predicate:
    """True for active users holding ``role`` (group membership, cached per request)."""

    @rules.predicate(name=f"has_role:{role.value}")
    def predicate(user) -> bool:
        return bool(user and user.is_authenticated and user.has_role(role))

    return predicate


is_authenticated = rules.is_authenticated
is_staff = rules.is_staff


@rules.predicate
def is_superuser(user) -> bool:
    """An admin account. It grants a power only where a rule names it, never implicitly."""
    return bool(user and user.is_authenticated and user.is_superuser)


@rules.predicate
def is_own_case(user, case) -> bool:
    """The user is a party to ``case``: nobody screens, evaluates, ranks, decides or reads the
    evaluation of their own case, whatever role they hold (as in the EU's evaluation rules on
    conflicts of interest). A case is any object with ``is_party(user) -> bool``: an
    application's applicant, a proposal's applicant, team or organisation, and so on in every
    pillar. Combine as ``is_call_manager & ~is_own_case``.
    """
    if case is None or not user or not user.is_authenticated:
        return False
    return bool(case.is_party(user))


is_network_manager = has_role(Role.NETWORK_MANAGER)
is_observatory_editor = has_role(Role.OBSERVATORY_EDITOR)
is_editor_in_chief = has_role(Role.EDITOR_IN_CHIEF)
is_aida_coordinator = has_role(Role.AIDA_COORDINATOR)
is_call_manager = has_role(Role.CALL_MANAGER)
is_evaluator = has_role(Role.EVALUATOR)
is_fellows_coordinator = has_role(Role.FELLOWS_COORDINATOR)
is_partner = has_role(Role.PARTNER)
