"""The automatic assignment as the portal runs it, database included: the same 1,000 × 200
instance as ``assignment`` (k = 3, at most 20 each, 5 % conflicts) stored as proposals,
evaluators, a pool and declared conflicts, then one ``assignment_run_execute`` — conflict
detection, reading, affinity, the engine, writing 3,000 assignments and the proposals' new
status. Runs in a throwaway test database. Target: under 3 s end to end."""

from __future__ import annotations

import os
import time
from collections import Counter
from datetime import timedelta
from decimal import Decimal

from . import data
from .report import Row

NAME = "evaluation-run"
PROPOSALS, EVALUATORS, K, MAX_LOAD, CONFLICT_SHARE = 1000, 200, 3, 20, 0.05
TIME_TARGET = 3.0


def run() -> list[Row]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ai4media_portal.settings.test")
    import django

    django.setup()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        return _measure()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _measure() -> list[Row]:
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from ai4media_portal.accounts.models import User
    from ai4media_portal.core.roles import Role
    from opencalls.enums import CallStage, ProposalStatus, TrackKind
    from opencalls.evaluation import services
    from opencalls.evaluation.enums import ConflictSource, PoolStatus, RunStatus
    from opencalls.evaluation.models import (
        Assignment,
        AssignmentRun,
        Conflict,
        EvaluatorProfile,
        PoolMember,
    )
    from opencalls.evaluation.terms import TERMS_VERSION
    from opencalls.models import (
        Call,
        Challenge,
        EvaluationCriterion,
        Proposal,
        ProposalVersion,
        Track,
    )

    now = timezone.now()
    texts = data.proposals(PROPOSALS, seed=20211201)
    experts = data.evaluators(EVALUATORS, seed=951911)
    password = make_password(None)
    call = Call.objects.create(
        number=900,
        title="Benchmark call",
        opens_at=now - timedelta(days=90),
        closes_at=now - timedelta(days=30),
        total_budget=Decimal("50000000"),
        stage=CallStage.UNDER_EVALUATION,
        evaluators_per_proposal=K,
    )
    track = Track.objects.create(
        call=call, kind=TrackKind.RESEARCH, name="Research", duration_months=12
    )
    challenges = {
        name: Challenge.objects.create(track=track, title=name, description=name)
        for name in sorted({t.challenge for t in texts})
    }
    for order, name in enumerate(["Excellence", "Impact", "Implementation"]):
        EvaluationCriterion.objects.create(call=call, order=order, name=name)
    applicants = User.objects.bulk_create(
        User(email=f"bench-applicant{t.id}@example.org", password=password) for t in texts
    )
    proposals = Proposal.objects.bulk_create(
        Proposal(
            call=call,
            applicant=applicant,
            status=ProposalStatus.ELIGIBLE,
            number=text.id,
            organisation_name=f"Bench Org {text.id}",
            registration_key=f"BE:{text.id:010d}",
            track=track,
            challenge=challenges[text.challenge],
            acronym=f"P{text.id}",
            title=text.title,
            requested_funding=Decimal(45000),
            submitted_at=now - timedelta(days=31),
        )
        for text, applicant in zip(texts, applicants, strict=True)
    )
    versions = ProposalVersion.objects.bulk_create(
        ProposalVersion(
            proposal=proposal,
            number=1,
            reference=f"BENCH-{text.id:04d}-v1",
            submitted_at=proposal.submitted_at,
            data={
                "organisation": {"name": proposal.organisation_name, "country": "BE"},
                "team": [{"full_name": f"Researcher {text.id}", "email": f"r@org{text.id}.eu"}],
                "abstract": f"{text.abstract} {' '.join(text.keywords)}",
            },
            document="bench.pdf",
            document_name="bench.pdf",
            document_size=1,
            document_sha256="0" * 64,
            acronym=proposal.acronym,
            title=proposal.title,
            track=track,
            challenge=proposal.challenge,
            organisation_name=proposal.organisation_name,
            organisation_country="BE",
            requested_funding=proposal.requested_funding,
        )
        for proposal, text in zip(proposals, texts, strict=True)
    )
    for proposal, version in zip(proposals, versions, strict=True):
        proposal.current_version = version
    Proposal.objects.bulk_update(proposals, ["current_version"], batch_size=1000)
    evaluators = User.objects.bulk_create(
        User(email=f"bench-expert{e.id}@example.org", full_name=f"Expert {e.id}", password=password)
        for e in experts
    )
    group = Group.objects.get(name=Role.EVALUATOR)
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=user.pk, group_id=group.pk) for user in evaluators
    )
    EvaluatorProfile.objects.bulk_create(
        EvaluatorProfile(
            user=user,
            keywords=", ".join([*expert.areas, *expert.keywords]),
            cv=expert.cv,
            organisation_name=f"Expert Institute {expert.id}",
        )
        for user, expert in zip(evaluators, experts, strict=True)
    )
    PoolMember.objects.bulk_create(
        PoolMember(
            call=call,
            evaluator=user,
            status=PoolStatus.ACCEPTED,
            max_proposals=MAX_LOAD,
            terms_version=TERMS_VERSION,
            terms_accepted_at=now,
        )
        for user in evaluators
    )
    conflicts = data.random_conflicts(
        [p.pk for p in proposals], [u.pk for u in evaluators], share=CONFLICT_SHARE, seed=17
    )
    Conflict.objects.bulk_create(
        Conflict(
            call=call,
            proposal_id=p,
            evaluator_id=e,
            source=ConflictSource.DECLARED,
            reasons=["declared"],
            reason="Benchmark",
        )
        for p, e in conflicts
    )
    run = AssignmentRun.objects.create(call=call)
    started = time.perf_counter()
    run = services.assignment_run_execute(run_id=run.pk)
    seconds = time.perf_counter() - started

    size = (
        f"{PROPOSALS} × {EVALUATORS} in PostgreSQL, k={K}, max {MAX_LOAD}, "
        f"{len(conflicts)} conflicts"
    )
    rows = [Row(NAME, "instance", size)]
    ok = run.status == RunStatus.SUCCEEDED
    rows.append(
        Row(
            NAME,
            "detect + read + affinity + assign + write",
            f"{seconds:.2f} s",
            f"< {TIME_TARGET:.0f} s",
            ok and seconds < TIME_TARGET,
        )
    )
    if not ok:
        return [*rows, Row(NAME, "status", str(run.issues), "succeeded", False)]
    pairs = list(Assignment.objects.filter(call=call).values_list("proposal_id", "evaluator_id"))
    per_proposal = Counter(p for p, _e in pairs)
    loads = Counter(e for _p, e in pairs)
    fine = (
        len(per_proposal) == PROPOSALS
        and set(per_proposal.values()) == {K}
        and max(loads.values()) <= MAX_LOAD
        and not set(pairs) & set(conflicts)
        and not Proposal.objects.filter(call=call, status=ProposalStatus.ELIGIBLE).exists()
    )
    rows += [
        Row(NAME, "engine time within the run", f"{run.stats['seconds']:.2f} s"),
        Row(NAME, "affinity given up for balance (gap to the pure optimum)", f"{run.gap:.3%}"),
        Row(NAME, "loads min / max / mean", _loads(run.stats["load"])),
        Row(NAME, "assignments written", str(len(pairs))),
        Row(NAME, "stored assignment keeps every rule", "yes" if fine else "NO", "", fine),
    ]
    return rows


def _loads(stats: dict) -> str:
    return f"{stats['min']} / {stats['max']} / {stats['mean']:.1f}"
