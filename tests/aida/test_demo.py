"""AIDA's demo data: every state the issue asks for, through the services, idempotent."""

import pytest

from ai4media_portal.core.demo import DemoContext
from aida import demo
from aida.enums import ResourceStatus
from aida.models import (
    Certificate,
    Course,
    Enrolment,
    Lecture,
    Member,
    Offering,
    Resource,
    Student,
)
from network.models import NetworkRole, OrganisationRole

pytestmark = pytest.mark.django_db


def _seed():
    demo.seed(DemoContext(log=lambda message: None))


def test_demo_has_every_state_and_is_idempotent():
    _seed()
    assert Member.objects.count() >= 30
    assert OrganisationRole.objects.filter(role=NetworkRole.AIDA_MEMBER).count() >= 30
    assert Course.objects.count() >= 40
    assert set(Student.objects.values_list("status", flat=True)) == {
        "validated",
        "pending",
        "refused",
    }
    assert {"planned", "open", "full", "finished", "cancelled"} <= set(
        Offering.objects.values_list("status", flat=True)
    )
    assert Enrolment.objects.filter(status="waitlisted").exists()
    assert Enrolment.objects.filter(status="completed").exists()
    assert Certificate.objects.count() == 2
    assert Lecture.objects.count() == 6
    assert set(Resource.objects.values_list("status", flat=True)) == set(ResourceStatus.values)
    files = {r.file.name.rsplit(".", 1)[1] for r in Resource.objects.exclude(file="")}
    assert files == {"pdf", "ipynb"}
    assert Resource.objects.filter(url="").exclude(file="").exists()  # a file without a link
    external = Enrolment.objects.get(is_aida_student=False)
    assert (external.participant_affiliation, external.participant_country.code) == (
        "Deutsche Welle, Innovation team",
        "DE",
    )
    assert not Enrolment.objects.filter(is_aida_student=True, participant_affiliation="").exists()
    counts = (
        Member.objects.count(),
        Course.objects.count(),
        Enrolment.objects.count(),
        Resource.objects.count(),
    )
    _seed()
    assert (
        Member.objects.count(),
        Course.objects.count(),
        Enrolment.objects.count(),
        Resource.objects.count(),
    ) == counts
