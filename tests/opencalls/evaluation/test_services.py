"""The evaluation's services: conflicts of interest, assignments by hand, reviews, consensus,
ranking from the database, interviews, decisions, reminders and invitations."""

import datetime as dt
import re
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.models import AuditEntry
from ai4media_portal.core.roles import Role
from opencalls.engine import conflicts as engine_conflicts
from opencalls.enums import CallStage, ProposalStatus
from opencalls.evaluation import selectors, services
from opencalls.evaluation.enums import (
    ConflictReason,
    ConflictSource,
    InterviewStatus,
    InvitationStatus,
    PoolStatus,
    ReviewStatus,
)
from opencalls.evaluation.models import (
    Assignment,
    Conflict,
    EvaluationSettings,
    EvaluatorProfile,
    Interview,
    Invitation,
    PoolMember,
    ReviewReminder,
)
from opencalls.evaluation.terms import TERMS_VERSION
from opencalls.models import EvaluationCriterion, Proposal, ProposalVersion
from tests.factories import UserFactory

from .factories import (
    assign,
    call_under_evaluation,
    final_consensus,
    pool_evaluator,
    review,
)

pytestmark = pytest.mark.django_db


def _active(proposal, evaluator):
    return Conflict.objects.filter(proposal=proposal, evaluator=evaluator, active=True)


def _criteria(call):
    return list(call.criteria.order_by("order", "pk"))


# --- Conflict detection -----------------------------------------------------------------------


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


# --- Assignments by hand ----------------------------------------------------------------------


def test_manual_assignment_starts_the_evaluation_and_is_audited():
    call, (p0,), by = call_under_evaluation(proposals=1)
    person = pool_evaluator(call)
    assignment = assign(p0, person, by, locked=True)
    p0.refresh_from_db()
    assert p0.status == ProposalStatus.UNDER_EVALUATION
    assert assignment.locked is True
    assert assignment.source == "manual"
    assert AuditEntry.objects.filter(action="opencalls.evaluation.assignment.add").count() == 1


def test_manual_assignment_to_a_conflicted_evaluator_is_refused_with_the_reason():
    call, (p0,), by = call_under_evaluation(proposals=1)
    person = pool_evaluator(call, full_name="Jo Bloggs", profile={"organisation_name": "Org 0"})
    with pytest.raises(PortalError) as error:
        assign(p0, person, by)
    assert error.value.code == "conflict"
    assert error.value.field == "evaluator"
    assert error.value.message == (
        f"Jo Bloggs has a conflict of interest with {p0.reference} (same organisation (Org 0)): "
        "a conflicted evaluator cannot be assigned."
    )
    assert not Assignment.objects.exists()


def test_manual_assignment_beyond_the_evaluators_maximum_is_refused():
    call, (p0, p1), by = call_under_evaluation(proposals=2)
    person = pool_evaluator(call, max_proposals=1, full_name="Jo Bloggs")
    assign(p0, person, by)
    with pytest.raises(PortalError) as error:
        assign(p1, person, by)
    assert error.value.code == "overloaded"
    assert error.value.message == "Jo Bloggs already has 1 proposals, their maximum for this call."


def test_manual_assignment_refuses_outsiders_duplicates_and_a_full_proposal():
    call, (p0,), by = call_under_evaluation(proposals=1, evaluators_per_proposal=1)
    invited = pool_evaluator(call, status=PoolStatus.INVITED)
    with pytest.raises(PortalError) as error:
        assign(p0, invited, by)
    assert error.value.code == "not_in_pool"
    person, other = pool_evaluator(call), pool_evaluator(call)
    assign(p0, person, by)
    with pytest.raises(PortalError) as error:
        assign(p0, person, by)
    assert error.value.code == "duplicate"
    with pytest.raises(PortalError) as error:
        assign(p0, other, by)
    assert error.value.code == "proposal_full"


