"""The evaluation's pages as people use them: evaluators' queue and review form, managers'
tools, the invitation journey, summary reports, and constant query counts on every list."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from ai4media_portal.accounts.models import User
from ai4media_portal.core.roles import Role
from opencalls.enums import ProposalStatus
from opencalls.evaluation import services
from opencalls.evaluation.enums import ConsensusStatus, PoolStatus, ReviewStatus, RunProgress
from opencalls.evaluation.models import (
    Assignment,
    AssignmentRun,
    Conflict,
    ConsensusReport,
    EvaluationSettings,
    Interview,
    InterviewSlot,
    PoolMember,
    Review,
)
from opencalls.models import Proposal
from tests.factories import UserFactory
from tests.utils import assert_constant_queries

from .factories import (
    assign,
    call_under_evaluation,
    final_consensus,
    pool_evaluator,
    review,
)

pytestmark = pytest.mark.django_db


def _criteria(call):
    return list(call.criteria.order_by("order", "pk"))


def _form(call, scores=("4", "4", "4"), comments=("Good.", "Useful.", "Feasible."), **extra):
    data = {"overall_comment": "", **extra}
    for criterion, score, comment in zip(_criteria(call), scores, comments, strict=True):
        data[f"score_{criterion.pk}"] = score
        data[f"comment_{criterion.pk}"] = comment
    return data


# --- Evaluators -------------------------------------------------------------------------------


def test_the_queue_lists_assigned_proposals_with_deadlines(client):
    call, proposals, by = call_under_evaluation(proposals=4)
    person = pool_evaluator(call)
    client.force_login(person)
    spare = iter(proposals)
    count = assert_constant_queries(
        client, "/calls/evaluation/", lambda: assign(next(spare), person, by)
    )
    html = client.get("/calls/evaluation/").content.decode()
    assert proposals[0].reference in html
    assert "Not started" in html
    assert proposals[3].reference not in html
    assert count < 25


def test_bad_scores_are_shown_beside_their_fields_and_nothing_typed_is_lost(client):
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    excellence, impact, implementation = _criteria(call)
    client.force_login(assignment.evaluator)
    url = f"/calls/evaluation/proposals/{p0.pk}/"
    response = client.post(
        url,
        _form(call, scores=("5.5", "2.3", "4"), comments=("Typed.", "", "Kept.")),
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert f'id="id_score_{excellence.pk}_error">Scores go from 0 to 5.</div>' in html
    assert (
        f'id="id_score_{impact.pk}_error">Scores go in half points, for example 3 or 3.5.</div>'
        in html
    )
    summary = html.index("data-error-summary")
    assert summary < html.index(f'id="id_score_{excellence.pk}_error"')
    assert f'<a href="#id_score_{excellence.pk}">' in html
    assert f'<a href="#id_score_{impact.pk}">' in html
    assert f'name="score_{excellence.pk}" value="5.5"' in html  # what was typed stays
    assert "Typed." in html
    values = {s.criterion_id: s for s in Review.objects.get().scores.all()}
    assert values[implementation.pk].score == Decimal("4.0")
    assert values[excellence.pk].comment == "Typed."
    assert values[excellence.pk].score is None


def test_submitting_without_a_comment_is_refused_beside_the_field(client):
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    impact = _criteria(call)[1]
    client.force_login(assignment.evaluator)
    response = client.post(
        f"/calls/evaluation/proposals/{p0.pk}/submit/",
        _form(call, comments=("Good.", "", "Feasible.")),
    )
    assert response.status_code == 422
    assert (
        f'id="id_comment_{impact.pk}_error">Explain your score for Impact.</div>'
        in response.content.decode()
    )
    assert Review.objects.get().status == ReviewStatus.DRAFT


def test_a_submitted_review_shows_its_outcome_and_the_others_anonymised(client):
    call, (p0,), by = call_under_evaluation(proposals=1)
    first = assign(p0, pool_evaluator(call, full_name="Hidden Colleague"), by)
    second = assign(p0, pool_evaluator(call), by)
    review(first, (2, 2, 2), {"Impact": "Colleague's remark."})
    client.force_login(second.evaluator)
    url = f"/calls/evaluation/proposals/{p0.pk}/"
    before = client.get(url).content.decode()
    assert "Colleague&#x27;s remark." not in before
    assert "All submitted reviews" not in before
    response = client.post(f"{url}submit/", _form(call, scores=("4", "2.5", "4")))
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "By your scores the proposal does not pass:" in html
    assert "Impact 2.5 is below the threshold of 3." in html
    assert "Evaluator A" in html
    assert "Evaluator B" in html
    assert "Colleague&#x27;s remark." in html
    assert "Hidden Colleague" not in html
    assert first.evaluator.email not in html


def test_the_review_autosaves_and_reports_what_it_could_not_save(client):
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    client.force_login(assignment.evaluator)
    response = client.post(
        f"/calls/evaluation/proposals/{p0.pk}/autosave/",
        _form(call, scores=("4", "9", ""), comments=("", "", "")),
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "Saved at" in html
    assert "Impact score: Scores go from 0 to 5." in html
    assert Review.objects.get().scores.get(criterion=_criteria(call)[0]).score == Decimal(4)


def test_a_blind_call_hides_the_applicant_from_evaluators(client):
    call, (p0,), by = call_under_evaluation(proposals=1, blind=True)
    assignment = assign(p0, pool_evaluator(call), by)
    client.force_login(assignment.evaluator)
    html = client.get(f"/calls/evaluation/proposals/{p0.pk}/").content.decode()
    assert "Org 0" not in html
    assert "Ada Lovelace" not in html
    assert "ada@example.org" not in html
    assert p0.applicant.email not in html
    assert "0100000000" not in html
    assert "hidden (blind review)" in html
    assert "The document is shown as submitted; applicants were asked to anonymise it." in html
    EvaluationSettings.objects.filter(call=call).update(hide_applicant_identity=False)
    html = client.get(f"/calls/evaluation/proposals/{p0.pk}/").content.decode()
    assert "Org 0" in html
    assert "Ada Lovelace" in html
    assert "ada@example.org" not in html
    assert "0100000000" not in html


def test_the_call_page_asks_for_an_anonymised_document_in_a_blind_call(client):
    call, _proposals, _by = call_under_evaluation(proposals=1, blind=True)
    html = client.get(f"/calls/{call.number}/").content.decode()
    assert "Anonymise your proposal document too" in html


def test_the_evaluator_downloads_the_submitted_document(client):
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    client.force_login(assignment.evaluator)
    response = client.get(f"/calls/evaluation/proposals/{p0.pk}/document/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{p0.current_version.reference}.pdf"'
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_declaring_a_conflict_from_the_proposal_page(client, django_capture_on_commit_callbacks):
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    client.force_login(assignment.evaluator)
    url = f"/calls/evaluation/proposals/{p0.pk}/conflict/"
    response = client.post(url, {"reason": ""})
    assert response.status_code == 422
    assert "Say briefly why you have a conflict of interest." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "A former colleague leads it."})
    assert response["Location"] == "/calls/evaluation/"
    assert client.get(f"/calls/evaluation/proposals/{p0.pk}/").status_code == 404
    assert p0.reference not in client.get("/calls/evaluation/").content.decode()


def test_declaring_an_organisation_gives_the_same_answer_whether_it_applied(client):
    call, _proposals, _by = call_under_evaluation(proposals=1)
    person = pool_evaluator(call)
    client.force_login(person)
    url = f"/calls/evaluation/calls/{call.number}/declare/"
    answers = []
    for name in ("Org 0", "Never Applied Ltd"):
        response = client.post(url, {"organisation": name}, follow=True)
        answers.append(re.search(r'alert alert-success">([^<]+)<', response.content.decode())[1])
    assert answers[0] == answers[1]
    assert Conflict.objects.filter(evaluator=person).count() == 1


def test_the_evaluators_dashboard_panel_shows_the_queue(client):
    call, (p0,), by = call_under_evaluation(proposals=1)
    assignment = assign(p0, pool_evaluator(call), by)
    client.force_login(assignment.evaluator)
    html = client.get("/me/").content.decode()
    assert "My evaluations" in html
    assert p0.reference in html


# --- The invitation journey -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_invite_email_sign_up_accept_terms_and_join_the_pool(client):
    call, _proposals, by = call_under_evaluation(proposals=1)
    client.force_login(by)
    response = client.post(
        f"/calls/evaluation/manage/{call.number}/pool/",
        {"email": "new.expert@example.org", "max_proposals": "6", "message": "Welcome!"},
    )
    assert response.status_code == 302
    link = re.search(r"http://\S+/calls/evaluation/invitations/\S+/", mail.outbox[-1].body)[0]
    path = link.split("8000", 1)[-1] if "8000" in link else "/" + link.split("/", 3)[3]
    client.logout()
    page = client.get(path)
    assert page.status_code == 200
    assert f'/accounts/signup/?next={path}"' in page.content.decode()
    # Sign up and verify the address (allauth), then come back through the link.
    client.post(
        "/accounts/signup/",
        {
            "email": "new.expert@example.org",
            "full_name": "Nina Expert",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
        },
    )
    confirm = re.search(r"/accounts/confirm-email/[^/\s]+/", mail.outbox[-1].body)[0]
    client.post(confirm)
    response = client.get(path)
    assert response["Location"] == f"/calls/evaluation/calls/{call.number}/join/"
    join = f"/calls/evaluation/calls/{call.number}/join/"
    page = client.get(join).content.decode()
    assert "Confidentiality" in page
    data = {"max_proposals": "6", "profile-keywords": "deepfakes"}
    data["profile-default_max_load"] = "6"
    response = client.post(join, data)
    assert response.status_code == 422
    assert (
        "Accept the confidentiality and conflict-of-interest terms to join the pool."
        in response.content.decode()
    )
    assert "deepfakes" in response.content.decode()  # nothing typed is lost
    response = client.post(join, {**data, "accept_terms": "on"})
    assert response["Location"] == "/calls/evaluation/"
    expert = User.objects.get(email="new.expert@example.org")
    member = PoolMember.objects.get(call=call, evaluator=expert)
    assert member.status == PoolStatus.ACCEPTED
    assert member.max_proposals == 6
    assert expert.has_role(Role.EVALUATOR)
    # An evaluator sees confidential material: the portal asks for a second factor first.
    assert client.get("/calls/evaluation/")["Location"] == "/accounts/2fa/totp/activate/"


def test_an_invalid_invitation_link_says_why(client):
    response = client.get("/calls/evaluation/invitations/not-a-token/")
    assert response.status_code == 404
    assert "This invitation link is not valid." in response.content.decode()


def test_declining_an_invitation(client):
    call, _proposals, by = call_under_evaluation(proposals=1)
    expert = UserFactory()
    services.evaluator_invite(call=call, actor=by, email=expert.email)
    client.force_login(expert)
    assert "Read the terms and answer" in client.get("/calls/evaluation/").content.decode()
    response = client.post(f"/calls/evaluation/calls/{call.number}/decline/", {"reason": "Busy"})
    assert response.status_code == 302
    member = PoolMember.objects.get(evaluator=expert)
    assert (member.status, member.decline_reason) == (PoolStatus.DECLINED, "Busy")


# --- Call managers ----------------------------------------------------------------------------


def test_manager_lists_keep_a_constant_number_of_queries(client):
    call, proposals, by = call_under_evaluation(proposals=4)
    people = [pool_evaluator(call) for _ in range(4)]
    client.force_login(by)
    spare = iter(proposals)

    def evaluated():
        proposal = next(spare)
        for person in people[:2]:
            review(assign(proposal, person, by), (4, 3, 4))
        Conflict.objects.create(
            call=call, proposal=proposal, evaluator=people[3], source="declared", reason="Mine"
        )

    for page in ("", "assignments/", "conflicts/", "ranking/", "decisions/", "pool/"):
        spare = iter(proposals)
        Assignment.objects.all().delete()
        Conflict.objects.all().delete()
        Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(
            status=ProposalStatus.ELIGIBLE
        )
        assert_constant_queries(client, f"/calls/evaluation/manage/{call.number}/{page}", evaluated)


def test_pool_and_interview_lists_keep_a_constant_number_of_queries(client):
    call, proposals, by = call_under_evaluation(proposals=3, interviews_per_track=3)
    client.force_login(by)
    assert_constant_queries(
        client, f"/calls/evaluation/manage/{call.number}/pool/", lambda: pool_evaluator(call)
    )
    person = pool_evaluator(call, max_proposals=10)
    for proposal in proposals:
        review(assign(proposal, person, by))
        final_consensus(proposal, by)
    invited = iter(services.interviews_invite(call=call, actor=by))
    Interview.objects.all().delete()
    Proposal.objects.update(status=ProposalStatus.INTERVIEW)
    spare = iter(proposals)

    def interview():
        next(invited, None)
        Interview.objects.create(proposal=next(spare), call=call, invited_by=by)

    assert_constant_queries(
        client, f"/calls/evaluation/manage/{call.number}/interviews/", interview
    )


def test_interview_actions_each_post_to_their_own_url(client, django_capture_on_commit_callbacks):
    call, (p0,), by = call_under_evaluation(proposals=1, interviews_per_track=1)
    review(assign(p0, pool_evaluator(call), by))
    final_consensus(p0, by)
    client.force_login(by)
    base = f"/calls/evaluation/manage/{call.number}/interviews/"
    assert client.post(base).status_code == 405

    assert client.post(f"{base}invite/")["Location"] == base
    interview = Interview.objects.get(proposal=p0)
    response = client.post(f"{base}slots/", {"starts_at": "", "location": ""})
    assert response.status_code == 422
    assert InterviewSlot.objects.count() == 0
    later = timezone.localtime(timezone.now() + dt.timedelta(days=3), call.tzinfo)
    data = {"starts_at": f"{later:%Y-%m-%dT%H:%M}", "duration_minutes": "30", "location": "Room 1"}
    assert client.post(f"{base}slots/", data)["Location"] == base
    slot = InterviewSlot.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{base}{interview.pk}/book/", {"slot": slot.pk})
    assert response["Location"] == base
    assert Interview.objects.get(pk=interview.pk).slot_id == slot.pk
    response = client.post(f"{base}{interview.pk}/record/", {f"i{interview.pk}-score": "99"})
    assert response.status_code == 422
    assert "Scores go from 0 to" in response.content.decode()
    response = client.post(
        f"{base}{interview.pk}/record/",
        {f"i{interview.pk}-score": "4", f"i{interview.pk}-notes": "Clear demo."},
    )
    assert response["Location"] == f"{base}#i{interview.pk}"
    assert Interview.objects.get(pk=interview.pk).panel_notes == "Clear demo."


def test_the_matrix_shows_affinities_conflicts_and_refuses_a_conflicted_assignment(client):
    call, (p0, p1), by = call_under_evaluation(proposals=2)
    person = pool_evaluator(call, full_name="Jo Bloggs", profile={"organisation_name": "Org 0"})
    services.conflicts_detect(call=call)
    client.force_login(by)
    url = f"/calls/evaluation/manage/{call.number}/assignments/"
    html = client.get(url).content.decode()
    assert "same organisation (Org 0)" in html
    response = client.post(f"{url}add/", {"proposal": p0.pk, "evaluator": person.pk}, follow=True)
    assert (
        f"Jo Bloggs has a conflict of interest with {p0.reference} (same organisation (Org 0))"
        in response.content.decode()
    )
    response = client.post(
        f"{url}add/", {"locked": "1", "proposal": p1.pk, "evaluator": person.pk, "page": "1"}
    )
    assert response["Location"] == f"{url}?page=1#p{p1.pk}"
    assignment = Assignment.objects.get()
    assert assignment.locked is True
    response = client.post(f"{url}{assignment.pk}/unlock/", {"page": "2"})
    assert response["Location"] == f"{url}?page=2#p{p1.pk}"
    assignment.refresh_from_db()
    assert assignment.locked is False
    client.post(f"{url}{assignment.pk}/lock/")
    assignment.refresh_from_db()
    assert assignment.locked is True
    response = client.post(f"{url}{assignment.pk}/remove/", follow=True)
    assert "Assignment removed." in response.content.decode()
    assert Assignment.objects.count() == 0
    assert client.post(url).status_code == 405


def test_running_the_assignment_shows_its_progress_then_the_outcome(
    client, django_capture_on_commit_callbacks
):
    call, _proposals, by = call_under_evaluation(proposals=2)
    for _ in range(3):
        pool_evaluator(call)
    client.force_login(by)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/calls/evaluation/manage/{call.number}/assignments/run/")
    run = AssignmentRun.objects.get()
    assert response["Location"] == f"/calls/evaluation/manage/{call.number}/runs/{run.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert "Done" in html
    assert "6 new, 0 replaced" in html
    assert "hx-trigger" not in html  # finished: no more polling
    queued = AssignmentRun.objects.create(
        call=call, actor=by, progress=0.4, step=RunProgress.BALANCING
    )
    url = f"/calls/evaluation/manage/{call.number}/runs/{queued.pk}/"
    html = client.get(url).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in html
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<section id="run-status"')
    assert 'hx-trigger="every 1s"' in fragment
    assert "40 %" in fragment
    assert "Balancing evaluator loads" in fragment


def test_dismissing_a_conflict_needs_a_reason(client):
    call, (p0,), by = call_under_evaluation(proposals=1)
    person = pool_evaluator(call, profile={"organisation_name": "Org 0"})
    services.conflicts_detect(call=call)
    conflict = Conflict.objects.get()
    client.force_login(by)
    url = f"/calls/evaluation/manage/{call.number}/conflicts/{conflict.pk}/dismiss/"
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Say why this is not a conflict of interest." in response.content.decode()
    client.post(url, {"reason": "Namesake"})
    assert Conflict.objects.get().active is False
    del person, p0


def test_the_overview_puts_flagged_proposals_first_with_z_scores_on_the_proposal_page(client):
    call, (p0, p1), by = call_under_evaluation(proposals=2)
    people = [pool_evaluator(call) for _ in range(3)]
    for person, scores in zip(people, [(4, 4, 4), (4, 4, 4), (4, 4, 4)], strict=True):
        review(assign(p0, person, by), scores)
    for person, scores in zip(people, [(5, 4, 4), (2.5, 4, 4), (4, 4, 4)], strict=True):
        review(assign(p1, person, by), scores)
    client.force_login(by)
    html = client.get(f"/calls/evaluation/manage/{call.number}/").content.decode()
    assert html.index(p1.reference) < html.index(p0.reference)
    assert "Excellence: scores range from 2.5 to 5, a spread of 2.5." in html
    html = client.get(f"/calls/evaluation/manage/{call.number}/proposals/{p1.pk}/").content.decode()
    assert "z-score" in html
    assert "-1.00" in html  # the second evaluator scored this one below their own average


def test_ranking_page_draws_the_budget_line(client):
    call, proposals, by = call_under_evaluation(proposals=3, total_budget=Decimal("100000"))
    person = pool_evaluator(call)
    for proposal, scores in zip(proposals, [(5, 5, 5), (4, 4, 4), (2, 2, 2)], strict=True):
        review(assign(proposal, person, by), scores)
        final_consensus(proposal, by, scores)
    client.force_login(by)
    html = client.get(f"/calls/evaluation/manage/{call.number}/ranking/").content.decode()
    funded, rest = html.split("Budget line: the proposals below form the reserve list.")
    assert proposals[0].reference in funded
    assert proposals[1].reference in rest
    assert "Excellence 2 is below the threshold of 3." in rest


def test_exports_of_scores_consensus_and_ranking(client):
    call, (p0,), by = call_under_evaluation(proposals=1)
    person = pool_evaluator(call, full_name="Named Expert")
    review(assign(p0, person, by), (4, 3.5, 4))
    final_consensus(p0, by, (4, 3.5, 4))
    client.force_login(by)
    base = f"/calls/evaluation/manage/{call.number}/export"
    response = client.get(f"{base}/scores/?format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["reference", "acronym", "evaluator", "evaluator_email"]
    assert rows[1][:7] == [
        p0.reference,
        "DEEPFAKE0",
        "Named Expert",
        person.email,
        "4.0",
        "Comment on Excellence.",
        "3.5",
    ]
    response = client.get(f"{base}/ranking/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[1][:3] == ("Research", 1, p0.reference)
    response = client.get(f"{base}/consensus/?format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Agreed comment on Impact." in text
    assert client.get(f"{base}/secrets/?format=csv").status_code == 404


def test_an_evaluator_exports_only_their_own_reviews(client):
    call, (p0, p1), by = call_under_evaluation(proposals=2)
    person, other = pool_evaluator(call), pool_evaluator(call)
    review(assign(p0, person, by), (4, 4, 4), {"Excellence": "Mine."})
    review(assign(p1, other, by), (3, 3, 3), {"Excellence": "Not mine."})
    client.force_login(person)
    response = client.get(f"/calls/evaluation/my-reviews/?call={call.number}&format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Mine." in text
    assert "Not mine." not in text
    assert "evaluator_email" not in text


def test_decisions_page_lists_blockers_then_applies_and_publishes(
    client, django_capture_on_commit_callbacks
):
    call, (p0, p1), by = call_under_evaluation(proposals=2)
    person = pool_evaluator(call)
    review(assign(p0, person, by))
    final_consensus(p0, by)
    assign(p1, person, by)
    client.force_login(by)
    url = f"/calls/evaluation/manage/{call.number}/decisions/"
    assert "1 proposals have no final consensus yet" in client.get(url).content.decode()
    Assignment.objects.filter(proposal=p1).delete()
    Proposal.objects.filter(pk=p1.pk).update(status=ProposalStatus.REJECTED)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"message": ""})
    assert response.status_code == 302
    assert Proposal.objects.get(pk=p0.pk).status == ProposalStatus.SELECTED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/calls/evaluation/manage/{call.number}/results/")
    call.refresh_from_db()
    assert call.stage == "results-published"
    assert mail.outbox[-1].subject == f"[AI4Media] The Evaluation Summary Report of {p0.reference}"


def test_the_consensus_page_saves_a_draft_and_finalises_by_its_own_url(client):
    call, (p0,), by = call_under_evaluation(proposals=1)
    review(assign(p0, pool_evaluator(call), by))
    client.force_login(by)
    url = f"/calls/evaluation/proposals/{p0.pk}/consensus/"
    data = {"summary": "Agreed.", **_form(call)}
    html = client.get(url).content.decode()
    assert f'formaction="{url}finalise/"' in html

    response = client.post(url, data)

    assert response.status_code == 302
    assert ConsensusReport.objects.get(proposal=p0).status == ConsensusStatus.DRAFT
    assert client.get(f"{url}finalise/").status_code == 405
    response = client.post(f"{url}finalise/", data)
    assert response.status_code == 302
    assert ConsensusReport.objects.get(proposal=p0).status == ConsensusStatus.FINAL


def test_finalising_an_incomplete_consensus_is_refused_beside_the_fields(client):
    call, (p0,), by = call_under_evaluation(proposals=1)
    review(assign(p0, pool_evaluator(call), by))
    impact = _criteria(call)[1]
    client.force_login(by)
    url = f"/calls/evaluation/proposals/{p0.pk}/consensus/finalise/"

    response = client.post(url, {"summary": "", **_form(call, comments=("A.", "", "C."))})

    assert response.status_code == 422
    assert f'id="id_comment_{impact.pk}_error">' in response.content.decode()
    assert ConsensusReport.objects.get(proposal=p0).status == ConsensusStatus.DRAFT


# --- Applicants -------------------------------------------------------------------------------


def _published(call, by, proposal, names=("Secret Evaluator One", "Secret Evaluator Two")):
    people = [pool_evaluator(call, full_name=name) for name in names]
    for person in people:
        review(assign(proposal, person, by), (4, 4, 4), {"Impact": "Reviewer-only remark."})
    services.consensus_save(
        proposal=proposal,
        actor=by,
        scores={c.pk: "4" for c in _criteria(call)},
        comments={c.pk: f"Consensus on {c.name} for Łódź and Ørsted." for c in _criteria(call)},
        summary="The experts' agreed summary.",
    )
    services.consensus_finalise(proposal=proposal, actor=by)
    services.decisions_apply(call=call, actor=by)
    services.results_publish(call=call, actor=by)
    return people


def test_applicants_see_only_their_status_before_the_results(client):
    call, (p0,), by = call_under_evaluation(proposals=1)
    person = pool_evaluator(call)
    review(assign(p0, person, by))
    final_consensus(p0, by)
    services.decisions_apply(call=call, actor=by)
    client.force_login(p0.applicant)
    html = client.get(f"/calls/proposals/{p0.pk}/").content.decode()
    assert "Selected for funding" in html
    assert "Evaluation Summary Report" not in html.split('<h2 id="decision-title"')[0]
    assert "Agreed comment on Excellence." not in html
    assert client.get(f"/calls/evaluation/proposals/{p0.pk}/summary/").status_code == 404
    assert client.get(f"/calls/evaluation/proposals/{p0.pk}/summary.pdf").status_code == 404


def test_the_summary_report_page_and_pdf_name_no_evaluator(client):
    call, (p0,), by = call_under_evaluation(proposals=1)
    people = _published(call, by, p0)
    client.force_login(p0.applicant)
    proposal_page = client.get(f"/calls/proposals/{p0.pk}/").content.decode()
    assert f"/calls/evaluation/proposals/{p0.pk}/summary/" in proposal_page
    html = client.get(f"/calls/evaluation/proposals/{p0.pk}/summary/").content.decode()
    assert "Consensus on Impact for Łódź and Ørsted." in html
    assert "The experts&#x27; agreed summary." in html
    assert "12 / 15" in html.replace("<strong>", "").replace("</strong>", "")
    assert "Reviewer-only remark." not in html
    response = client.get(f"/calls/evaluation/proposals/{p0.pk}/summary.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Evaluation Summary Report" in text
    assert "Consensus on Excellence for Łódź and Ørsted." in " ".join(text.split())
    for person in people:
        assert person.full_name not in text
        assert person.email not in text
        assert person.full_name not in html
    assert "Reviewer-only remark." not in text


def test_the_applicant_books_an_interview_slot(client, django_capture_on_commit_callbacks):
    call, (p0,), by = call_under_evaluation(proposals=1, interviews_per_track=1)
    review(assign(p0, pool_evaluator(call), by))
    final_consensus(p0, by)
    services.interviews_invite(call=call, actor=by)
    slot = services.interview_slot_add(
        call=call,
        actor=by,
        starts_at=timezone.now() + dt.timedelta(days=2),
        duration_minutes=30,
        location="https://meet.example.org/ai4media",
    )
    client.force_login(p0.applicant)
    assert "Book your interview" in client.get(f"/calls/proposals/{p0.pk}/").content.decode()
    url = f"/calls/evaluation/proposals/{p0.pk}/interview/"
    response = client.post(url, {"slot": ""})
    assert response.status_code == 422
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"slot": slot.pk})
    assert response.status_code == 302
    assert Interview.objects.get().slot == slot
    assert "https://meet.example.org/ai4media" in mail.outbox[-1].body
    other = UserFactory()
    client.force_login(other)
    assert client.get(url).status_code == 404


def test_a_consensus_exists_only_for_proposals_in_the_evaluation(client):
    _call, (p0,), by = call_under_evaluation(proposals=1)
    client.force_login(by)
    # Eligible but without evaluators yet: not in the evaluation's consensus stage.
    assert client.get(f"/calls/evaluation/proposals/{p0.pk}/consensus/").status_code == 200
    response = client.post(
        f"/calls/evaluation/proposals/{p0.pk}/consensus/", {"summary": "Too early"}
    )
    assert response.status_code == 422
    assert "Only a proposal under evaluation has a consensus to write." in response.content.decode()
    Proposal.objects.filter(pk=p0.pk).update(status=ProposalStatus.DRAFT)
    assert client.get(f"/calls/evaluation/proposals/{p0.pk}/consensus/").status_code == 404


def test_the_settings_page_sets_load_balancing_and_keeps_a_bad_value_beside_the_field(client):
    call, _proposals, by = call_under_evaluation(proposals=1)
    client.force_login(by)
    url = f"/calls/evaluation/manage/{call.number}/settings/"
    page = client.get(url).content.decode()
    assert 'name="balance_weight"' in page
    data = {
        "review_deadline": "",
        "interview_weight": "0.30",
        "interview_max_score": "10",
        "tie_break_last": "submitted_at",
        "balance_weight": "2",
    }
    response = client.post(url, data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Ensure this value is less than or equal to 1." in html
    assert 'value="2"' in html
    assert client.post(url, {**data, "balance_weight": "0.5"}).status_code == 302
    assert EvaluationSettings.objects.get(call=call).balance_weight == Decimal("0.5")


# --- Finding the evaluation area again --------------------------------------------------------


def test_an_evaluator_with_everything_submitted_still_finds_their_reviews_and_export(client):
    call, (p0,), by = call_under_evaluation(proposals=1)
    person = pool_evaluator(call)
    review(assign(p0, person, by))
    client.force_login(person)

    portal = client.get("/me/").content.decode()
    calls = client.get("/calls/").content.decode()

    assert "My evaluations" in portal
    assert "1 review submitted." in portal
    assert f"/calls/evaluation/my-reviews/?call={call.number}&amp;format=csv" in portal
    assert 'href="/calls/evaluation/">All my evaluations' in portal
    icon = '<i class="bi bi-clipboard-check" aria-hidden="true"></i>'
    assert f'href="/calls/evaluation/">{icon} My evaluations' in calls
    home = client.get("/calls/evaluation/").content.decode()
    assert p0.reference in home
    assert f"/calls/evaluation/my-reviews/?call={call.number}&amp;format=csv" in home


def test_an_evaluator_with_a_pending_review_sees_it_in_their_panel(client):
    call, (p0,), by = call_under_evaluation(proposals=1)
    person = pool_evaluator(call)
    assign(p0, person, by)
    client.force_login(person)

    portal = client.get("/me/").content.decode()

    assert f'href="/calls/evaluation/proposals/{p0.pk}/">{p0.reference}' in portal
    assert "review submitted" not in portal


def test_someone_never_assigned_has_no_evaluation_link(client):
    call, _proposals, _by = call_under_evaluation(proposals=1)
    client.force_login(pool_evaluator(call))

    assert "My evaluations" not in client.get("/me/").content.decode()
    assert "My evaluations" not in client.get("/calls/").content.decode()
