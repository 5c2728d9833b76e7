"""Factories and helpers for open-calls tests. Proposals are submitted through the real
service, so tests exercise the same path as applicants do."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ai4media_portal.core.roles import Role
from opencalls import services
from opencalls.enums import CallStage, ProposalStatus, ScreeningOutcome, TrackKind
from opencalls.models import (
    Call,
    Challenge,
    EligibilityItem,
    EvaluationCriterion,
    Proposal,
    Track,
)
from tests.factories import UserFactory

MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name="proposal.pdf", content=MINIMAL_PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class CallFactory(factory.django.DjangoModelFactory):
    """A published call, open now, with a Research and an Application track (two challenges
    each), three criteria and a three-item eligibility checklist."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Call {n}")
    summary = "Funding for AI and media."
    description = "Equity-free funding for AI research and applications for media."
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    timezone = "Europe/Brussels"
    total_budget = Decimal("500000.00")
    max_funding = Decimal("50000.00")
    stage = CallStage.PUBLISHED

    @factory.post_generation
    def structure(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        for order, (kind, months) in enumerate(
            [(TrackKind.RESEARCH, 12), (TrackKind.APPLICATION, 9)]
        ):
            track = Track.objects.create(
                call=self, kind=kind, name=kind.label, duration_months=months, order=order
            )
            for i in (1, 2):
                Challenge.objects.create(
                    track=track, code=f"{kind.value[0].upper()}{i}", title=f"{kind.label} {i}"
                )
        for order, name in enumerate(["Excellence", "Impact", "Implementation"]):
            EvaluationCriterion.objects.create(call=self, order=order, name=name)
        for order, text in enumerate(["Legal entity in the EU", "One challenge", "Budget cap"]):
            EligibilityItem.objects.create(call=self, order=order, text=text)


def applicant(**kwargs):
    return UserFactory(**kwargs)


def manager():
    return UserFactory(roles=[Role.CALL_MANAGER])


def complete_draft(
    *, call=None, user=None, registration="0123.456.789", country="BE", milestones=None, **fields
):
    """A draft with everything a submission needs, saved through the draft service."""
    call = call or CallFactory()
    user = user or applicant()
    proposal = services.proposal_start(call=call, actor=user)
    challenge = Challenge.objects.filter(track__call=call, track__kind=TrackKind.RESEARCH).first()
    values = {
        "organisation_name": "Lumen Labs",
        "organisation_type": "sme",
        "organisation_country": country,
        "organisation_registration_number": registration,
        "organisation_is_sme": True,
        "challenge": challenge,
        "acronym": "LUMEN",
        "title": "Provenance for news images",
        "abstract": "We trace where images come from.",
        "requested_funding": Decimal("45000.00"),
        "duration_months": 12,
        "declare_honour": True,
        "declare_no_double_funding": True,
        "declare_privacy": True,
        **fields,
    }
    return services.proposal_save_draft(
        proposal=proposal,
        actor=user,
        fields=values,
        team=[{"full_name": "Ada Lovelace", "email": "ada@example.org", "role": "Lead"}],
        budget=[
            {"category": "personnel", "amount": Decimal("40000.00"), "justification": "Staff"},
            {"category": "travel", "amount": Decimal("5000.00"), "justification": "Bootcamps"},
        ],
        milestones=milestones
        or [{"month": 6, "title": "Prototype"}, {"month": 12, "title": "Release"}],
        document=pdf_upload(),
    )


def submitted(**kwargs) -> Proposal:
    proposal = complete_draft(**kwargs)
    services.proposal_submit(proposal=proposal, actor=proposal.applicant)
    proposal.refresh_from_db()
    return proposal


def close(call: Call) -> Call:
    """Move the call's deadline into the past (the deadline itself is tested elsewhere)."""
    Call.objects.filter(pk=call.pk).update(
        opens_at=timezone.now() - timedelta(days=30), closes_at=timezone.now() - timedelta(days=1)
    )
    call.refresh_from_db()
    return call


def eligible(proposal: Proposal, by) -> Proposal:
    items = proposal.call.checklist.all()
    services.proposal_screen(
        proposal=proposal,
        actor=by,
        checks=[services.CheckInput(item.pk, True) for item in items],
        outcome=ScreeningOutcome.ELIGIBLE,
    )
    proposal.refresh_from_db()
    return proposal


def selected(*, by=None, **kwargs) -> Proposal:
    by = by or manager()
    proposal = submitted(**kwargs)
    close(proposal.call)
    eligible(proposal, by)
    services.proposal_decide(proposal=proposal, actor=by, outcome=ProposalStatus.SELECTED)
    proposal.refresh_from_db()
    return proposal


def funded(*, by=None, start=None, **kwargs):
    by = by or manager()
    proposal = selected(by=by, **kwargs)
    return services.funded_project_create(
        proposal=proposal,
        actor=by,
        agreement_reference=f"GA-{proposal.pk}",
        start_date=start or timezone.localdate(),
    )
