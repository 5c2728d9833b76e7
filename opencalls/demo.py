"""Demo data: Open Call #1 (1 Sep – 1 Dec 2021 17:00 Brussels; results published, ten funded
projects completed), Open Call #2 (a later call under evaluation, with proposals in every
state and its first funded projects running) and Open Call #3, open now.

Rows are written directly rather than through the services: the calls are in the past (the
services would rightly refuse) and the demo should not send hundreds of emails. So the states
of calls and proposals are set here in bulk, not by their one writer
(``services.proposal_set_status``, ``services.call_set_stage``): the demo's proposals and calls
have no status history and no audit entries for the moves they never made.

One module of some 900 lines on purpose: it is data, read top to bottom as the story of three
calls; split up, the story would be scattered and no module simpler.
"""

import hashlib
import zoneinfo
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db.models import Max

from ai4media_portal.core.files import private_storage
from ai4media_portal.core.roles import Role
from network.services import organisation_record_beneficiary

from .enums import (
    BudgetCategory,
    CallStage,
    DeliverableKind,
    DeliverableStatus,
    OrganisationType,
    OutputKind,
    ProjectStatus,
    ProposalStatus,
    ScreeningOutcome,
    SupportKind,
    TrackKind,
    TrancheStatus,
)
from .models import (
    Call,
    CallFaq,
    Challenge,
    Deliverable,
    DeliverableSubmission,
    DemoDayPitch,
    EligibilityCheck,
    EligibilityItem,
    EligibilityScreening,
    EvaluationCriterion,
    FundedProject,
    OutputLink,
    Proposal,
    ProposalBudgetLine,
    ProposalMilestone,
    ProposalTeamMember,
    ProposalVersion,
    SupportSession,
    Track,
    Tranche,
)
from .services.projects import DIRECTORY_TYPES, add_months
from .services.proposals import proposal_snapshot, registration_key

DEMO_VERSION = 3
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")

RESEARCH_CHALLENGES = [
    ("R1", "Trustworthy AI for media", "Explainable, robust and fair AI for media workflows."),
    ("R2", "AI at the edge", "Efficient learning and inference on devices close to the user."),
    ("R3", "Content-centred AI", "New methods for multimedia analysis, synthesis and search."),
    ("R4", "Human- and society-centred AI", "Understanding online debate and news consumption."),
]
APPLICATION_CHALLENGES = [
    ("A1", "Countering disinformation", "Tools that help verify content and sources."),
    ("A2", "AI for news production", "Assistants for newsrooms, from research to publishing."),
    ("A3", "Media moderation", "Detecting harmful content at scale, with humans in the loop."),
    ("A4", "Audiovisual archives", "Organising, enriching and reusing archive collections."),
    ("A5", "Games and artistic co-creation", "AI that creates together with people."),
]
CHECKLIST = [
    (
        "The applicant is a legal entity established in an EU Member State or a Horizon Europe "
        "associated country.",
        "Check the registration number and country against the national register.",
    ),
    ("The applicant is not a partner of the AI4Media consortium.", ""),
    ("The proposal addresses one challenge of the chosen track.", ""),
    ("The requested funding is at most €50,000 and the budget adds up.", ""),
    ("The proposal document follows the template, is in English and within 15 pages.", ""),
    ("All declarations are signed.", ""),
]
FAQS = [
    (
        "Who can apply?",
        "Start-ups, SMEs, research institutions, universities and other legal entities "
        "established in the EU or a Horizon Europe associated country.",
    ),
    (
        "Can we submit more than one proposal?",
        "No: an organisation may have only one submitted proposal per call. You may resubmit "
        "your proposal as often as you like before the deadline; the latest version counts.",
    ),
    (
        "Is the funding equity-free?",
        "Yes. Funded projects receive up to €50,000 as a lump-sum sub-grant, paid in tranches "
        "(pre-financing, interim and final payment) against deliverables.",
    ),
    (
        "What happens after the deadline?",
        "An eligibility check, a remote evaluation by three independent experts, then an "
        "interview with the best proposals of each track.",
    ),
]
ORG_STEMS = [
    "Lumen",
    "Datavox",
    "Mediatrix",
    "Sonora",
    "Veritas",
    "Pixelwise",
    "Newsflow",
    "Archivia",
    "Kairos",
    "Nordlys",
    "Agora",
    "Fabula",
    "Spectra",
    "Clarion",
    "Helix",
    "Ondina",
]
ORG_KINDS = [
    ("Labs", OrganisationType.SME, True),
    ("AI", OrganisationType.SME, True),
    ("University", OrganisationType.UNIVERSITY, False),
    ("Research Institute", OrganisationType.RESEARCH, False),
    ("Media", OrganisationType.COMPANY, False),
    ("Foundation", OrganisationType.NGO, False),
]
COUNTRIES = ["BE", "DE", "FR", "IT", "ES", "GR", "NL", "PT", "PL", "IE", "AT", "SE", "FI", "CZ"]
PROJECT_WORDS = [
    ("VERIFY", "Verifiable provenance for news images"),
    ("EDGEMED", "On-device media analysis with tiny models"),
    ("FAIRFEED", "Auditing fairness in recommendation feeds"),
    ("ARCHEO", "Semantic enrichment of broadcast archives"),
    ("NEWSBOT", "A research assistant for local newsrooms"),
    ("MODERATE", "Explainable moderation of user comments"),
    ("COCREATE", "Human-AI co-creation of soundscapes"),
    ("DEEPTRACE", "Tracing manipulated video across platforms"),
    ("CLARITY", "Explaining automated editorial decisions"),
    ("POLYGLOT", "Multilingual fact-check retrieval"),
    ("GAMEFORGE", "Procedural level design with player feedback"),
    ("SUBTITLER", "Low-latency subtitling for live events"),
    ("TRUSTLENS", "Robustness tests for media classifiers"),
    ("ECHOMAP", "Mapping echo chambers in online debate"),
    ("FRAMEKIT", "Shot-boundary and scene search for editors"),
    ("SYNTHDET", "Detecting synthetic speech in podcasts"),
    ("HERITAGE", "Colourising and restoring archive film"),
    ("CIVICAI", "Summaries of parliamentary debates"),
    ("LOCALNEWS", "Automated data stories for local media"),
    ("SAFESPACE", "Protecting journalists from online abuse"),
]