def test_manual_assignment_needs_the_call_under_evaluation_and_a_manager():
    call, (p0,), by = call_under_evaluation(proposals=1)
    person = pool_evaluator(call)
    with pytest.raises(PermissionDenied):
        assign(p0, person, person)
    type(call).objects.filter(pk=call.pk).update(stage=CallStage.RESULTS_PUBLISHED)
    p0.call.refresh_from_db()
    with pytest.raises(PortalError) as error:
        assign(p0, person, by)
    assert error.value.code == "not_evaluating"


def test_an_assignment_with_a_submitted_review_stays():
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    review(assignment)
    with pytest.raises(PortalError):
        services.assignment_remove(assignment=assignment, actor=by)
    assert Assignment.objects.filter(pk=assignment.pk).exists()


def test_removing_an_assignment_drops_its_draft():
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    review(assignment, submit=False)
    services.assignment_remove(assignment=assignment, actor=by)
    assert not Assignment.objects.exists()
    entry = AuditEntry.objects.get(action="opencalls.evaluation.assignment.remove")
    assert entry.data == {"evaluator": assignment.evaluator_id, "had_draft": True}


def test_evaluators_are_notified_of_new_assignments_once(django_capture_on_commit_callbacks):
    call, (p0, p1), by = call_under_evaluation(proposals=2)
    person, other = pool_evaluator(call), pool_evaluator(call)
    assign(p0, person, by)
    assign(p1, person, by)
    assign(p0, other, by)
    with django_capture_on_commit_callbacks(execute=True):
        told = services.assignments_notify(call=call, actor=by)
    assert told == 2
    to_person = [m for m in mail.outbox if m.to == [person.email]]
    assert len(to_person) == 1
    assert p0.reference in to_person[0].body
    assert p1.reference in to_person[0].body
    assert (
        to_person[0].subject
        == f"[AI4Media] 2 new proposals to evaluate in Open Call #{call.number}"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.assignments_notify(call=call, actor=by) == 0
    assert mail.outbox == []
    assign(p1, other, by)
    with django_capture_on_commit_callbacks(execute=True):
        services.assignments_notify(call=call, actor=by)
    assert [m.to for m in mail.outbox] == [[other.email]]
    assert p1.reference in mail.outbox[0].body
    assert p0.reference not in mail.outbox[0].body


# --- Reviews ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("5.5", "Scores go from 0 to 5."),
        ("-1", "Scores go from 0 to 5."),
        ("2.3", "Scores go in half points, for example 3 or 3.5."),
        ("three", "Enter a number, for example 3 or 3.5."),
    ],
)
def test_bad_scores_are_refused_by_field_and_the_rest_of_the_draft_is_kept(typed, message):
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    excellence, impact, _implementation = _criteria(call)
    services.review_save_draft(
        assignment=assignment, actor=assignment.evaluator, scores={excellence.pk: "4"}
    )
    outcome = services.review_save_draft(
        assignment=assignment,
        actor=assignment.evaluator,
        scores={excellence.pk: typed, impact.pk: "3.5"},
        comments={excellence.pk: "Clear and novel."},
    )
    assert outcome.errors == {f"score_{excellence.pk}": [message]}
    values = selectors.review_values(outcome.obj)
    assert values[excellence.pk].score == Decimal("4.0")  # the previous value stays
    assert values[excellence.pk].comment == "Clear and novel."
    assert values[impact.pk].score == Decimal("3.5")


def test_submitting_needs_every_score_and_comment_and_keeps_the_draft():
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    excellence, impact, implementation = _criteria(call)
    services.review_save_draft(
        assignment=assignment,
        actor=assignment.evaluator,
        scores={excellence.pk: "4", impact.pk: "3"},
        comments={excellence.pk: "Strong."},
    )
    with pytest.raises(ValidationError) as error:
        services.review_submit(assignment=assignment, actor=assignment.evaluator)
    assert error.value.message_dict == {
        f"comment_{impact.pk}": ["Explain your score for Impact."],
        f"score_{implementation.pk}": ["Give a score."],
        f"comment_{implementation.pk}": ["Explain your score for Implementation."],
    }
    review_row = selectors.review_of(Assignment.objects.get(pk=assignment.pk))
    assert review_row.status == ReviewStatus.DRAFT
    assert selectors.review_values(review_row)[excellence.pk].comment == "Strong."


