import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from ai4media_portal.core.exceptions import PortalError
from aida import services
from tests.factories import UserFactory

from .factories import CourseFactory, EnrolmentFactory, MemberFactory, OfferingFactory

pytestmark = pytest.mark.django_db


def _completed(user, title, starts_on, host_name="Università di Bologna", ects="2.5"):
    host = MemberFactory(organisation__name=host_name)
    course = CourseFactory(title=title, host=host, ects=ects)
    offering = OfferingFactory(
        course=course,
        starts_on=starts_on,
        ends_on=starts_on.replace(day=starts_on.day + 2),
        status="finished",
    )
    return EnrolmentFactory(offering=offering, user=user, status="completed")


@pytest.fixture
def holder():
    user = UserFactory(full_name="Łucja Ørsted")
    _completed(user, "Deep Learning for Media", date(2024, 3, 4))
    _completed(user, "Trustworthy AI", date(2024, 6, 10), host_name="CERTH", ects="3")
    EnrolmentFactory(user=user, status="confirmed")  # not completed: not listed
    return user


def _pdf_text(client) -> str:
    response = client.get("/aida/certificate.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(page.extract_text() for page in reader.pages)


def test_certificate_pdf_lists_completed_courses_and_the_code(client, holder):
    certificate = services.certificate_issue(user=holder, actor=holder)
    assert len(certificate.code) >= 40
    client.force_login(holder)
    text = " ".join(_pdf_text(client).split())
    assert "Łucja Ørsted" in text
    for expected in ("Deep Learning for Media", "Trustworthy AI", "4 March 2024", "2.5", "CERTH"):
        assert expected in text
    assert certificate.code in text.replace(" ", "")
    assert [c["title"] for c in certificate.content["courses"]] == [
        "Deep Learning for Media",
        "Trustworthy AI",
    ]


def test_verification_page_and_json_show_what_the_certificate_shows(client, holder):
    certificate = services.certificate_issue(user=holder, actor=holder)
    page = client.get(f"/aida/certificates/{certificate.code}/")
    assert page.status_code == 200
    html = page.content.decode()
    for expected in ("Łucja Ørsted", "Trustworthy AI", "Valid"):
        assert expected in html
    assert holder.email not in html
    body = client.get(f"/aida/certificates/{certificate.code}/json/").json()
    assert body == {
        "code": certificate.code,
        "name": "Łucja Ørsted",
        "issued_on": certificate.issued_on.isoformat(),
        "courses": certificate.content["courses"],
        "revoked": False,
        "revoked_at": None,
    }
    assert client.get("/aida/certificates/not-a-code/").status_code == 404


def test_regenerating_keeps_the_code_and_adds_new_courses(holder):
    first = services.certificate_issue(user=holder, actor=holder)
    _completed(holder, "AI and Society", date(2025, 1, 13))
    again = services.certificate_issue(user=holder, actor=holder)
    assert again.code == first.code
    assert len(again.content["courses"]) == 3


def test_revoked_certificate_says_so(client, holder, coordinator):
    certificate = services.certificate_issue(user=holder, actor=holder)
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(certificate=certificate, actor=holder, reason="x")
    services.certificate_revoke(certificate=certificate, actor=coordinator, reason="Fraud.")
    assert "Revoked" in client.get(f"/aida/certificates/{certificate.code}/").content.decode()
    assert client.get(f"/aida/certificates/{certificate.code}/json/").json()["revoked"] is True
    with pytest.raises(PortalError):
        services.certificate_issue(user=holder, actor=holder)


def test_no_certificate_without_a_completed_course_nor_for_someone_else(holder):
    with pytest.raises(PermissionDenied):
        services.certificate_issue(user=UserFactory(), actor=holder)
    nobody = UserFactory()
    with pytest.raises(PortalError):
        services.certificate_issue(user=nobody, actor=nobody)


def test_coordinator_revokes_through_the_verification_page(client, holder, coordinator):
    certificate = services.certificate_issue(user=holder, actor=holder)
    url = f"/aida/certificates/{certificate.code}/"
    client.force_login(holder)
    assert client.post(url, {"reason": "mine"}).status_code == 403
    client.force_login(coordinator)
    assert client.post(url, {"reason": ""}).status_code == 422
    assert client.post(url, {"reason": "Issued in error."}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.revocation_reason == "Issued in error."