def seed(ctx) -> None:
    manager = ctx.demo_user("call.manager", "Marta Calls", roles=[Role.CALL_MANAGER])
    applicant = ctx.demo_user("applicant", "Anna Applicant")
    beneficiary = ctx.demo_user("beneficiary", "Bruno Beneficiary")
    others = _bulk_applicants(ctx, 80)

    oc1 = _call(
        ctx,
        number=1,
        title="AI for media: research and applications",
        opens=datetime(2021, 9, 1, 0, 0, tzinfo=BRUSSELS),
        closes=datetime(2021, 12, 1, 17, 0, tzinfo=BRUSSELS),
        stage=CallStage.RESULTS_PUBLISHED,
        durations=(12, 9),
        manager=manager,
    )
    today = ctx.now.astimezone(BRUSSELS).date()
    oc2_closes = datetime.combine(add_months(today, -7), datetime.min.time(), BRUSSELS)
    oc2 = _call(
        ctx,
        number=2,
        title="Trustworthy and human-centred AI for the media",
        opens=oc2_closes - timedelta(days=91),
        closes=oc2_closes.replace(hour=17),
        stage=CallStage.UNDER_EVALUATION,
        durations=(12, 9),
        manager=manager,
    )
    oc3_closes = datetime.combine(today + timedelta(days=24), datetime.min.time(), BRUSSELS)
    oc3 = _call(
        ctx,
        number=3,
        title="Generative AI for a trustworthy media ecosystem",
        opens=oc3_closes - timedelta(days=60),
        closes=oc3_closes.replace(hour=17),
        stage=CallStage.PUBLISHED,
        durations=(12, 9),
        manager=manager,
    )

    if not oc1.proposals.exists():
        _seed_call_one(ctx, oc1, applicant, beneficiary, others, manager)
    if not oc2.proposals.exists():
        _seed_call_two(ctx, oc2, applicant, beneficiary, others, manager, today)
    if not oc3.proposals.exists():
        _seed_call_three(ctx, oc3, applicant, others)
    _bulk_proposals(ctx, oc1, others)
    _list_beneficiaries(manager)
    # The evaluation (evaluators, assignments, reviews, consensus, interviews) of these calls.
    from .evaluation import demo as evaluation_demo

    evaluation_demo.seed(ctx)