def test_a_submitted_review_is_locked():
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    submitted = review(assignment)
    assert submitted.status == ReviewStatus.SUBMITTED
    with pytest.raises(PortalError) as error:
        services.review_save_draft(
            assignment=assignment, actor=assignment.evaluator, overall_comment="Changed my mind"
        )
    assert error.value.code == "locked"
    with pytest.raises(PortalError) as error:
        services.review_submit(assignment=assignment, actor=assignment.evaluator)
    assert error.value.code == "invalid_transition"


def test_a_review_after_the_deadline_is_refused_unless_extended():
    call, (p0,), by = call_under_evaluation(proposals=1)
    deadline = dt.datetime(2031, 3, 1, 17, 0, tzinfo=dt.UTC)
    EvaluationSettings.objects.filter(call=call).update(review_deadline=deadline)
    assignment = assign(p0, pool_evaluator(call), by)
    review(assignment, submit=False)
    with time_machine.travel(deadline, tick=False), pytest.raises(PortalError) as error:
        services.review_submit(assignment=assignment, actor=assignment.evaluator)
    assert error.value.code == "deadline_passed"
    assert error.value.message == (
        "The review deadline passed on 1 March 2031, 18:00 CET: the review can no longer be "
        "submitted. Ask the call team to extend your deadline."
    )
    with time_machine.travel(deadline - dt.timedelta(seconds=1), tick=False):
        services.assignment_extend(
            assignment=assignment, actor=by, until=deadline + dt.timedelta(days=2)
        )
    with time_machine.travel(deadline + dt.timedelta(days=1), tick=False):
        assert (
            services.review_submit(assignment=assignment, actor=assignment.evaluator).status
            == ReviewStatus.SUBMITTED
        )


def test_only_the_assigned_unconflicted_evaluator_writes_the_review():
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    other = pool_evaluator(call)
    for actor in (other, by, p0.applicant):
        with pytest.raises(PermissionDenied):
            services.review_save_draft(assignment=assignment, actor=actor, overall_comment="x")
    Conflict.objects.create(
        call=call,
        proposal=p0,
        evaluator=assignment.evaluator,
        source=ConflictSource.DETECTED,
        reason="Found late",
    )
    with pytest.raises(PermissionDenied):
        services.review_save_draft(
            assignment=assignment, actor=assignment.evaluator, overall_comment="x"
        )


def test_other_reviews_are_hidden_until_ones_own_is_submitted_then_anonymised():
    call, (p0,), by = call_under_evaluation(proposals=1)
    first, second, third = (assign(p0, pool_evaluator(call), by) for _ in range(3))
    criteria = _criteria(call)
    review(first, (5, 5, 5), {"Excellence": "First's view."})
    review(third, submit=False)
    assert selectors.peer_reviews(assignment=second, criteria=criteria) is None
    review(second, (3, 3, 3))
    peers = selectors.peer_reviews(
        assignment=Assignment.objects.get(pk=second.pk), criteria=criteria
    )
    assert [(p.label, p.is_own, p.total) for p in peers] == [
        ("A", False, Decimal(15)),
        ("B", True, Decimal(9)),
    ]
    assert peers[0].scores[0][2] == "First's view."
    # The third's draft is not shown to anyone.
    assert all(p.label != "C" for p in peers)


def test_the_rapporteur_hears_when_every_review_is_in(django_capture_on_commit_callbacks):
    call, (p0,), by = call_under_evaluation(proposals=1)
    first, second = (assign(p0, pool_evaluator(call), by) for _ in range(2))
    with django_capture_on_commit_callbacks(execute=True):
        services.consensus_set_rapporteur(proposal=p0, actor=by, rapporteur=first.evaluator)
    assert "You will be told when every review is in." in mail.outbox[-1].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review(first)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        review(second)
    assert [m.to for m in mail.outbox] == [[first.evaluator.email]]
    assert mail.outbox[0].subject == (
        f"[AI4Media] Every review of {p0.reference} is in: the consensus can start"
    )


# --- Consensus --------------------------------------------------------------------------------


