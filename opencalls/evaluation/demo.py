"""Demo data of the evaluation, seeded by ``opencalls.demo`` after its calls and proposals.

- Twelve evaluators with expertise (``evaluator@`` and ``evaluator2@`` … ``evaluator12@``),
  some of whom work for, or with, applicant organisations (detected conflicts).
- Open Call #1 (results published): the pool, an assignment run, every review submitted,
  final consensus reports, interviews held and the decisions: every applicant has an
  Evaluation Summary Report.
- Open Call #2 (under evaluation): a pool with an invitation pending and one declined, an
  automatic assignment around two locked ones, reviews submitted, in draft and overdue (the
  deadline has passed; ``evaluator@`` has an extension), a flagged disagreement, a declared
  conflict, a draft and a final consensus.

Open Call #1 is in the past, so its rows are written directly; Open Call #2 goes through the
services (without their emails).
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ai4media_portal.core.models import Topic
from ai4media_portal.core.roles import Role

from .. import services as call_services
from ..engine.assignment import AssignmentProblem, assign_evaluators
from ..engine.consensus import Review as EngineReview
from ..engine.consensus import suggest_consensus
from ..engine.scoring import round_half_points
from ..enums import ProposalStatus, ScreeningOutcome
from ..models import Call, Proposal
from . import selectors, services
from .enums import (
    AssignmentSource,
    ConsensusStatus,
    InterviewStatus,
    PoolStatus,
    ReviewStatus,
    RunProgress,
    RunStatus,
)
from .models import (
    Assignment,
    AssignmentRun,
    ConsensusReport,
    ConsensusScore,
    EvaluationSettings,
    EvaluatorProfile,
    Interview,
    InterviewSlot,
    Invitation,
    PoolMember,
    Review,
    ReviewScore,
)
from .terms import TERMS_VERSION

PS = ProposalStatus
EVALUATORS = [
    (
        "evaluator",
        "Erik Evaluator",
        "SE",
        "KTH Royal Institute of Technology",
        "kth.se",
        ["Synthetic media and deepfake detection", "Computer vision"],
        "deepfake detection, video forensics, manipulated video, provenance",
    ),
    (
        "evaluator2",
        "Łucja Wójcik",
        "PL",
        "Poznań University of Technology",
        "put.poznan.pl",
        ["Natural language processing", "AI for news research and production"],
        "newsrooms, language models, multilingual fact-check retrieval",
    ),
    (
        "evaluator3",
        "Søren Ørsted",
        "DK",
        "Aarhus Universitet",
        "au.dk",
        ["Recommender systems", "Trustworthy AI: fairness"],
        "recommendation feeds, fairness audits, echo chambers",
    ),
    (
        "evaluator4",
        "Chiara Bianchi",
        "IT",
        "Politecnico di Milano",
        "polimi.it",
        ["Speech and audio analysis", "AI for audiovisual archives"],
        "broadcast archives, subtitling, live events, speech recognition",
    ),
    (
        "evaluator5",
        "Jan de Vries",
        "NL",
        "",
        "",
        ["AI for audiovisual archives", "Content-centred AI"],
        "semantic enrichment, scene search, film restoration",
    ),
    (
        "evaluator6",
        "Ioanna Papadopoulou",
        "GR",
        "Aristotle University of Thessaloniki",
        "auth.gr",
        ["AI for media moderation", "Natural language processing"],
        "moderation of user comments, abuse detection, explainable moderation",
    ),
    (
        "evaluator7",
        "Miguel Fernández",
        "ES",
        "Universidad Politécnica de Madrid",
        "upm.es",
        ["Generative AI", "Human-machine artistic co-creation", "AI for game design"],
        "procedural level design, soundscapes, co-creation",
    ),
    (
        "evaluator8",
        "Aoife Byrne",
        "IE",
        "Trinity College Dublin",
        "tcd.ie",
        ["Trustworthy AI: explainability", "Trustworthy AI: robustness"],
        "explaining automated editorial decisions, robustness tests for classifiers",
    ),
    (
        "evaluator9",
        "Klaus Müller",
        "DE",
        "Fraunhofer IDMT",
        "idmt.fraunhofer.de",
        ["Speech and audio analysis", "Music information retrieval"],
        "synthetic speech detection, podcasts, audio forensics",
    ),
    (
        "evaluator10",
        "Élodie Laurent",
        "FR",
        "Inria",
        "inria.fr",
        ["Human- and society-centred AI", "AI for social-science research"],
        "online debate, echo chambers, parliamentary debates, polarisation",
    ),
    (
        "evaluator11",
        "Tomáš Novák",
        "CZ",
        "Czech Technical University in Prague",
        "cvut.cz",
        ["New machine-learning paradigms and AI at the edge", "Energy-efficient AI"],
        "tiny models, on-device media analysis, edge inference",
    ),
    (
        "evaluator12",
        "Helena Kask",
        "EE",
        "University of Tartu",
        "ut.ee",
        ["Content verification and provenance", "AI against disinformation"],
        "verifiable provenance for news images, verification tools",
    ),
]
COMMENTS = {
    "high": [
        "An ambitious and well-argued objective with clear novelty beyond the state of the art.",
        "Strong value for media organisations; the pilots with partners make adoption likely.",
        "A realistic work plan; the team covers research and engineering and the budget fits.",
    ],
    "mid": [
        "Sound objectives, although the novelty over existing tools is only partly shown.",
        "Useful for the sector, but the path to adoption beyond the pilot is not detailed.",
        "The plan is feasible; risks are listed but their mitigation stays generic.",
    ],
    "low": [
        "The objectives are vague and the approach repeats well-known methods.",
        "The impact is asserted rather than demonstrated; no user is involved.",
        "The work plan lacks milestones that can be checked and the budget is not justified.",
    ],
}


def seed(ctx) -> None:
    manager = ctx.demo_user("call.manager", "Marta Calls", roles=[Role.CALL_MANAGER])
    evaluators = _evaluators(ctx)
    oc1 = Call.objects.filter(number=1).first()
    oc2 = Call.objects.filter(number=2).first()
    if oc2 is not None:
        _conflict_profiles(oc2, evaluators)
    if oc1 is not None and not Assignment.objects.filter(call=oc1).exists():
        _seed_past_call(ctx, oc1, evaluators[:9], manager)
    if oc2 is not None and not AssignmentRun.objects.filter(call=oc2).exists():
        _seed_current_call(ctx, oc2, evaluators, manager)


# --- Evaluators -------------------------------------------------------------------------------


def _evaluators(ctx) -> list:
    topics = {t.name: t for t in Topic.objects.all()}
    people = []
    for local, name, country, organisation, domain, areas, keywords in EVALUATORS:
        user = ctx.demo_user(local, name, roles=[Role.EVALUATOR])
        profile, created = EvaluatorProfile.objects.get_or_create(
            user=user,
            defaults={
                "keywords": keywords,
                "cv": (
                    f"{name} works on {areas[0].lower()} and has evaluated proposals for "
                    "European research programmes since 2018."
                ),
                "country": country,
                "organisation_name": organisation,
                "organisation_country": country,
                "organisation_domain": domain,
                "default_max_load": 8,
            },
        )
        if created:
            profile.expertise.set([topics[a] for a in areas if a in topics])
        people.append(user)
    return people


def _conflict_profiles(call: Call, evaluators) -> None:
    """Make a few evaluators work for or with applicant organisations of Open Call #2, so
    detection has something to find (once, on first seeding)."""
    eligible = list(
        Proposal.objects.filter(call=call, status=PS.ELIGIBLE)
        .select_related("current_version")
        .order_by("number")
    )
    if len(eligible) < 2:
        return
    colleague = EvaluatorProfile.objects.get(user=evaluators[4])
    if not colleague.organisation_name:
        colleague.organisation_name = eligible[0].current_version.organisation_name
        colleague.save(update_fields=["organisation_name"])
    partner = EvaluatorProfile.objects.get(user=evaluators[6])
    if not partner.collaborators:
        partner.collaborators = eligible[1].current_version.organisation_name
        partner.save(update_fields=["collaborators"])


def _join(call, user, when, *, status=PoolStatus.ACCEPTED, max_proposals=8) -> PoolMember:
    accepted = status == PoolStatus.ACCEPTED
    member, _created = PoolMember.objects.get_or_create(
        call=call,
        evaluator=user,
        defaults={
            "status": status,
            "max_proposals": max_proposals,
            "terms_version": TERMS_VERSION if accepted else "",
            "terms_accepted_at": when if accepted else None,
            "responded_at": when if status != PoolStatus.INVITED else None,
            "decline_reason": "Not available in these weeks."
            if status == PoolStatus.DECLINED
            else "",
        },
    )
    return member


# --- Open Call #1: a finished evaluation ------------------------------------------------------


def _scores_for(status, rng, evaluator_bias):
    base = {
        PS.SELECTED: [Decimal("4.5"), Decimal("4.5"), Decimal("4")],
        PS.RESERVE: [Decimal("4"), Decimal("3.5"), Decimal("3.5")],
        PS.REJECTED: [Decimal("3"), Decimal("2.5"), Decimal("3")],
    }[status]
    return [
        max(
            Decimal(0), min(Decimal(5), b + Decimal(rng.choice([-1, 0, 0, 1])) / 2 + evaluator_bias)
        )
        for b in base
    ]


def _seed_past_call(ctx, call, evaluators, manager) -> None:
    rng = ctx.rng
    closes = call.closes_at
    EvaluationSettings.objects.update_or_create(
        call=call,
        defaults={
            "review_deadline": closes + timedelta(days=45),
            "interview_weight": Decimal("0.3"),
        },
    )
    for user in evaluators:
        _join(call, user, closes - timedelta(days=20))
    services.conflicts_detect(call=call, actor=manager)
    proposals = list(
        Proposal.objects.filter(
            call=call, status__in=[PS.SELECTED, PS.RESERVE, PS.REJECTED], number__lt=1000
        )
        .select_related("current_version__challenge", "applicant")
        .prefetch_related("current_version__challenge__topics")
        .order_by("number")
    )
    members = list(selectors.accepted_pool(call))
    if not proposals or len(members) < call.evaluators_per_proposal:
        return
    matrix = selectors.affinity_for(proposals, members)
    balance_weight = float(selectors.settings_for(call).balance_weight)
    result = assign_evaluators(
        AssignmentProblem.from_affinity(
            matrix,
            k=call.evaluators_per_proposal,
            max_load={m.evaluator_id: m.max_proposals for m in members},
            conflicts=list(selectors.active_conflict_pairs(call)),
        ),
        balance_weight=balance_weight,
    )
    if not result.ok:
        ctx.log(f"  Open Call #1 assignment not possible: {result.messages}")
        return
    run = AssignmentRun.objects.create(
        call=call,
        status=RunStatus.SUCCEEDED,
        progress=1.0,
        step=RunProgress.DONE,
        actor=manager,
        created_at=closes + timedelta(days=12),
        started_at=closes + timedelta(days=12),
        finished_at=closes + timedelta(days=12, seconds=3),
        total_affinity=result.total_affinity,
        upper_bound=result.upper_bound,
        gap=result.gap,
        stats={
            "loads": {str(e): n for e, n in result.loads.items()},
            "load": {
                "min": min(result.loads.values()),
                "max": max(result.loads.values()),
                "mean": sum(result.loads.values()) / len(result.loads),
            },
            "kept": 0,
            "created": len(result.pairs),
            "removed": 0,
            "unchanged": 0,
            "proposals": len(proposals),
            "evaluators": len(members),
            "k": call.evaluators_per_proposal,
            "seconds": round(result.solve_seconds, 2),
            "balance_weight": balance_weight,
            "affinity_given_up": result.affinity_given_up,
        },
    )
    affinity = {
        (pid, eid): float(matrix.scores[i, j])
        for i, pid in enumerate(matrix.proposal_ids)
        for j, eid in enumerate(matrix.evaluator_ids)
    }
    assignments = Assignment.objects.bulk_create(
        Assignment(
            call=call,
            proposal_id=pid,
            evaluator_id=eid,
            source=AssignmentSource.AUTOMATIC,
            run=run,
            affinity=affinity[(pid, eid)],
            notified_at=closes + timedelta(days=13),
            created_by=manager,
        )
        for pid, eid in result.pairs
    )
    by_id = {p.pk: p for p in proposals}
    criteria = selectors.criteria_of(call)
    bias = {m.evaluator_id: Decimal(rng.choice([-1, 0, 0, 0, 1])) / 2 for m in members}
    submitted = closes + timedelta(days=35)
    reviews = Review.objects.bulk_create(
        Review(
            assignment=a,
            status=ReviewStatus.SUBMITTED,
            submitted_at=submitted + timedelta(hours=rng.randint(0, 200)),
            overall_comment="A clear proposal; see my comments per criterion.",
        )
        for a in assignments
    )
    engine_reviews, rows = [], []
    for a, review in zip(assignments, reviews, strict=True):
        proposal = by_id[a.proposal_id]
        scores = _scores_for(PS(proposal.status), rng, bias[a.evaluator_id])
        engine_reviews.append(
            EngineReview(
                a.proposal_id,
                a.evaluator_id,
                {str(c.pk): s for c, s in zip(criteria, scores, strict=True)},
            )
        )
        level = (
            "high"
            if proposal.status == PS.SELECTED
            else "mid"
            if proposal.status == PS.RESERVE
            else "low"
        )
        rows += [
            ReviewScore(review=review, criterion=c, score=s, comment=COMMENTS[level][i % 3])
            for i, (c, s) in enumerate(zip(criteria, scores, strict=True))
        ]
    ReviewScore.objects.bulk_create(rows)
    rules = selectors.scoring_rules(call, criteria=criteria)
    suggestions = suggest_consensus(engine_reviews, rules)
    rapporteurs = {}
    for a in assignments:
        rapporteurs.setdefault(a.proposal_id, a.evaluator_id)
    finalised = closes + timedelta(days=50)
    reports = ConsensusReport.objects.bulk_create(
        ConsensusReport(
            proposal_id=pid,
            call=call,
            rapporteur_id=rapporteurs[pid],
            status=ConsensusStatus.FINAL,
            summary=_summary(by_id[pid]),
            finalised_at=finalised,
            finalised_by=manager,
        )
        for pid in by_id
    )
    consensus_rows = []
    for report in reports:
        proposal = by_id[report.proposal_id]
        level = (
            "high"
            if proposal.status == PS.SELECTED
            else "mid"
            if proposal.status == PS.RESERVE
            else "low"
        )
        agreed = suggestions[report.proposal_id].scores
        for i, c in enumerate(criteria):
            score = agreed[str(c.pk)]
            if proposal.status == PS.REJECTED and i == 1:
                score = min(score, Decimal("2.5"))  # below the threshold: the ESR says why
            if proposal.status == PS.SELECTED:
                score = max(score, Decimal(4))
            consensus_rows.append(
                ConsensusScore(
                    report=report,
                    criterion=c,
                    score=round_half_points(score),
                    comment=COMMENTS[level][i],
                )
            )
    ConsensusScore.objects.bulk_create(consensus_rows)
    # Interviews of the selected and reserve proposals, held a week after the consensus.
    interviewed = [p for p in proposals if p.status in {PS.SELECTED, PS.RESERVE}]
    start = closes + timedelta(days=57)
    slots = InterviewSlot.objects.bulk_create(
        InterviewSlot(
            call=call,
            starts_at=start + timedelta(minutes=40 * k),
            duration_minutes=30,
            location="Online — the link is sent by email",
            created_by=manager,
        )
        for k in range(len(interviewed))
    )
    Interview.objects.bulk_create(
        Interview(
            proposal=p,
            call=call,
            slot=slot,
            status=InterviewStatus.HELD,
            invited_by=manager,
            panel_notes="Convincing demonstration; clear answers on the exploitation plan."
            if p.status == PS.SELECTED
            else "Solid team; the business case needs work.",
            score=Decimal(rng.choice(["8", "8.5", "9", "9.5"]))
            if p.status == PS.SELECTED
            else Decimal(rng.choice(["6.5", "7", "7.5"])),
            held_at=slot.starts_at,
            recorded_by=manager,
        )
        for p, slot in zip(interviewed, slots, strict=True)
    )
    ctx.log(f"  evaluation of Open Call #1: {len(assignments)} reviews, {len(reports)} reports")


def _summary(proposal) -> str:
    if proposal.status == PS.SELECTED:
        return (
            "An excellent proposal with a convincing plan. The panel recommends it for funding "
            "and encourages the team to involve a second media partner early."
        )
    if proposal.status == PS.RESERVE:
        return (
            "A good proposal above every threshold, ranked just below the budget line. It is on "
            "the reserve list and may be funded if a selected project withdraws."
        )
    return (
        "The proposal does not reach the threshold for impact. The experts suggest involving "
        "media users from the start and quantifying the expected benefits."
    )


# --- Open Call #2: an evaluation under way ----------------------------------------------------


def _seed_current_call(ctx, call, evaluators, manager) -> None:
    now = timezone.now()
    settings, _created = EvaluationSettings.objects.update_or_create(
        call=call, defaults={"review_deadline": now + timedelta(days=10)}
    )
    accepted = [e for i, e in enumerate(evaluators) if i not in (8, 9)]
    for user in accepted:
        _join(call, user, call.closes_at + timedelta(days=3))
    _join(call, evaluators[8], None, status=PoolStatus.INVITED)
    _join(call, evaluators[9], call.closes_at + timedelta(days=4), status=PoolStatus.DECLINED)
    Invitation.objects.get_or_create(
        call=call,
        email="new.expert@example.org",
        defaults={
            "token_hash": "demo-" + "0" * 59,
            "expires_at": now + timedelta(days=20),
            "invited_by": manager,
            "message": "We would value your expertise in media accessibility.",
        },
    )
    eligible = list(Proposal.objects.filter(call=call, status=PS.ELIGIBLE).order_by("number")[:6])
    if len(eligible) < 6:
        return
    services.conflicts_detect(call=call, actor=manager)
    erik = evaluators[0]
    for proposal in (eligible[1], eligible[3], eligible[4]):
        services.assignment_add(proposal=proposal, evaluator=erik, actor=manager, locked=True)
    run = AssignmentRun.objects.create(call=call, actor=manager, step=RunProgress.QUEUED)
    run = services.assignment_run_execute(run_id=run.pk)
    if run.status != RunStatus.SUCCEEDED:
        ctx.log(f"  Open Call #2 assignment not possible: {run.issues}")
        return
    # A proposal found eligible after the run waits for evaluators.
    waiting = Proposal.objects.filter(call=call, status=PS.SUBMITTED).order_by("number").first()
    if waiting is not None:
        call_services.proposal_screen(
            proposal=waiting,
            actor=manager,
            checks=[call_services.CheckInput(i.pk, True) for i in call.checklist.all()],
            outcome=ScreeningOutcome.ELIGIBLE,
        )
    # Everyone was told except about the last proposal's assignments: "Notify" has work.
    Assignment.objects.filter(call=call).exclude(proposal=eligible[5]).update(
        notified_at=now - timedelta(days=12)
    )
    plans = {
        eligible[0]: ["submit", "submit", "submit"],
        eligible[1]: ["submit", "submit", "submit"],
        eligible[2]: ["submit", "submit", "declare"],
        eligible[3]: ["submit", "submit", "none"],
        eligible[4]: ["submit", "draft", "draft"],
        eligible[5]: ["submit", "none", "none"],
    }
    scores = {
        eligible[0]: [(4.5, 4, 4), (4, 4.5, 4), (4.5, 4.5, 4)],
        eligible[1]: [(4.5, 4, 3.5), (2.5, 2, 3), (4, 3.5, 3.5)],  # a disagreement
        eligible[2]: [(3.5, 3, 3.5), (3, 3.5, 3)],
        eligible[3]: [(4, 4, 3.5), (3.5, 4, 4)],
        eligible[4]: [(3, 3.5, 3)],
        eligible[5]: [(4, 3.5, 4)],
    }
    for proposal, plan in plans.items():
        assignments = list(
            Assignment.objects.filter(proposal=proposal)
            .select_related("call", "proposal", "evaluator")
            .order_by("-locked", "pk")
        )
        # The locked evaluator (evaluator@) acts last: they have work left to do.
        assignments.sort(key=lambda a: a.evaluator_id == erik.pk)
        given = iter(scores[proposal])
        for assignment, action in zip(assignments, plan, strict=False):
            if action in {"submit", "draft"}:
                values = next(given, (3.5, 3.5, 3.5)) if action == "submit" else (3.5, 3, "")
                _review(assignment, values, submit=action == "submit")
            elif action == "declare":
                services.conflict_declare(
                    proposal=proposal,
                    actor=assignment.evaluator,
                    reason="I co-authored a paper with the project lead last year.",
                )
    # The review deadline has passed: unsubmitted reviews are overdue, except evaluator@'s.
    settings.review_deadline = now - timedelta(days=2)
    settings.save(update_fields=["review_deadline"])
    Assignment.objects.filter(call=call, evaluator=erik).update(
        deadline_extended_to=now + timedelta(days=7)
    )
    criteria = selectors.criteria_of(call)
    # A final consensus, and a draft by evaluator@ as rapporteur of the flagged proposal.
    first = list(Assignment.objects.filter(proposal=eligible[0]).order_by("pk"))
    ConsensusReport.objects.update_or_create(
        proposal=eligible[0], defaults={"call": call, "rapporteur_id": first[0].evaluator_id}
    )
    services.consensus_save(
        proposal=eligible[0],
        actor=manager,
        scores={c.pk: s for c, s in zip(criteria, ("4.5", "4", "4"), strict=True)},
        comments={c.pk: COMMENTS["high"][i] for i, c in enumerate(criteria)},
        summary=_summary(Proposal(status=PS.SELECTED)),
    )
    services.consensus_finalise(proposal=eligible[0], actor=manager)
    flagged = eligible[1]
    ConsensusReport.objects.update_or_create(
        proposal=flagged, defaults={"call": call, "rapporteur": erik}
    )
    services.consensus_save(
        proposal=flagged,
        actor=manager,
        scores={criteria[0].pk: "4"},
        comments={criteria[0].pk: "Ambitious; the experts weigh the novelty differently."},
    )
    ctx.log(f"  evaluation of Open Call #2: run {run.pk}, reviews in every state")


def _review(assignment, values, *, submit: bool) -> None:
    criteria = selectors.criteria_of(assignment.call)
    scores = {c.pk: str(v) for c, v in zip(criteria, values, strict=True)}
    comments = {
        c.pk: COMMENTS["high" if v and float(v) >= 4 else "mid" if v and float(v) >= 3 else "low"][
            i
        ]
        if v != ""
        else ""
        for i, (c, v) in enumerate(zip(criteria, values, strict=True))
    }
    services.review_save_draft(
        assignment=assignment, actor=assignment.evaluator, scores=scores, comments=comments
    )
    if submit:
        services.review_submit(assignment=assignment, actor=assignment.evaluator)
