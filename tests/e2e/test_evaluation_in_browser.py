"""The evaluation in a real browser: the call manager runs the automatic assignment and
watches it finish, an evaluator's review autosaves, refuses a bad score beside its field
without losing what was typed, then submits and shows the outcome."""

import pytest

from opencalls.evaluation.enums import ReviewStatus, RunStatus
from opencalls.evaluation.models import Assignment, AssignmentRun, Review
from tests.factories import PASSWORD
from tests.opencalls.evaluation.factories import call_under_evaluation, pool_evaluator

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_assignment_run_and_a_review_in_the_browser(page):
    call, _proposals, manager = call_under_evaluation(proposals=2)
    evaluators = [pool_evaluator(call, max_proposals=2) for _ in range(3)]
    page.on("dialog", lambda dialog: dialog.accept())

    sign_in(page, manager, PASSWORD)
    page.goto(f"/calls/evaluation/manage/{call.number}/assignments/")
    page.get_by_role("button", name="Run the automatic assignment").click()
    page.wait_for_url("**/runs/*/")
    assert page.locator("#run-status").get_by_text("Done", exact=True).count() >= 1
    assert AssignmentRun.objects.get().status == RunStatus.SUCCEEDED
    assert Assignment.objects.count() == 6

    evaluator = evaluators[0]
    proposal = Assignment.objects.filter(evaluator=evaluator).first().proposal
    excellence, impact, implementation = call.criteria.order_by("order", "pk")
    sign_in(page, evaluator, PASSWORD)
    page.goto("/calls/evaluation/")
    page.get_by_role("link", name=proposal.reference, exact=False).first.click()
    page.locator(f"#id_score_{excellence.pk}").fill("4.5")
    page.locator(f"#id_comment_{excellence.pk}").fill("Ambitious and clear.")
    page.locator(f"#id_score_{impact.pk}").fill("2.3")
    page.locator(f"#id_score_{impact.pk}").blur()
    status = page.locator("#autosave-status")
    status.get_by_text("Impact score: Scores go in half points").wait_for()
    review = Review.objects.get()
    assert review.scores.get(criterion=excellence).comment == "Ambitious and clear."

    page.get_by_role("button", name="Submit the review").click()
    page.wait_for_load_state()
    assert (
        page.locator(f"#id_score_{impact.pk}_error").inner_text()
        == "Scores go in half points, for example 3 or 3.5."
    )
    assert page.locator(f"#id_score_{impact.pk}").input_value() == "2.3"
    assert page.locator(f"#id_comment_{excellence.pk}").input_value() == "Ambitious and clear."

    page.locator(f"#id_score_{impact.pk}").fill("3.5")
    page.locator(f"#id_comment_{impact.pk}").fill("Useful for newsrooms.")
    page.locator(f"#id_score_{implementation.pk}").fill("4")
    page.locator(f"#id_comment_{implementation.pk}").fill("A realistic plan.")
    page.get_by_role("button", name="Submit the review").click()
    page.wait_for_load_state()
    assert "By your scores the proposal passes every threshold." in page.content()
    assert Review.objects.get().status == ReviewStatus.SUBMITTED
    assert page.external_requests == []
    assert page.console_errors == []
