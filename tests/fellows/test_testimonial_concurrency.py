"""Two coordinators approving the same testimonial at the same moment."""

import pytest

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.models import AuditEntry
from ai4media_portal.core.roles import Role
from fellows import services
from fellows.enums import ExchangeStatus
from fellows.models import Testimonial as SentTestimonial
from tests.concurrency import run_in_parallel
from tests.factories import UserFactory

from .factories import ExchangeFactory


@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_publish_once_and_refuse_the_other():
    exchange = ExchangeFactory(status=ExchangeStatus.COMPLETED)
    testimonial = SentTestimonial.objects.create(exchange=exchange, text="Wonderful months.")
    approvers = [UserFactory(roles=[Role.FELLOWS_COORDINATOR]) for _ in range(2)]

    results = run_in_parallel(
        2,
        lambda i: services.exchange_testimonial_approve(
            testimonial=testimonial, actor=approvers[i]
        ),
    )

    approved = [r for r in results if isinstance(r, SentTestimonial)]
    refusals = [r for r in results if isinstance(r, PortalError)]
    assert (len(approved), len(refusals)) == (1, 1), results
    assert refusals[0].code == "already_decided"
    assert "already been approved" in refusals[0].message
    assert AuditEntry.objects.filter(action="fellows.testimonial.publish").count() == 1
    testimonial.refresh_from_db()
    assert (testimonial.status, testimonial.published_at) == ("published", approved[0].published_at)
