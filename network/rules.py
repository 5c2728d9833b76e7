"""Who may do what in the network. Views, the API and services all ask these permissions.

They are asked through ``ai4media_portal.core.permissions.can()``, never ``user.has_perm()``:
only network managers decide on applications and only the applicant acts for an application,
whoever else holds an admin account.
"""

import rules

from ai4media_portal.core.predicates import is_authenticated, is_network_manager, is_own_case


@rules.predicate
def is_organisation_contact(user, organisation) -> bool:
    """The user is a registered contact of the organisation."""
    if organisation is None or not user or not user.is_authenticated:
        return False
    # Selectors may have prefetched the contacts; use them rather than query again.
    cache = getattr(organisation, "_prefetched_objects_cache", {})
    if "contacts" in cache:
        return any(contact.user_id == user.pk for contact in cache["contacts"])
    return organisation.contacts.filter(user_id=user.pk).exists()


@rules.predicate
def is_applicant(user, application) -> bool:
    return (
        application is not None
        and user is not None
        and user.is_authenticated
        and application.applicant_id == user.pk
    )


# Organisations: public profiles, edited by their contacts and the network managers.
rules.add_perm("network.view_organisation", rules.always_allow)
rules.add_perm("network.change_organisation", is_network_manager | is_organisation_contact)

# Applications: the applicant owns theirs; network managers see all and decide, but never on
# an application they made themselves or made for an organisation they are a contact of.
rules.add_perm("network.add_membershipapplication", is_authenticated)
rules.add_perm("network.list_membershipapplication", is_authenticated)
rules.add_perm("network.view_membershipapplication", is_applicant | is_network_manager)
rules.add_perm("network.change_membershipapplication", is_applicant)
rules.add_perm("network.submit_membershipapplication", is_applicant)
rules.add_perm("network.withdraw_membershipapplication", is_applicant)
rules.add_perm("network.review_membershipapplication", is_network_manager & ~is_own_case)
rules.add_perm("network.decide_membershipapplication", is_network_manager & ~is_own_case)
# The manager's queue and its export.
rules.add_perm("network.manage_membershipapplications", is_network_manager)
