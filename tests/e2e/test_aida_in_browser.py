"""The AIDA journey in a real browser: a student registers → is validated by their
institution's representative → asks for a place in a full offering and is waitlisted →
another student cancels → the first is promoted and emailed → the lecturer marks the course
completed → the student downloads a certificate whose code verifies."""

import pytest

from ai4media_portal.core.models import OutboundEmail
from aida.models import Certificate
from tests.aida.factories import (
    CourseFactory,
    LecturerFactory,
    MemberFactory,
    OfferingFactory,
    StudentFactory,
)
from tests.factories import PASSWORD, UserFactory

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_aida_journey_in_the_browser(page):
    representative = UserFactory(email="rep@auth.example.gr", full_name="Rania Representative")
    member = MemberFactory(
        organisation__name="Aristotle University of Thessaloniki",
        representatives=[representative],
    )
    lecturer = LecturerFactory(member=member, user=UserFactory(email="lecturer@auth.example.gr"))
    course = CourseFactory(title="Media Forensics", host=member, lecturers=[lecturer])
    offering = OfferingFactory(course=course, capacity=1)
    seated = StudentFactory(member=member).user
    student = UserFactory(email="stella@auth.example.gr", full_name="Stella Student")
    page.on("dialog", lambda dialog: dialog.accept())

    # Another student takes the only seat.
    sign_in(page, seated, PASSWORD)
    page.goto(f"/aida/offerings/{offering.pk}/")
    page.get_by_role("button", name="Request a place").click()
    page.wait_for_load_state()
    assert "Confirmed" in page.locator("#enrolment-status").inner_text()

    # Stella registers; a PhD student without a supervisor's email is refused beside the field.
    sign_in(page, student, PASSWORD)
    page.goto("/aida/register/")
    page.locator("#id_member").select_option(str(member.pk))
    page.locator("#id_is_phd").check()
    page.locator("#id_supervisor_name").fill("Prof. Ioannis Pitas")
    page.locator("#id_country").select_option("GR")
    page.locator("#id_research_interests").fill("Deepfake detection")
    page.get_by_role("button", name="Send my registration").click()
    assert page.locator("#id_supervisor_email_error").is_visible()
    assert page.locator("#id_research_interests").input_value() == "Deepfake detection"
    page.locator("#id_supervisor_email").fill("pitas@auth.example.gr")
    page.get_by_role("button", name="Send my registration").click()
    page.wait_for_url("**/aida/mine/")
    assert "Awaiting validation" in page.locator("#registration-status").inner_text()
    page.goto(f"/aida/offerings/{offering.pk}/")
    assert page.locator("#enrol-button").count() == 0
    assert "not been validated" in page.locator("#enrolment-refusal").inner_text()

    # The representative validates her.
    sign_in(page, representative, PASSWORD)
    page.goto("/aida/students/")
    page.get_by_role("button", name="Validate").click()
    page.wait_for_load_state()

    # Stella joins the waitlist of the full offering.
    sign_in(page, student, PASSWORD)
    page.goto(f"/aida/offerings/{offering.pk}/")
    page.get_by_role("button", name="Join the waitlist").click()
    page.wait_for_load_state()
    assert "number 1 on the waitlist" in page.locator("#enrolment-status").inner_text()

    # The seated student cancels: Stella is promoted and emailed.
    sign_in(page, seated, PASSWORD)
    page.goto(f"/aida/offerings/{offering.pk}/")
    page.get_by_role("button", name="Cancel my enrolment").click()
    page.wait_for_load_state()
    assert OutboundEmail.objects.filter(
        to=[student.email], template="aida/enrolment_promoted"
    ).exists()

    # The lecturer starts the offering and marks Stella's completion.
    sign_in(page, lecturer.user, PASSWORD)
    page.goto(f"/aida/offerings/{offering.pk}/")
    page.locator("#id_target").select_option("running")
    page.get_by_role("button", name="Change the status").click()
    page.wait_for_load_state()
    page.goto(f"/aida/offerings/{offering.pk}/roster/")
    page.get_by_label("Attended").check()
    page.get_by_label("Outcome").select_option("completed")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()

    # Stella issues and downloads her certificate; its code verifies publicly.
    sign_in(page, student, PASSWORD)
    page.goto("/aida/mine/")
    page.get_by_role("button", name="Issue my certificate").click()
    page.wait_for_load_state()
    with page.expect_download() as download:
        page.locator("#certificate-download").click()
    assert download.value.suggested_filename == "aida-certificate.pdf"
    code = page.locator("#certificate-code").inner_text()
    assert code == Certificate.objects.get(user=student).code
    page.context.clear_cookies()
    page.goto(f"/aida/certificates/{code}/")
    assert "Valid" in page.locator("#certificate-state").inner_text()
    assert page.locator("#certificate-name").inner_text() == "Stella Student"
    assert "Media Forensics" in page.content()
    assert page.external_requests == []