def _list_beneficiaries(manager) -> None:
    """Funded organisations appear in the network's directory with the open-call beneficiary
    role, as funded_project_create does for projects set up on the portal."""
    unlisted = FundedProject.objects.filter(organisation__isnull=True).order_by("start_date")
    for project in unlisted.select_related("proposal__current_version"):
        version = project.proposal.current_version
        project.organisation = organisation_record_beneficiary(
            name=project.organisation_name,
            country=str(project.organisation_country),
            organisation_type=DIRECTORY_TYPES[version.data["organisation"]["type"]],
            since=project.start_date,
            actor=manager,
        )
        project.save(update_fields=["organisation"])


# --- Calls ------------------------------------------------------------------------------------


def _call(ctx, *, number, title, opens, closes, stage, durations, manager) -> Call:
    call, created = Call.objects.get_or_create(
        number=number,
        defaults={
            "title": title,
            "summary": "Up to €50,000 equity-free funding for AI research and applications "
            "for the media sector.",
            "description": (
                f"Open Call #{number} of the AI4Media network funds external projects that "
                "develop innovative AI research or applications for the media, society and "
                "democracy. Projects join the AI4Media ecosystem: they receive coaching, "
                "bootcamps, business support and promotion, and present their results at a "
                "DemoDay.\n\nThe call has a Research track and an Application track, each with "
                "its challenges. Proposals are checked for eligibility, evaluated remotely by "
                "three independent experts, and the best of each track are interviewed."
            ),
            "opens_at": opens,
            "closes_at": closes,
            "timezone": "Europe/Brussels",
            "total_budget": Decimal("500000.00"),
            "max_funding": Decimal("50000.00"),
            "interview_enabled": True,
            "interviews_per_track": 8,
            # Demo data: the stage is set directly, not by call_set_stage (see the docstring).
            "stage": stage,
            "published_at": opens - timedelta(days=14),
            "created_by": manager,
        },
    )
    if not created:
        return call
    research = Track.objects.create(
        call=call,
        kind=TrackKind.RESEARCH,
        name="Research",
        description="New AI methods that advance the state of the art for media.",
        duration_months=durations[0],
        projects_to_fund=5,
        order=0,
    )
    application = Track.objects.create(
        call=call,
        kind=TrackKind.APPLICATION,
        name="Application",
        description="AI applications that media organisations can put to use.",
        duration_months=durations[1],
        projects_to_fund=5,
        order=1,
    )
    for track, rows in ((research, RESEARCH_CHALLENGES), (application, APPLICATION_CHALLENGES)):
        Challenge.objects.bulk_create(
            Challenge(track=track, code=code, title=t, description=d, order=i)
            for i, (code, t, d) in enumerate(rows)
        )
    EvaluationCriterion.objects.bulk_create(
        EvaluationCriterion(call=call, order=i, name=name, description=text)
        for i, (name, text) in enumerate(
            [
                ("Excellence", "Ambition, novelty and soundness of the approach."),
                ("Impact", "Value for the media sector and for the AI4Media ecosystem."),
                ("Implementation", "Work plan, team, budget and risk management."),
            ]
        )
    )
    EligibilityItem.objects.bulk_create(
        EligibilityItem(call=call, order=i, text=text, help_text=help_text)
        for i, (text, help_text) in enumerate(CHECKLIST)
    )
    CallFaq.objects.bulk_create(
        CallFaq(call=call, order=i, question=q, answer=a) for i, (q, a) in enumerate(FAQS)
    )
    return call


# --- People and documents ---------------------------------------------------------------------


def _bulk_applicants(ctx, count: int):
    from django.contrib.auth.hashers import make_password

    from ai4media_portal.accounts.models import User

    password = make_password(None)
    User.objects.bulk_create(
        [
            User(
                email=f"applicant{i:03d}@applicants.example.org",
                full_name=f"{ORG_STEMS[i % len(ORG_STEMS)]} Applicant {i}",
                password=password,
            )
            for i in range(count)
        ],
        ignore_conflicts=True,
    )
    return list(
        User.objects.filter(email__endswith="@applicants.example.org").order_by("email")[:count]
    )


