"""Two committee members deciding the same submitted resource at the same moment."""

import pytest

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.roles import Role
from aida import services
from aida.enums import ReviewCriterion
from aida.models import ResourceReview
from tests.concurrency import parallel_clients, run_in_parallel
from tests.factories import UserFactory

from .factories import ResourceFactory

ALL_MET = {c: {"met": True, "comment": "ok"} for c in ReviewCriterion.values}


def _coordinators(n):
    return [UserFactory(roles=[Role.AIDA_COORDINATOR]) for _ in range(n)]


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_deciding_at_once_make_one_decision():
    resource = ResourceFactory(status="submitted")
    coordinators = _coordinators(2)
    decisions = ["accepted", "rejected"]

    results = run_in_parallel(
        2,
        lambda i: services.resource_review(
            resource=resource,
            decision=decisions[i],
            criteria=ALL_MET,
            reasons=f"Decision {i}.",
            actor=coordinators[i],
        ),
    )

    reviews = [r for r in results if isinstance(r, ResourceReview)]
    refusals = [r for r in results if isinstance(r, PortalError)]
    assert (len(reviews), len(refusals)) == (1, 1), results
    assert refusals[0].code == "already_decided"
    assert "already been decided" in refusals[0].message
    assert list(ResourceReview.objects.filter(resource=resource)) == reviews
    resource.refresh_from_db()
    assert resource.status == reviews[0].decision


@pytest.mark.django_db(transaction=True)
def test_two_review_forms_sent_at_once_record_one_review_and_refuse_the_other():
    resource = ResourceFactory(status="submitted")
    first, second = _coordinators(2)
    clients = [*parallel_clients(1, first), *parallel_clients(1, second)]
    form = {"decision": "rejected", "reasons": "Out of scope."}
    for criterion in ReviewCriterion.values:
        form[f"met_{criterion}"] = "on"
        form[f"comment_{criterion}"] = "ok"

    responses = run_in_parallel(2, lambda i: clients[i].post(resource.get_absolute_url(), form))

    # The one that comes second is refused either by the locked service (422, the form kept)
    # or, when the first has already committed, by the page (back to the resource, saying so).
    assert ResourceReview.objects.filter(resource=resource).count() == 1
    statuses = sorted(r.status_code for r in responses)
    assert statuses in ([302, 422], [302, 302]), responses
    if statuses == [302, 422]:
        refused = next(r for r in responses if r.status_code == 422)
        assert "already been decided" in refused.content.decode()
    else:
        told = [c.get(resource.get_absolute_url()).content.decode() for c in clients]
        assert sum("already been decided" in page for page in told) == 1