def test_disagreements_are_flagged_and_evaluators_calibrated():
    call, (p0, p1), by = call_under_evaluation(proposals=2)
    people = [pool_evaluator(call) for _ in range(3)]
    for person, scores in zip(people, [(4.5, 4, 4), (2.5, 4, 4), (4, 4, 4)], strict=True):
        review(assign(p0, person, by), scores)
    for person, scores in zip(people, [(4, 4, 4), (3.5, 3.5, 4), (4, 4, 4.5)], strict=True):
        review(assign(p1, person, by), scores)
    analysis = selectors.call_analysis(call)
    assert analysis.flag_texts(p0.pk) == [
        "Excellence: scores range from 2.5 to 4.5, a spread of 2.",
        "Excellence: 2 evaluators at or above the threshold of 3 and 1 evaluator below it.",
    ]
    assert analysis.flag_texts(p1.pk) == []
    harsh = analysis.calibration[people[1].pk]
    assert harsh.tendency.value == "harsh"
    assert harsh.z_scores == {p0.pk: -1.0, p1.pk: 1.0}
    progress = selectors.call_progress(call)
    assert [row.proposal for row in progress.proposals] == [p0, p1]  # flagged first
    assert progress.totals["flagged"] == 1


def test_the_rapporteur_is_one_of_the_evaluators_without_a_conflict():
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    outsider = pool_evaluator(call)
    with pytest.raises(PortalError) as error:
        services.consensus_set_rapporteur(proposal=p0, actor=by, rapporteur=outsider)
    assert error.value.field == "rapporteur"
    with pytest.raises(PermissionDenied):
        services.consensus_set_rapporteur(
            proposal=p0, actor=assignment.evaluator, rapporteur=assignment.evaluator
        )


def test_the_rapporteur_writes_the_consensus_once_every_review_is_in():
    call, (p0,), by = call_under_evaluation(proposals=1)
    first, second = (assign(p0, pool_evaluator(call), by) for _ in range(2))
    services.consensus_set_rapporteur(proposal=p0, actor=by, rapporteur=first.evaluator)
    review(first)
    with pytest.raises(PortalError) as error:
        services.consensus_save(proposal=p0, actor=first.evaluator, summary="Early")
    assert error.value.code == "reviews_pending"
    with pytest.raises(PermissionDenied):
        services.consensus_save(proposal=p0, actor=second.evaluator, summary="Not mine")
    review(second)
    criteria = _criteria(call)
    outcome = services.consensus_save(
        proposal=p0,
        actor=first.evaluator,
        scores={criteria[0].pk: "4.5", criteria[1].pk: "6"},
        comments={criteria[0].pk: "Agreed: excellent."},
        summary="A strong proposal.",
    )
    assert outcome.errors == {f"score_{criteria[1].pk}": ["Scores go from 0 to 5."]}
    with pytest.raises(ValidationError) as error:
        services.consensus_finalise(proposal=p0, actor=first.evaluator)
    assert sorted(error.value.message_dict) == [
        f"comment_{criteria[1].pk}",
        f"comment_{criteria[2].pk}",
        f"score_{criteria[1].pk}",
        f"score_{criteria[2].pk}",
    ]
    report = final_consensus(p0, first.evaluator)
    assert report.is_final
    with pytest.raises(PortalError):
        services.consensus_save(proposal=p0, actor=by, summary="Too late")
    services.consensus_reopen(proposal=p0, actor=by)
    with pytest.raises(PermissionDenied):
        services.consensus_reopen(proposal=p0, actor=first.evaluator)


# --- Ranking from the database ----------------------------------------------------------------


def _evaluated(call, by, proposals, consensus):
    """Give each proposal one submitted review and a final consensus with ``consensus``."""
    person = pool_evaluator(call, max_proposals=50)
    for proposal, scores in zip(proposals, consensus, strict=True):
        review(assign(proposal, person, by), scores)
        final_consensus(proposal, by, scores)


