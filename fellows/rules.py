"""Who may do what in the Junior Fellows Exchange Programme. Views, the API and services all
ask these permissions through ``ai4media_portal.core.permissions.can()``.

A fellow acts for their own exchanges; each supervisor confirms or declines for their side;
only the fellows coordinator approves, rejects, accepts reports, publishes testimonials and
touches the mobility budget, and never on an exchange they are a party to. Staff and
superusers hold none of these powers.
"""

import rules

from ai4media_portal.core.predicates import is_authenticated, is_fellows_coordinator, is_own_case


def _user_ok(user) -> bool:
    return bool(user and user.is_authenticated)


@rules.predicate
def is_fellow(user, exchange) -> bool:
    return exchange is not None and _user_ok(user) and exchange.fellow_id == user.pk


@rules.predicate
def is_supervisor(user, exchange) -> bool:
    """The sender's or the host's supervisor named on the exchange."""
    return exchange is not None and _user_ok(user) and exchange.side_of(user) is not None


@rules.predicate
def is_host_supervisor(user, exchange) -> bool:
    return exchange is not None and _user_ok(user) and exchange.host_supervisor_id == user.pk


@rules.predicate
def is_offer_supervisor(user, offer) -> bool:
    return offer is not None and _user_ok(user) and offer.supervisor_id == user.pk


@rules.predicate
def is_conversation_party(user, conversation) -> bool:
    return conversation is not None and conversation.is_party(user)


@rules.predicate
def is_contact_of(user, organisation) -> bool:
    """A registered contact of ``organisation`` (who may publish host offers for it)."""
    if organisation is None or not _user_ok(user):
        return False
    return organisation.contacts.filter(user_id=user.pk).exists()


deciding_coordinator = is_fellows_coordinator & ~is_own_case

# Host offers and profiles: public reading; offers published by the organisation's contacts.
rules.add_perm("fellows.view_hostoffer", rules.always_allow)
rules.add_perm("fellows.add_hostoffer", is_contact_of | is_fellows_coordinator)
rules.add_perm("fellows.change_hostoffer", is_offer_supervisor | is_fellows_coordinator)
rules.add_perm("fellows.express_interest", is_authenticated & ~is_offer_supervisor)
rules.add_perm("fellows.change_fellowprofile", is_authenticated)
rules.add_perm("fellows.view_conversation", is_conversation_party)

# Exchanges.
rules.add_perm("fellows.add_exchange", is_authenticated)
rules.add_perm("fellows.list_exchange", is_authenticated)
rules.add_perm("fellows.view_exchange", is_fellow | is_supervisor | is_fellows_coordinator)
rules.add_perm("fellows.change_exchange", is_fellow)
rules.add_perm("fellows.submit_exchange", is_fellow)
rules.add_perm("fellows.withdraw_exchange", is_fellow)
rules.add_perm("fellows.confirm_exchange", is_supervisor)
rules.add_perm("fellows.decide_exchange", deciding_coordinator)
rules.add_perm("fellows.run_exchange", is_fellow | deciding_coordinator)
rules.add_perm("fellows.submit_report", is_fellow)
rules.add_perm("fellows.give_feedback", is_host_supervisor)
rules.add_perm("fellows.accept_report", deciding_coordinator)
rules.add_perm("fellows.close_exchange", deciding_coordinator)
rules.add_perm("fellows.submit_testimonial", is_fellow)
rules.add_perm("fellows.publish_testimonial", deciding_coordinator)

# The coordinator's queue and the mobility budget.
rules.add_perm("fellows.manage_exchanges", is_fellows_coordinator)
rules.add_perm("fellows.manage_budget", is_fellows_coordinator)
rules.add_perm("fellows.pay_exchange", deciding_coordinator)
