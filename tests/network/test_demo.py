"""The network's demo data: a realistic network, every application state, idempotent."""

import pytest
from django.db.models import Count

from ai4media_portal.core.demo import DemoContext
from network import demo
from network.enums import ApplicationStatus, NetworkRole
from network.models import MembershipApplication, Organisation, OrganisationRole
from network.selectors import member_organisations

pytestmark = pytest.mark.django_db


def _seed(scale=1):
    demo.seed(DemoContext(scale=scale, log=lambda message: None))


def test_demo_network_has_the_consortium_members_and_every_application_state():
    _seed()
    partners = Organisation.objects.filter(roles__role=NetworkRole.CONSORTIUM_PARTNER)
    kinds = dict(partners.values_list("type").annotate(n=Count("pk")))
    assert kinds["university"] == 9
    assert kinds["research-centre"] == 9
    assert sum(kinds.values()) == 30
    coordinator = Organisation.objects.get(roles__role=NetworkRole.COORDINATOR)
    assert coordinator.type == "research-centre"
    associates = OrganisationRole.objects.filter(role=NetworkRole.ASSOCIATE_MEMBER)
    assert associates.count() >= 40
    assert {grant.since.year for grant in associates} == {2020, 2021, 2022, 2023, 2024, 2025}
    assert member_organisations().values("country").distinct().count() >= 25
    assert set(MembershipApplication.objects.values_list("status", flat=True)) == set(
        ApplicationStatus.values
    )
    member = Organisation.objects.get(contacts__user__email="member@demo.ai4media.eu")
    assert member.is_member
    duplicate = MembershipApplication.objects.get(org_name="Universita di Valdadige")
    assert list(duplicate.possible_duplicates.values_list("slug", flat=True)) == ["univda"]


def test_demo_is_idempotent_and_scales_in_bulk():
    _seed()
    counts = (Organisation.objects.count(), MembershipApplication.objects.count())
    _seed()
    assert (Organisation.objects.count(), MembershipApplication.objects.count()) == counts
    _seed(scale=2)
    _seed(scale=2)
    bulk = Organisation.objects.filter(slug__startswith="bulk-")
    assert bulk.count() == demo.BULK_PER_SCALE
    assert OrganisationRole.objects.filter(organisation__in=bulk).count() == demo.BULK_PER_SCALE
    assert bulk.filter(joined_on__isnull=True).count() == 0
    assert bulk.filter(name_tokens=[]).count() == 0  # the matching keys are there