def test_ranking_breaks_ties_in_the_calls_order_and_draws_the_budget_line():
    call, proposals, by = call_under_evaluation(proposals=6, total_budget=Decimal("180000"))
    funding = [Decimal(x) for x in ("45000", "30000", "60000", "50000", "20000", "45000")]
    for proposal, amount in zip(proposals, funding, strict=True):
        ProposalVersion.objects.filter(pk=proposal.current_version_id).update(
            requested_funding=amount
        )
    consensus = [
        (4, 4, 4),  # 12, tied with #2 and #3
        (4.5, 3.5, 4),  # 12: Excellence 4.5 wins the tie
        (4, 4, 4),  # 12: same as #0, submitted later
        (5, 5, 5),  # 15: first
        (2.5, 5, 5),  # below the Excellence threshold
        (3, 3, 3.5),  # 9.5: below the overall threshold
    ]
    _evaluated(call, by, proposals, consensus)
    (research, application) = selectors.call_ranking(call, with_interviews=False)
    assert application.rows == []
    # Two tracks share the budget by projects to fund (5 and 5): 90,000 for Research.
    assert research.budget == Decimal("90000.00")
    rows = [(r.proposal, r.ranked.rank, r.ranked.decision.value, r.tie_text) for r in research.rows]
    assert rows == [
        (proposals[3], 1, "fund", ""),
        (proposals[1], 2, "fund", ""),
        (proposals[0], 3, "reserve", "Tie broken by Excellence"),
        (proposals[2], 4, "reserve", "Tie broken by the earlier submission"),
    ]
    assert research.rows[1].ranked.cumulative_funding == Decimal("80000.00")
    assert research.ranking.funded_total == Decimal("80000.00")
    below = {r.proposal: r.reasons for r in research.below}
    assert below == {
        proposals[4]: ["Excellence 2.5 is below the threshold of 3."],
        proposals[5]: ["The total 9.5 is below the overall threshold of 10."],
    }
    (whole,) = selectors.call_ranking(call, with_interviews=False, whole_call=True)
    assert whole.budget == Decimal("180000")
    assert [r.ranked.decision.value for r in whole.rows] == ["fund", "fund", "fund", "reserve"]


def test_ranking_is_provisional_until_the_consensus_is_final():
    call, (p0, p1), by = call_under_evaluation(proposals=2)
    people = [pool_evaluator(call) for _ in range(2)]
    for person, scores in zip(people, [(4, 4, 4), (5, 4, 4)], strict=True):
        review(assign(p0, person, by), scores)
    assign(p1, people[0], by)
    (research, _application) = selectors.call_ranking(call)
    assert [(r.proposal, r.provisional, r.ranked.written_total) for r in research.rows] == [
        (p0, True, Decimal("12.5"))  # suggestion: 4.5 (4.5 rounded), 4, 4
    ]
    assert research.missing == [p1]
    (final_only, _application) = selectors.call_ranking(call, provisional=False)
    assert final_only.rows == []


def test_track_budgets_follow_the_projects_each_track_funds():
    call, _proposals, _by = call_under_evaluation(proposals=1, total_budget=Decimal("300000"))
    research, application = call.tracks.order_by("order")
    research.projects_to_fund = 4
    research.save()
    application.projects_to_fund = 2
    application.save()
    assert selectors.track_budgets(call, call.tracks.all()) == {
        research.pk: Decimal("200000.00"),
        application.pk: Decimal("100000.00"),
    }


# --- Interviews -------------------------------------------------------------------------------