def _demo_pdf(name: str, title: str) -> tuple[str, int, str]:
    """A small real PDF in private storage, shared by the demo rows that point to it."""
    from fpdf import FPDF

    path = f"opencalls/demo/{name}.pdf"
    if private_storage.exists(path):
        with private_storage.open(path, "rb") as handle:
            content = handle.read()
        return path, len(content), hashlib.sha256(content).hexdigest()
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=16)
    pdf.multi_cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(
        0, 6, "Demo document of the AI4Media portal. " * 20, new_x="LMARGIN", new_y="NEXT"
    )
    content = bytes(pdf.output())
    private_storage.save(path, ContentFile(content))
    return path, len(content), hashlib.sha256(content).hexdigest()


# --- Proposals --------------------------------------------------------------------------------


class _Builder:
    """Creates proposals of one call with their rows and a submitted version."""

    def __init__(self, ctx, call: Call):
        self.ctx = ctx
        self.call = call
        self.challenges = list(Challenge.objects.filter(track__call=call).select_related("track"))
        self.items = list(call.checklist.all())
        self.document = _demo_pdf(f"oc{call.number}-proposal", f"Open Call #{call.number}")
        self.number = call.proposals.aggregate(n=Max("number"))["n"] or 0
        self.index = 0

    def make(self, applicant, status, *, submitted=True, versions=1, org=None) -> Proposal:
        rng = self.ctx.rng
        i = self.index
        self.index += 1
        challenge = self.challenges[i % len(self.challenges)]
        acronym, title = PROJECT_WORDS[i % len(PROJECT_WORDS)]
        if i >= len(PROJECT_WORDS):
            acronym = f"{acronym}{i // len(PROJECT_WORDS) + 1}"
        stem, (suffix, kind, sme) = ORG_STEMS[i % len(ORG_STEMS)], ORG_KINDS[i % len(ORG_KINDS)]
        country = COUNTRIES[i % len(COUNTRIES)]
        org = org or (f"{stem} {suffix}", kind, sme, country, f"{country}0{700000000 + i * 37}")
        funding = Decimal(rng.choice([38000, 42500, 45000, 48000, 49500, 50000]))
        months = challenge.track.duration_months
        submitted_at = self.call.closes_at - timedelta(hours=rng.randint(2, 24 * 20))
        proposal = Proposal.objects.create(
            call=self.call,
            applicant=applicant,
            # Demo data: the status is set directly, not by proposal_set_status.
            status=status,
            organisation_name=org[0],
            organisation_type=org[1],
            organisation_is_sme=org[2],
            organisation_country=org[3],
            organisation_registration_number=org[4],
            track=challenge.track,
            challenge=challenge,
            acronym=acronym,
            title=title,
            abstract=(
                f"{acronym} addresses the challenge “{challenge.title}”. {title}: we build and "
                "evaluate an open, reusable prototype with media partners, publish the code and "
                "data openly, and measure its value in real editorial workflows."
            ),
            requested_funding=funding,
            duration_months=months,
            document=self.document[0],
            document_name=f"{acronym.lower()}-proposal.pdf",
            document_size=self.document[1],
            declare_honour=True,
            declare_no_double_funding=True,
            declare_privacy=True,
        )
        personnel = (funding * Decimal("0.7")).quantize(Decimal(1))
        travel = Decimal(3000)
        budget = [
            (BudgetCategory.PERSONNEL, personnel, "Two researchers part-time"),
            (BudgetCategory.TRAVEL, travel, "Bootcamps and DemoDay"),
            (BudgetCategory.EQUIPMENT, funding - personnel - travel, "GPU time and devices"),
        ]
        ProposalBudgetLine.objects.bulk_create(
            ProposalBudgetLine(proposal=proposal, category=c, amount=a, justification=j)
            for c, a, j in budget
        )
        ProposalTeamMember.objects.bulk_create(
            [
                ProposalTeamMember(
                    proposal=proposal,
                    order=0,
                    full_name=applicant.display_name,
                    email=applicant.email,
                    role="Project lead",
                ),
                ProposalTeamMember(
                    proposal=proposal, order=1, full_name=f"{stem} Engineer", role="Developer"
                ),
            ]
        )
        milestones = [
            (2, "Requirements and data collected"),
            (months // 2, "First prototype"),
            (months, "Evaluated prototype and open release"),
        ]
        ProposalMilestone.objects.bulk_create(
            ProposalMilestone(proposal=proposal, order=k, month=m, title=t)
            for k, (m, t) in enumerate(milestones)
        )
        proposal.registration_key = registration_key(org[3], org[4])
        if not submitted:
            proposal.save(update_fields=["registration_key"])
            return proposal
        self.number += 1
        proposal = Proposal.objects.select_related("challenge__track", "call").get(pk=proposal.pk)
        proposal.number = self.number
        data = proposal_snapshot(proposal)
        data["document"] = {
            "name": proposal.document_name,
            "size": self.document[1],
            "sha256": self.document[2],
        }
        version = None
        for v in range(1, versions + 1):
            version = ProposalVersion.objects.create(
                proposal=proposal,
                number=v,
                reference=f"{proposal.reference}-v{v}",
                submitted_at=submitted_at + timedelta(hours=v - versions),
                submitted_by=applicant,
                data=data,
                document=self.document[0],
                document_name=proposal.document_name,
                document_size=self.document[1],
                document_sha256=self.document[2],
                acronym=acronym,
                title=title,
                track=challenge.track,
                challenge=challenge,
                organisation_name=org[0],
                organisation_country=org[3],
                requested_funding=funding,
            )
        proposal.current_version = version
        proposal.submitted_at = version.submitted_at
        proposal.registration_key = registration_key(org[3], org[4])
        proposal.save(
            update_fields=["number", "current_version", "submitted_at", "registration_key"]
        )
        return proposal

    def screen(self, proposal, manager, outcome, *, failed=(), question="", answer=""):
        screening = EligibilityScreening.objects.create(
            proposal=proposal,
            screener=manager,
            outcome=outcome,
            decided_at=self.call.closes_at + timedelta(days=9)
            if outcome in {ScreeningOutcome.ELIGIBLE, ScreeningOutcome.INELIGIBLE}
            else None,
            clarification_question=question,
            clarification_requested_at=self.call.closes_at + timedelta(days=5)
            if question
            else None,
            clarification_answer=answer,
            clarification_answered_at=self.call.closes_at + timedelta(days=7) if answer else None,
        )
        reasons = dict(failed)
        EligibilityCheck.objects.bulk_create(
            EligibilityCheck(
                screening=screening,
                item=item,
                passed=index not in reasons,
                reason=reasons.get(index, ""),
            )
            for index, item in enumerate(self.items)
        )
        return screening


def _decide(proposal, status, manager, when, message=""):
    # Demo data in bulk, bypassing proposal_set_status on purpose (see the module's docstring).
    proposal.status = status
    proposal.decided_at = when
    proposal.decided_by = manager
    proposal.decision_message = message
    proposal.save(update_fields=["status", "decided_at", "decided_by", "decision_message"])


def _seed_call_one(ctx, call, applicant, beneficiary, others, manager) -> None:
    builder = _Builder(ctx, call)
    people = iter(others)
    decided = call.closes_at + timedelta(days=60)
    selected = []
    for k in range(10):
        owner = beneficiary if k == 0 else next(people)
        proposal = builder.make(owner, ProposalStatus.SELECTED, versions=2 if k % 3 == 0 else 1)
        builder.screen(proposal, manager, ScreeningOutcome.ELIGIBLE)
        _decide(proposal, ProposalStatus.SELECTED, manager, decided, "Congratulations!")
        selected.append(proposal)
    for k in range(3):
        owner = applicant if k == 0 else next(people)
        proposal = builder.make(owner, ProposalStatus.RESERVE)
        builder.screen(proposal, manager, ScreeningOutcome.ELIGIBLE)
        _decide(proposal, ProposalStatus.RESERVE, manager, decided)
    for _k in range(10):
        proposal = builder.make(next(people), ProposalStatus.REJECTED)
        builder.screen(proposal, manager, ScreeningOutcome.ELIGIBLE)
        _decide(proposal, ProposalStatus.REJECTED, manager, decided, "Below the threshold.")
    for k in range(4):
        proposal = builder.make(next(people), ProposalStatus.INELIGIBLE)
        builder.screen(
            proposal,
            manager,
            ScreeningOutcome.INELIGIBLE,
            failed=[(k % 2, "The organisation is registered outside the eligible countries.")],
        )
    for _k in range(2):
        proposal = builder.make(next(people), ProposalStatus.WITHDRAWN)
        Proposal.objects.filter(pk=proposal.pk).update(
            withdrawn_at=call.closes_at - timedelta(days=3), withdrawn_by=proposal.applicant
        )
    for _k in range(3):
        builder.make(next(people), ProposalStatus.DRAFT, submitted=False)
    for k, proposal in enumerate(selected):
        start = date(2022, 3, 1)
        _project(ctx, proposal, manager, start=start, phase="completed", index=k)


def _seed_call_two(ctx, call, applicant, beneficiary, others, manager, today) -> None:
    builder = _Builder(ctx, call)
    people = iter(others[30:])
    decided = call.closes_at + timedelta(days=70)
    plan = [
        (ProposalStatus.SELECTED, 6),
        (ProposalStatus.RESERVE, 2),
        (ProposalStatus.REJECTED, 6),
        (ProposalStatus.ELIGIBLE, 6),
        (ProposalStatus.INELIGIBLE, 3),
        (ProposalStatus.CLARIFICATION_REQUESTED, 2),
        (ProposalStatus.SCREENING, 3),
        (ProposalStatus.SUBMITTED, 8),
        (ProposalStatus.WITHDRAWN, 2),
        (ProposalStatus.DRAFT, 3),
    ]
    selected = []
    for status, count in plan:
        for k in range(count):
            owner = next(people)
            if status == ProposalStatus.SELECTED and k == 0:
                owner = beneficiary
            if status == ProposalStatus.INELIGIBLE and k == 0:
                owner = applicant
            proposal = builder.make(owner, status, submitted=status != ProposalStatus.DRAFT)
            if status in {ProposalStatus.SELECTED, ProposalStatus.RESERVE, ProposalStatus.REJECTED}:
                builder.screen(proposal, manager, ScreeningOutcome.ELIGIBLE)
                _decide(proposal, status, manager, decided)
                if status == ProposalStatus.SELECTED:
                    selected.append(proposal)
            elif status == ProposalStatus.ELIGIBLE:
                builder.screen(proposal, manager, ScreeningOutcome.ELIGIBLE)
            elif status == ProposalStatus.INELIGIBLE:
                builder.screen(
                    proposal,
                    manager,
                    ScreeningOutcome.INELIGIBLE,
                    failed=[(3, "The budget lines add up to more than the requested funding.")],
                )
            elif status == ProposalStatus.CLARIFICATION_REQUESTED:
                builder.screen(
                    proposal,
                    manager,
                    ScreeningOutcome.CLARIFICATION,
                    question="Please confirm that your organisation is not an AI4Media partner.",
                )
            elif status == ProposalStatus.SCREENING and k == 0:
                builder.screen(
                    proposal,
                    manager,
                    ScreeningOutcome.PENDING,
                    question="Which national register is your registration number from?",
                    answer="The Belgian Crossroads Bank for Enterprises.",
                )
            elif status == ProposalStatus.WITHDRAWN:
                Proposal.objects.filter(pk=proposal.pk).update(
                    withdrawn_at=call.closes_at - timedelta(days=2),
                    withdrawn_by=proposal.applicant,
                )
    for k, proposal in enumerate(selected):
        # Most started three months ago; the last one earlier, so its interim payment is due.
        start = add_months(today, -7 if k == len(selected) - 1 else -3)
        _project(ctx, proposal, manager, start=start, phase="running", index=k, today=today)


def _seed_call_three(ctx, call, applicant, others) -> None:
    builder = _Builder(ctx, call)
    for k in range(6):
        builder.make(others[60 + k], ProposalStatus.SUBMITTED, versions=1 + k % 2)
    draft = builder.make(applicant, ProposalStatus.DRAFT, submitted=False)
    # The applicant's draft is half done: the checklist on the edit page shows what is missing.
    Proposal.objects.filter(pk=draft.pk).update(
        document="", document_name="", document_size=None, declare_privacy=False
    )
    draft.budget_lines.filter(category=BudgetCategory.EQUIPMENT).delete()


def _bulk_proposals(ctx, call, others) -> None:
    """``(scale - 1) × 200`` more rejected proposals in Open Call #1, in bulk, for benchmarks.
    Numbers from 1000 up make them idempotent."""
    extra = (ctx.scale - 1) * 200
    if extra <= 0:
        return
    builder = _Builder(ctx, call)
    challenges = builder.challenges
    proposals = []
    for i in range(extra):
        challenge = challenges[i % len(challenges)]
        country = COUNTRIES[i % len(COUNTRIES)]
        proposals.append(
            Proposal(
                call=call,
                applicant=others[i % len(others)],
                status=ProposalStatus.REJECTED,
                number=1000 + i,
                organisation_name=f"Bulk Organisation {i}",
                organisation_type=OrganisationType.SME,
                organisation_country=country,
                organisation_registration_number=f"B{i:07d}",
                organisation_is_sme=True,
                registration_key=f"{country}:B{i:07d}",
                track=challenge.track,
                challenge=challenge,
                acronym=f"BULK{i}",
                title=f"Bulk proposal {i}",
                abstract="A proposal generated for benchmarks.",
                requested_funding=Decimal(45000),
                duration_months=challenge.track.duration_months,
                submitted_at=call.closes_at - timedelta(days=1),
            )
        )
    Proposal.objects.bulk_create(proposals, batch_size=1000, ignore_conflicts=True)
    saved = {
        p.number: p
        for p in Proposal.objects.filter(call=call, number__gte=1000).select_related("challenge")
    }
    path, size, sha = builder.document
    versions = [
        ProposalVersion(
            proposal=p,
            number=1,
            reference=f"{call.reference_prefix}-{number:04d}-v1",
            submitted_at=p.submitted_at,
            data={"acronym": p.acronym, "title": p.title, "abstract": p.abstract, "budget": []},
            document=path,
            document_name="proposal.pdf",
            document_size=size,
            document_sha256=sha,
            acronym=p.acronym,
            title=p.title,
            track_id=p.track_id,
            challenge_id=p.challenge_id,
            organisation_name=p.organisation_name,
            organisation_country=p.organisation_country,
            requested_funding=p.requested_funding,
        )
        for number, p in saved.items()
    ]
    ProposalVersion.objects.bulk_create(versions, batch_size=1000, ignore_conflicts=True)
    version_ids = dict(
        ProposalVersion.objects.filter(proposal__in=saved.values(), number=1).values_list(
            "proposal_id", "pk"
        )
    )
    for p in saved.values():
        p.current_version_id = version_ids.get(p.pk)
    Proposal.objects.bulk_update(list(saved.values()), ["current_version"], batch_size=1000)
    ctx.log(f"  {len(saved)} bulk proposals in Open Call #{call.number}")


# --- Funded projects --------------------------------------------------------------------------


def _project(ctx, proposal, manager, *, start, phase, index, today=None) -> FundedProject:
    version = proposal.current_version
    months = version.data["duration_months"]
    project = FundedProject.objects.create(
        proposal=proposal,
        call=proposal.call,
        track=version.track,
        challenge=version.challenge,
        acronym=version.acronym,
        title=version.title,
        summary=version.data["abstract"],
        organisation_name=version.organisation_name,
        organisation_country=version.organisation_country,
        agreement_reference=f"{proposal.reference}-GA",
        start_date=start,
        end_date=add_months(start, months),
        funding_amount=version.requested_funding,
        status=ProjectStatus.COMPLETED if phase == "completed" else ProjectStatus.RUNNING,
        beneficiary=proposal.applicant,
        outcomes=(
            "The project delivered an open-source prototype tested with two media partners, "
            "a dataset and a peer-reviewed paper."
            if phase == "completed"
            else ""
        ),
    )
    funding = project.funding_amount
    shares = [Decimal(40), Decimal(30), Decimal(30)]
    names = ["Pre-financing", "Interim payment", "Final payment"]
    amounts = [(funding * s / 100).quantize(Decimal("0.01")) for s in shares[:2]]
    amounts.append(funding - sum(amounts))
    tranches = Tranche.objects.bulk_create(
        Tranche(project=project, order=k, name=names[k], percentage=shares[k], amount=amounts[k])
        for k in range(3)
    )
    _pre, interim, final = tranches
    midpoint = add_months(start, months // 2)
    rows = [
        (
            interim,
            DeliverableKind.MILESTONE,
            "Requirements and data collected",
            add_months(start, 2),
        ),
        (interim, DeliverableKind.REPORT, "Interim report", midpoint),
        (
            final,
            DeliverableKind.MILESTONE,
            "Evaluated prototype and open release",
            project.end_date,
        ),
        (final, DeliverableKind.REPORT, "Final report", project.end_date),
    ]
    pdf = _demo_pdf("deliverable", "Deliverable")
    deliverables = []
    for tranche, kind, title, due in rows:
        status = DeliverableStatus.PENDING
        if phase == "completed" or due < today - timedelta(days=45):
            status = DeliverableStatus.APPROVED
        elif today and due < today:
            # Past due: some submitted, one sent back, one simply late (overdue).
            status = [
                DeliverableStatus.SUBMITTED,
                DeliverableStatus.CHANGES_REQUESTED,
                DeliverableStatus.PENDING,
            ][index % 3]
        deliverables.append(
            Deliverable(
                project=project,
                tranche=tranche,
                kind=kind,
                title=title,
                due_date=due,
                status=status,
                submitted_at=None,
                reviewed_by=manager if status in {"approved", "changes"} else None,
                review_message="Please add the evaluation results." if status == "changes" else "",
            )
        )
    if phase == "running":
        # Something due within the week, so reminders have work to do.
        deliverables.append(
            Deliverable(
                project=project,
                tranche=final,
                kind=DeliverableKind.DELIVERABLE,
                title="Data management plan",
                due_date=today + timedelta(days=3 + index),
            )
        )
    Deliverable.objects.bulk_create(deliverables)
    submitted_at = datetime.combine(start, datetime.min.time(), BRUSSELS)
    DeliverableSubmission.objects.bulk_create(
        DeliverableSubmission(
            deliverable=d,
            file=pdf[0],
            file_name=f"{project.acronym.lower()}-{d.title.lower().replace(' ', '-')}.pdf",
            file_size=pdf[1],
            sha256=pdf[2],
            submitted_by=project.beneficiary,
            submitted_at=submitted_at + (d.due_date - start),
        )
        for d in deliverables
        if d.status != DeliverableStatus.PENDING
    )
    for tranche in tranches:
        statuses = [d.status for d in deliverables if d.tranche_id == tranche.pk]
        if not all(s == DeliverableStatus.APPROVED for s in statuses):
            continue
        if phase == "running" and tranche.order > 0:
            # Its deliverables are approved: the payment waits for a manager to release it.
            tranche.status = TrancheStatus.REQUESTED
            tranche.requested_at = submitted_at + timedelta(days=30 * tranche.order)
        else:
            tranche.status = TrancheStatus.RELEASED
            tranche.released_by = manager
            tranche.released_at = submitted_at + timedelta(days=20 + 30 * tranche.order)
        tranche.save()
    SupportSession.objects.bulk_create(
        [
            SupportSession(
                project=project,
                kind=SupportKind.COACHING,
                date=add_months(start, 1),
                coach="Elena Mentor",
                topic="Product-market fit",
                notes="Agreed on two pilot users.",
                logged_by=manager,
            ),
            SupportSession(
                project=project,
                kind=SupportKind.BOOTCAMP,
                date=add_months(start, 2),
                coach="AI4Media bootcamp team",
                topic="Pitching and IP management",
                logged_by=manager,
            ),
        ]
    )
    if phase == "completed":
        SupportSession.objects.create(
            project=project,
            kind=SupportKind.BUSINESS,
            date=add_months(start, 8),
            coach="F6S business support",
            topic="Go-to-market plan",
            logged_by=manager,
        )
        DemoDayPitch.objects.create(
            project=project,
            event="Open Call #1 Projects DemoDay (online)",
            date=date(2023, 7, 18),
            pitch_title=f"{project.acronym}: {project.title}",
            outcome="Presented to media companies and investors; two follow-up meetings.",
        )
        OutputLink.objects.bulk_create(
            [
                OutputLink(
                    project=project,
                    kind=OutputKind.SOFTWARE,
                    title=f"{project.acronym} source code",
                    url=f"https://github.com/ai4media-demo/{project.acronym.lower()}",
                ),
                OutputLink(
                    project=project,
                    kind=OutputKind.PUBLICATION,
                    title=f"{project.title} (paper)",
                    doi=f"10.5281/zenodo.{7100000 + index}",
                ),
            ]
        )
    return project
