"""The evaluator pool: invitations, joining, declining and profiles."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.roles import Role
from opencalls.evaluation import selectors, services
from opencalls.evaluation.enums import InvitationStatus, PoolStatus
from opencalls.evaluation.models import Invitation, PoolMember
from opencalls.evaluation.terms import TERMS_VERSION
from opencalls.models import EvaluationCriterion
from tests.factories import UserFactory

from .factories import assign, call_under_evaluation, pool_evaluator
from .helpers import _active

pytestmark = pytest.mark.django_db


def _token(message) -> str:
    return re.search(r"/calls/evaluation/invitations/([^/\s]+)/", message.body).group(1)


def test_an_invitation_is_emailed_with_a_link_whose_token_is_stored_hashed(
    django_capture_on_commit_callbacks,
):
    call, _proposals, by = call_under_evaluation(proposals=1)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.evaluator_invite(
            call=call, actor=by, email=" Expert@Example.ORG ", message="Please join us."
        )
    assert mail.outbox[-1].to == ["expert@example.org"]
    token = _token(mail.outbox[-1])
    assert token == sent.token
    assert token not in sent.invitation.token_hash
    assert "Please join us." in mail.outbox[-1].body
    assert sent.member is None  # no account yet
    with pytest.raises(PortalError) as error:
        services.evaluator_invite(call=call, actor=by, email="not-an-email")
    assert error.value.field == "email"


def test_an_invitation_to_an_existing_account_shows_in_their_pools():
    call, _proposals, by = call_under_evaluation(proposals=1)
    expert = UserFactory()
    sent = services.evaluator_invite(call=call, actor=by, email=expert.email, max_proposals=4)
    assert sent.member.status == PoolStatus.INVITED
    assert list(selectors.evaluator_invitations(user=expert)) == [sent.member]
    services.pool_decline(member=sent.member, actor=expert, reason="Busy")
    again = services.evaluator_invite(call=call, actor=by, email=expert.email)
    assert again.member.status == PoolStatus.INVITED
    assert Invitation.objects.get(pk=sent.invitation.pk).status == InvitationStatus.REVOKED


def test_accepting_the_terms_joins_the_pool_and_grants_the_evaluator_role():
    call, (p0,), by = call_under_evaluation(proposals=1)
    sent = services.evaluator_invite(call=call, actor=by, email="expert@example.org")
    expert = UserFactory(email="other.address@example.org", full_name="Ada Lovelace")
    member = services.invitation_claim(token=sent.token, user=expert)
    with pytest.raises(PortalError) as error:
        services.pool_accept(member=member, actor=expert, accept_terms=False, max_proposals=5)
    assert error.value.field == "accept_terms"
    member = services.pool_accept(
        member=member,
        actor=expert,
        accept_terms=True,
        max_proposals=5,
        profile={"keywords": "video forensics", "organisation_name": "Independent"},
    )
    assert (member.status, member.terms_version, member.max_proposals) == (
        PoolStatus.ACCEPTED,
        TERMS_VERSION,
        5,
    )
    expert = type(expert).objects.get(pk=expert.pk)
    assert expert.has_role(Role.EVALUATOR)
    # Named in the proposals' team: detected at once.
    assert _active(p0, expert).exists()
    # The link works for one account only.
    with pytest.raises(PortalError) as error:
        services.invitation_claim(token=sent.token, user=UserFactory())
    assert error.value.message == "This invitation has already been used by another account."


def test_expired_revoked_and_wrong_invitation_links_are_refused():
    call, _proposals, by = call_under_evaluation(proposals=1)
    person = UserFactory()
    with pytest.raises(PortalError) as error:
        services.invitation_claim(token="guessed", user=person)
    assert error.value.code == "invalid_invitation"
    sent = services.evaluator_invite(call=call, actor=by, email="late@example.org")
    with time_machine.travel(timezone.now() + dt.timedelta(days=31)), pytest.raises(PortalError):
        services.invitation_claim(token=sent.token, user=person)
    services.invitation_revoke(invitation=sent.invitation, actor=by)
    with pytest.raises(PortalError) as error:
        services.invitation_claim(token=sent.token, user=person)
    assert error.value.message == "This invitation has been withdrawn or replaced by a newer one."


def test_a_maximum_cannot_drop_below_the_current_load():
    call, (p0, p1), by = call_under_evaluation(proposals=2)
    person = pool_evaluator(call)
    assign(p0, person, by)
    assign(p1, person, by)
    member = PoolMember.objects.get(call=call, evaluator=person)
    with pytest.raises(PortalError) as error:
        services.pool_update(member=member, actor=by, max_proposals=1)
    assert error.value.message == "2 proposals are already assigned: the maximum cannot be lower."
    assert services.pool_update(member=member, actor=person, max_proposals=3).max_proposals == 3


def test_settings_need_a_review_deadline_after_the_call_deadline():
    call, _proposals, by = call_under_evaluation(proposals=1)
    with pytest.raises(PortalError) as error:
        services.settings_update(
            call=call, actor=by, data={"review_deadline": call.closes_at - dt.timedelta(hours=1)}
        )
    assert error.value.field == "review_deadline"
    settings = services.settings_update(call=call, actor=by, data={"hide_applicant_identity": True})
    assert settings.hide_applicant_identity is True
    assert EvaluationCriterion.objects.filter(call=call).count() == 3
