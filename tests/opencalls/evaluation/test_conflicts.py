"""Conflicts of interest: detection, declarations, confirmation and dismissal."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.models import AuditEntry
from ai4media_portal.core.roles import Role
from opencalls.engine import conflicts as engine_conflicts
from opencalls.evaluation import selectors, services
from opencalls.evaluation.enums import ConflictReason, ConflictSource, PoolStatus
from opencalls.evaluation.models import Assignment, Conflict, EvaluatorProfile, PoolMember
from opencalls.evaluation.terms import TERMS_VERSION
from tests.factories import UserFactory

from .factories import assign, call_under_evaluation, pool_evaluator, review
from .helpers import _active

pytestmark = pytest.mark.django_db


def test_engine_reason_codes_are_the_stored_conflict_reasons():
    codes = {
        engine_conflicts.SAME_ORGANISATION,
        engine_conflicts.TEAM_MEMBER,
        engine_conflicts.APPLICANT,
        engine_conflicts.ORGANISATION_CONTACT,
        engine_conflicts.COLLABORATOR,
    }

    assert codes == set(ConflictReason.values) - {ConflictReason.DECLARED}


def test_conflict_detected_for_the_same_registration_number():
    call, (p0, p1, _p2), _by = call_under_evaluation()
    person = pool_evaluator(
        call,
        profile={
            "organisation_name": "Another name entirely",
            "organisation_country": "BE",
            "organisation_registration_number": "BE 0100.000.001",
        },
    )
    EvaluatorProfile.objects.filter(user=person).update(registration_key="BE:0100000001")
    services.conflicts_detect(call=call)
    assert list(_active(p1, person).values_list("reasons", flat=True)) == [["same-organisation"]]
    assert not _active(p0, person).exists()


def test_conflict_detected_for_the_same_organisation_name_however_written():
    call, (p0, p1, p2), _by = call_under_evaluation()
    person = pool_evaluator(call, profile={"organisation_name": "ORG 1 GmbH"})
    services.conflicts_detect(call=call)
    conflict = _active(p1, person).get()
    assert conflict.source == ConflictSource.DETECTED
    assert conflict.reason == "same organisation (ORG 1 GmbH)"
    assert not _active(p0, person).exists()
    assert not _active(p2, person).exists()


def test_conflict_detected_for_the_organisation_email_domain():
    call, proposals, _by = call_under_evaluation(proposals=2)
    person = UserFactory(roles=[Role.EVALUATOR])
    services.evaluator_profile_save(
        user=person, actor=person, data={"organisation_domain": "https://www.Example.org/team"}
    )
    assert EvaluatorProfile.objects.get(user=person).organisation_domain == "example.org"
    PoolMember.objects.create(
        call=call,
        evaluator=person,
        status=PoolStatus.ACCEPTED,
        terms_version=TERMS_VERSION,
        terms_accepted_at=timezone.now(),
    )
    services.conflicts_detect(call=call)
    # The team members and applicants of the factory's proposals write from example.org.
    assert {c.proposal_id for c in Conflict.objects.filter(evaluator=person)} == {
        p.pk for p in proposals
    }


def test_a_webmail_domain_is_not_an_organisation():
    person = UserFactory(roles=[Role.EVALUATOR])
    with pytest.raises(PortalError) as error:
        services.evaluator_profile_save(
            user=person, actor=person, data={"organisation_domain": "gmail.com"}
        )
    assert error.value.field == "organisation_domain"
    assert error.value.message == "gmail.com is a webmail provider, not your organisation's domain."


@pytest.mark.parametrize("name", ["Ada Lovelace", "LOVELACE  Ada", "ada lovelace"])
def test_conflict_detected_for_an_evaluator_named_in_the_team(name):
    call, proposals, _by = call_under_evaluation(proposals=2)
    person = pool_evaluator(call, full_name=name)
    services.conflicts_detect(call=call)
    conflicts = Conflict.objects.filter(evaluator=person)
    assert {c.proposal_id for c in conflicts} == {p.pk for p in proposals}
    assert {tuple(c.reasons) for c in conflicts} == {("team-member",)}


def test_conflict_detected_for_a_team_member_email():
    call, (p0,), _by = call_under_evaluation(proposals=1)
    person = pool_evaluator(call, email="ADA@example.org", full_name="Someone Else")
    services.conflicts_detect(call=call)
    assert _active(p0, person).get().reason == "email address in the team"


def test_conflict_detected_for_the_applicant_themself():
    call, (p0, p1), _by = call_under_evaluation(proposals=2)
    applicant = p0.applicant
    applicant.groups.add(*list(applicant.groups.model.objects.filter(name=Role.EVALUATOR)))
    PoolMember.objects.create(
        call=call,
        evaluator=applicant,
        status=PoolStatus.ACCEPTED,
        terms_version=TERMS_VERSION,
        terms_accepted_at=timezone.now(),
    )
    services.conflicts_detect(call=call)
    assert _active(p0, applicant).get().reasons == ["applicant"]
    assert not _active(p1, applicant).exists()


def test_conflict_detected_for_a_contact_of_the_applicant_organisation():
    from network.models import Organisation, OrganisationContact

    call, (p0, p1), _by = call_under_evaluation(proposals=2)
    person = pool_evaluator(call)
    organisation = Organisation.objects.create(
        name="Org 1", slug="org-1", type="company", country="BE"
    )
    OrganisationContact.objects.create(organisation=organisation, user=person)
    services.conflicts_detect(call=call)
    assert _active(p1, person).get().reasons == ["organisation-contact"]
    assert not _active(p0, person).exists()


def test_conflict_detected_for_declared_collaborators():
    call, (p0, p1, p2), _by = call_under_evaluation()
    person = pool_evaluator(call, profile={"collaborators": "Org 2\nGrace Hopper"})
    services.conflicts_detect(call=call)
    assert _active(p2, person).get().reason == "declared collaborator (Org 2)"
    assert not _active(p0, person).exists()
    assert not _active(p1, person).exists()


def test_a_new_conflict_takes_the_evaluator_off_the_proposal():
    call, (p0,), by = call_under_evaluation(proposals=1)
    person = pool_evaluator(call)
    assign(p0, person, by)
    services.evaluator_profile_save(user=person, actor=person, data={"organisation_name": "Org 0"})
    assert not Assignment.objects.filter(proposal=p0, evaluator=person).exists()
    assert _active(p0, person).exists()
    assert AuditEntry.objects.filter(action="opencalls.evaluation.assignment.remove").count() == 1


def test_detected_conflicts_that_no_longer_apply_are_removed():
    call, (p0,), _by = call_under_evaluation(proposals=1)
    person = pool_evaluator(call, profile={"organisation_name": "Org 0"})
    services.conflicts_detect(call=call)
    assert _active(p0, person).exists()
    services.evaluator_profile_save(user=person, actor=person, data={"organisation_name": "Other"})
    assert not Conflict.objects.filter(evaluator=person).exists()


def test_a_dismissed_conflict_stays_dismissed_until_a_new_reason_appears(
    django_capture_on_commit_callbacks,
):
    call, (p0,), by = call_under_evaluation(proposals=1)
    person = pool_evaluator(call, profile={"organisation_name": "Org 0"})
    services.conflicts_detect(call=call)
    conflict = _active(p0, person).get()
    with pytest.raises(PortalError) as error:
        services.conflict_dismiss(conflict=conflict, actor=by, reason=" ")
    assert error.value.field == "reason"
    services.conflict_dismiss(conflict=conflict, actor=by, reason="A namesake, not the same org.")
    entry = AuditEntry.objects.get(action="opencalls.evaluation.conflict.dismiss")
    assert entry.data == {"evaluator": person.pk, "reason": "A namesake, not the same org."}
    services.conflicts_detect(call=call)
    assert not _active(p0, person).exists()
    # Now the evaluator can be assigned.
    assert assign(p0, person, by).evaluator == person
    # A new reason (named in the team) brings the conflict back and takes them off again.
    person.full_name = "Ada Lovelace"
    person.save(update_fields=["full_name"])
    services.conflicts_detect(call=call)
    assert _active(p0, person).get().reasons == ["same-organisation", "team-member"]
    assert not Assignment.objects.filter(proposal=p0, evaluator=person).exists()


def test_only_managers_confirm_or_dismiss_and_declared_conflicts_stand():
    call, (p0,), by = call_under_evaluation(proposals=1)
    person = pool_evaluator(call)
    assign(p0, person, by)
    declared = services.conflict_declare(proposal=p0, actor=person, reason="My former student.")
    with pytest.raises(PortalError) as error:
        services.conflict_dismiss(conflict=declared, actor=by, reason="No")
    assert error.value.message == "The evaluator declared this conflict: it cannot be dismissed."
    with pytest.raises(PermissionDenied):
        services.conflict_confirm(conflict=declared, actor=person)
    confirmed = services.conflict_confirm(conflict=declared, actor=by)
    assert confirmed.confirmed_by == by


def test_declaring_a_conflict_on_an_assigned_proposal(django_capture_on_commit_callbacks):
    call, (p0, _p1), by = call_under_evaluation(proposals=2)
    person = pool_evaluator(call)
    assign(p0, person, by)
    with pytest.raises(PortalError) as error:
        services.conflict_declare(proposal=p0, actor=person, reason="")
    assert error.value.field == "reason"
    with django_capture_on_commit_callbacks(execute=True):
        services.conflict_declare(proposal=p0, actor=person, reason="I advise this company.")
    assert not Assignment.objects.filter(proposal=p0, evaluator=person).exists()
    assert selectors.evaluator_assignments(user=person).count() == 0
    assert mail.outbox[-1].to == [by.email]
    assert mail.outbox[-1].subject == f"[AI4Media] Conflict of interest declared on {p0.reference}"
    # Someone else's proposal cannot be declared on (it is not theirs to see).
    with pytest.raises(PermissionDenied):
        services.conflict_declare(proposal=_p1, actor=person, reason="Curious")


def test_a_conflict_cannot_be_declared_after_submitting_the_review():
    call, (p0,), by = call_under_evaluation(proposals=1)
    person = pool_evaluator(call)
    review(assign(p0, person, by))
    with pytest.raises(PortalError) as error:
        services.conflict_declare(proposal=p0, actor=person, reason="Late")
    assert error.value.code == "already_submitted"


def test_declaring_an_organisation_reveals_nothing_and_keeps_its_proposals_away():
    call, (p0, p1), by = call_under_evaluation(proposals=2)
    person = pool_evaluator(call)
    services.conflict_declare_organisation(call=call, actor=person, organisation="org 1")
    services.conflict_declare_organisation(call=call, actor=person, organisation="Nobody Ltd")
    member = PoolMember.objects.get(call=call, evaluator=person)
    assert member.declared_organisation_list == ["org 1", "Nobody Ltd"]
    conflict = _active(p1, person).get()
    assert conflict.source == ConflictSource.DECLARED
    assert not _active(p0, person).exists()
    with pytest.raises(PortalError) as error:
        assign(p1, person, by)
    assert error.value.code == "conflict"
    with pytest.raises(PortalError) as error:
        services.conflict_declare_organisation(call=call, actor=person, organisation="  ")
    assert error.value.field == "organisation"


def test_only_pool_members_declare_organisations():
    call, _proposals, _by = call_under_evaluation(proposals=1)
    outsider = UserFactory(roles=[Role.EVALUATOR])
    with pytest.raises(PermissionDenied):
        services.conflict_declare_organisation(call=call, actor=outsider, organisation="Org 0")