def test_top_proposals_per_track_are_invited_and_book_slots(django_capture_on_commit_callbacks):
    call, proposals, by = call_under_evaluation(proposals=3, interviews_per_track=2)
    _evaluated(call, by, proposals, [(4, 4, 4), (5, 5, 5), (3, 3, 3.5)])
    with django_capture_on_commit_callbacks(execute=True):
        invited = services.interviews_invite(call=call, actor=by)
    assert [i.proposal for i in invited] == [proposals[1], proposals[0]]
    assert set(Proposal.objects.filter(status=ProposalStatus.INTERVIEW)) == {
        proposals[0],
        proposals[1],
    }
    assert {m.to[0] for m in mail.outbox} == {
        proposals[0].applicant.email,
        proposals[1].applicant.email,
    }
    assert all("/interview/" in m.body for m in mail.outbox)
    # Inviting again changes nothing.
    assert services.interviews_invite(call=call, actor=by) == []
    soon = timezone.now() + dt.timedelta(days=3)
    slot = services.interview_slot_add(
        call=call, actor=by, starts_at=soon, duration_minutes=30, location="Room 2"
    )
    first, second = invited
    with django_capture_on_commit_callbacks(execute=True):
        services.interview_book(interview=first, actor=first.proposal.applicant, slot=slot)
    assert "Where: Room 2" in mail.outbox[-1].body
    with pytest.raises(PortalError) as error:
        services.interview_book(interview=second, actor=second.proposal.applicant, slot=slot)
    assert error.value.message == "Someone has just booked this slot: choose another."
    with pytest.raises(PermissionDenied):
        services.interview_book(interview=second, actor=first.proposal.applicant, slot=slot)
    with pytest.raises(PortalError) as error:
        services.interview_slot_add(
            call=call,
            actor=by,
            starts_at=timezone.now() - dt.timedelta(hours=1),
            duration_minutes=30,
            location="Room 2",
        )
    assert error.value.field == "starts_at"


def test_interviews_need_final_consensus_reports():
    call, proposals, by = call_under_evaluation(proposals=2, interviews_per_track=1)
    review(assign(proposals[0], pool_evaluator(call), by))
    with pytest.raises(PortalError) as error:
        services.interviews_invite(call=call, actor=by)
    assert error.value.code == "consensus_missing"


def test_interview_scores_are_validated_and_combined_as_the_call_says():
    call, proposals, by = call_under_evaluation(proposals=2, interviews_per_track=2)
    _evaluated(call, by, proposals, [(4, 4, 4), (4.5, 4, 4)])
    EvaluationSettings.objects.filter(call=call).update(
        interview_weight=Decimal("0.5"), interview_max_score=Decimal(10)
    )
    first, second = services.interviews_invite(call=call, actor=by)
    with pytest.raises(PortalError) as error:
        services.interview_record(interview=first, actor=by, score="10.5")
    assert error.value.field == "score"
    assert error.value.message == "Scores go from 0 to 10."
    services.interview_record(interview=first, actor=by, score="4", notes="Weak demo.")
    services.interview_record(interview=second, actor=by, score="10", notes="Great demo.")
    assert Interview.objects.get(pk=second.pk).status == InterviewStatus.HELD
    (research, _application) = selectors.call_ranking(call)
    # proposals[1]: 0.5 × 12.5 + 0.5 × 6 = 9.25; proposals[0]: 0.5 × 12 + 0.5 × 15 = 13.5.
    assert [(r.proposal, r.ranked.final_score) for r in research.rows] == [
        (proposals[0], Decimal("13.5")),
        (proposals[1], Decimal("9.25")),
    ]


# --- Decisions and results --------------------------------------------------------------------


def test_decisions_follow_the_ranking_and_applicants_get_their_report(
    django_capture_on_commit_callbacks,
):
    call, proposals, by = call_under_evaluation(proposals=3, total_budget=Decimal("100000"))
    for track in call.tracks.all():
        track.projects_to_fund = 1
        track.save()
    people = [pool_evaluator(call, full_name=f"Secret Expert {i}") for i in range(2)]
    for proposal, scores in zip(proposals, [(5, 5, 5), (4, 4, 4), (2, 2, 2)], strict=True):
        for person in people:
            review(assign(proposal, person, by), scores)
        final_consensus(proposal, by, scores, summary="Summary for the applicant.")
    with django_capture_on_commit_callbacks(execute=True):
        counts = services.decisions_apply(call=call, actor=by, message="Thank you for applying.")
    assert counts == {"selected": 1, "reserve": 1, "rejected": 1}
    statuses = [Proposal.objects.get(pk=p.pk).status for p in proposals]
    assert statuses == [ProposalStatus.SELECTED, ProposalStatus.RESERVE, ProposalStatus.REJECTED]
    decision_mails = [m for m in mail.outbox if "Evaluation Summary Report" in m.body]
    assert len(decision_mails) == 3
    for message in mail.outbox:
        assert "Secret Expert" not in message.body
        assert people[0].email not in message.body
    assert f"/calls/evaluation/proposals/{proposals[0].pk}/summary/" in decision_mails[0].body
    assert AuditEntry.objects.filter(action="opencalls.proposal.decide").count() == 3
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.results_publish(call=call, actor=by)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.applicant.email for p in proposals)
    report = selectors.summary_report(Proposal.objects.get(pk=proposals[2].pk))
    assert report.passed is False
    assert report.decision == "Not selected"
    assert report.reasons[0] == "Excellence 2 is below the threshold of 3."


