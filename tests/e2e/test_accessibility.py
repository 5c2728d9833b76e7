"""Accessibility invariants checked in a real browser on the portal's pages, with the demo
data loaded: one h1, no skipped heading levels, every control labelled, every image with a
text alternative, every table captioned, links with text, unique ids, the page language set."""

from pathlib import Path

import pytest
from django.core.management import call_command

from ai4media_portal.accounts.models import User
from ai4media_portal.core.demo import DEMO_DOMAIN, DEMO_PASSWORD

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

AUDIT = (Path(__file__).parent / "audit.js").read_text()

PUBLIC = [
    "/",
    "/privacy/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/network/",
    "/network/?q=media&sort=name",
    "/network/numbers/",
    "/network/terms/",
    "/observatory/",
    "/aida/",
    "/calls/",
    "/calls/1/",
    "/calls/3/",
    "/calls/projects/",
    "/fellows/",
    "/outputs/",
    "/api/docs/",
]

SIGNED_IN = {
    "member": ["/me/", "/me/profile/", "/accounts/email/", "/accounts/2fa/", "/network/apply/"],
    "applicant": ["/me/", "/calls/my/"],
    "evaluator": ["/calls/evaluation/", "/calls/evaluation/profile/"],
    "network.manager": ["/network/manage/applications/"],
    "call.manager": [
        "/calls/manage/",
        "/calls/manage/2/proposals/",
        "/calls/manage/projects/",
        "/calls/evaluation/manage/2/",
        "/calls/evaluation/manage/2/pool/",
        "/calls/evaluation/manage/2/conflicts/",
        "/calls/evaluation/manage/2/assignments/",
        "/calls/evaluation/manage/1/ranking/",
        "/calls/evaluation/manage/1/interviews/",
        "/calls/evaluation/manage/1/decisions/",
        "/calls/evaluation/manage/2/settings/",
    ],
}


def _audit(page, path):
    response = page.goto(path)
    assert response.status == 200, (path, response.status)
    problems = page.evaluate(AUDIT)
    assert isinstance(problems, list), "the audit script did not run"
    return [f"{path}: {problem}" for problem in problems]


def _pages_of_demo_records() -> dict[str, list[str]]:
    """Pages whose address depends on the demo data: a proposal an evaluator reviews, an
    applicant's proposal and its Evaluation Summary Report, a funded project."""
    from opencalls.evaluation.models import Assignment
    from opencalls.models import FundedProject, Proposal

    reviewed = Assignment.objects.filter(
        evaluator__email=f"evaluator@{DEMO_DOMAIN}", call__number=2
    ).first()
    decided = Proposal.objects.filter(
        applicant__email=f"applicant@{DEMO_DOMAIN}", call__number=1
    ).first()
    project = FundedProject.objects.filter(beneficiary__email=f"beneficiary@{DEMO_DOMAIN}").first()
    return {
        "evaluator": [f"/calls/evaluation/proposals/{reviewed.proposal_id}/"],
        "applicant": [
            f"/calls/proposals/{decided.pk}/",
            f"/calls/evaluation/proposals/{decided.pk}/summary/",
        ],
        "beneficiary": [f"/calls/projects/{project.pk}/"],
    }


def test_pages_meet_accessibility_invariants(page, settings):
    settings.MFA_REQUIRED_FOR_PRIVILEGED = False
    call_command("seed_demo", "--quiet-accounts")
    problems = []
    for path in PUBLIC:
        problems += _audit(page, path)
    pages = {who: list(paths) for who, paths in SIGNED_IN.items()}
    for who, paths in _pages_of_demo_records().items():
        pages.setdefault(who, []).extend(paths)
    for who, paths in pages.items():
        sign_in(page, User.objects.get(email=f"{who}@{DEMO_DOMAIN}"), DEMO_PASSWORD)
        for path in paths:
            problems += _audit(page, path)
    assert problems == []
    assert page.console_errors == []
    assert page.external_requests == []
