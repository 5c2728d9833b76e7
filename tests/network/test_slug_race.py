"""Organisations of one name entering the directory at the same moment get different
addresses (``core.slugs.unique_slug``) rather than one failing on the unique slug: two
applications approved at once, and two open-call beneficiaries recorded at once (one
entry when they are the same organisation)."""

from datetime import date

import pytest

from ai4media_portal.core.roles import Role
from network import services
from network.enums import ApplicationStatus, OrganisationType
from network.models import Organisation
from tests.concurrency import run_in_parallel
from tests.factories import UserFactory

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _slugs(results: list) -> list[str]:
    assert not [r for r in results if isinstance(r, BaseException)], results
    return sorted(Organisation.objects.values_list("slug", flat=True))


def test_two_applications_of_one_name_approved_at_once():
    managers = [UserFactory(roles=[Role.NETWORK_MANAGER]) for _ in range(2)]
    applications = [
        ApplicationFactory(org_name="Lumina Media Labs", status=ApplicationStatus.UNDER_REVIEW)
        for _ in range(2)
    ]
    results = run_in_parallel(
        2,
        lambda i: services.application_approve(application=applications[i], actor=managers[i]),
    )
    assert _slugs(results) == ["lumina-media-labs", "lumina-media-labs-fr"]


def test_two_beneficiaries_of_one_name_recorded_at_once():
    manager = UserFactory(roles=[Role.NETWORK_MANAGER])
    countries = ["DE", "IT"]
    results = run_in_parallel(
        2,
        lambda i: services.organisation_record_beneficiary(
            name="Vox Analytics",
            country=countries[i],
            organisation_type=OrganisationType.SME,
            since=date(2026, 1, 1),
            actor=manager,
        ),
    )
    slugs = _slugs(results)
    assert slugs[0] == "vox-analytics"
    assert slugs[1] in {"vox-analytics-de", "vox-analytics-it"}


def test_one_new_beneficiary_recorded_twice_at_once_is_one_organisation():
    """Two projects of one organisation set up at the same moment: one directory entry."""
    manager = UserFactory(roles=[Role.NETWORK_MANAGER])
    results = run_in_parallel(
        2,
        lambda i: services.organisation_record_beneficiary(
            name="Vox Analytics",
            country="DE",
            organisation_type=OrganisationType.SME,
            since=date(2026, 1, 1),
            actor=manager,
        ),
    )
    assert _slugs(results) == ["vox-analytics"]
    assert results[0].pk == results[1].pk