def test_decisions_wait_for_every_consensus_and_interview():
    call, proposals, by = call_under_evaluation(proposals=2, interviews_per_track=1)
    _evaluated(call, by, proposals[:1], [(4, 4, 4)])
    assign(proposals[1], pool_evaluator(call), by)
    with pytest.raises(PortalError) as error:
        services.decisions_apply(call=call, actor=by)
    assert error.value.message == "1 proposals have no final consensus yet: finish them first."
    Proposal.objects.filter(pk=proposals[1].pk).update(status=ProposalStatus.ELIGIBLE)
    Assignment.objects.filter(proposal=proposals[1]).delete()
    services.interviews_invite(call=call, actor=by)
    with pytest.raises(PortalError) as error:
        services.decisions_apply(call=call, actor=by)
    assert error.value.message == "1 interviews have not been recorded yet."


def test_results_cannot_be_published_before_every_outcome():
    call, (_p0,), by = call_under_evaluation(proposals=1)
    with pytest.raises(PortalError) as error:
        services.results_publish(call=call, actor=by)
    assert error.value.message == "1 proposals have no final outcome yet."


# --- Reminders --------------------------------------------------------------------------------


def test_reviewers_are_reminded_three_days_and_one_day_before_once_each(
    django_capture_on_commit_callbacks,
):
    call, (p0, p1), by = call_under_evaluation(proposals=2)
    deadline = timezone.now() + dt.timedelta(days=10)
    EvaluationSettings.objects.filter(call=call).update(review_deadline=deadline)
    person = pool_evaluator(call)
    assign(p0, person, by)
    review(assign(p1, person, by))  # submitted: never reminded
    conflicted = pool_evaluator(call)
    assign(p0, conflicted, by)
    Conflict.objects.create(
        call=call, proposal=p0, evaluator=conflicted, source="detected", reason="Late"
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.review_reminders_send(now=deadline - dt.timedelta(days=5)) == {
            "three_days": 0,
            "one_day": 0,
            "overdue": 0,
        }
        assert services.review_reminders_send(now=deadline - dt.timedelta(days=2, hours=20)) == {
            "three_days": 1,
            "one_day": 0,
            "overdue": 0,
        }
        services.review_reminders_send(now=deadline - dt.timedelta(days=2))
        assert services.review_reminders_send(now=deadline - dt.timedelta(hours=20)) == {
            "three_days": 0,
            "one_day": 1,
            "overdue": 0,
        }
        services.review_reminders_send(now=deadline - dt.timedelta(hours=2))
    assert [m.to for m in mail.outbox] == [[person.email], [person.email]]
    assert mail.outbox[0].subject == "[AI4Media] Your reviews are due in three days"
    assert mail.outbox[1].subject == "[AI4Media] Your reviews are due tomorrow"
    assert p0.reference in mail.outbox[1].body
    assert p1.reference not in mail.outbox[1].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.review_reminders_send(now=deadline + dt.timedelta(hours=1))["overdue"] == 1
        assert services.review_reminders_send(now=deadline + dt.timedelta(days=1))["overdue"] == 0
    assert [m.to for m in mail.outbox] == [[by.email]]
    assert person.email in mail.outbox[0].body
    assert conflicted.email not in mail.outbox[0].body
    assert ReviewReminder.objects.count() == 3


# --- Pool and invitations ---------------------------------------------------------------------


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
