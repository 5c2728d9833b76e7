from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.models import AuditEntry, OutboundEmail
from aida import selectors, services
from aida.enums import (
    ENROLMENT_TRANSITIONS,
    OFFERING_TRANSITIONS,
    STUDENT_TRANSITIONS,
    Eligibility,
    EnrolmentStatus,
    MemberTier,
    OfferingStatus,
    StudentStatus,
    SupervisorConfirmation,
)
from aida.models import Enrolment, Member, Offering
from network.models import NetworkRole, OrganisationRole
from tests.concurrency import run_in_parallel
from tests.factories import UserFactory
from tests.network.factories import OrganisationFactory

from .factories import (
    CourseFactory,
    EnrolmentFactory,
    MemberFactory,
    OfferingFactory,
    StudentFactory,
)

pytestmark = pytest.mark.django_db


def _registration(member, **changes):
    return {
        "member": member,
        "is_phd": True,
        "supervisor_name": "Grace Hopper",
        "supervisor_email": "grace@example.org",
        "country": "IT",
        "research_interests": "Fairness in recommender systems.",
        **changes,
    }


def _emails_to(user) -> list[str]:
    return list(
        OutboundEmail.objects.filter(to__contains=[user.email])
        .order_by("pk")
        .values_list("template", flat=True)
    )


# --- Members -------------------------------------------------------------------------------


def test_member_add_gives_the_network_aida_member_role(coordinator):
    organisation = OrganisationFactory(role="")
    member = services.member_add(
        organisation=organisation,
        tier=MemberTier.ASSOCIATE,
        joined_on=date(2022, 9, 1),
        mou_signed_on=date(2022, 8, 20),
        actor=coordinator,
    )
    role = OrganisationRole.objects.get(organisation=organisation)
    assert (role.role, role.since) == (NetworkRole.AIDA_MEMBER, date(2022, 9, 1))
    organisation.refresh_from_db()
    assert organisation.joined_on == date(2022, 9, 1)
    assert member.tier == MemberTier.ASSOCIATE


def test_member_add_refuses_twice_and_non_coordinators(coordinator, member):
    with pytest.raises(PortalError) as error:
        services.member_add(
            organisation=member.organisation,
            tier=MemberTier.FULL,
            joined_on=date(2022, 9, 1),
            mou_signed_on=date(2022, 9, 1),
            actor=coordinator,
        )
    assert error.value.field == "organisation"
    with pytest.raises(PermissionDenied):
        services.member_add(
            organisation=OrganisationFactory(),
            tier=MemberTier.FULL,
            joined_on=date(2022, 9, 1),
            mou_signed_on=date(2022, 9, 1),
            actor=UserFactory(),
        )
    assert Member.objects.count() == 1


def test_member_add_refuses_a_memorandum_signed_after_joining(coordinator):
    with pytest.raises(PortalError) as error:
        services.member_add(
            organisation=OrganisationFactory(),
            tier=MemberTier.FULL,
            joined_on=date(2022, 9, 1),
            mou_signed_on=date(2022, 9, 2),
            actor=coordinator,
        )
    assert error.value.field == "mou_signed_on"
    assert not Member.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_adding_one_organisation_at_once_add_it_once(coordinator):
    organisation = OrganisationFactory()

    def add(_i):
        return services.member_add(
            organisation=organisation,
            tier=MemberTier.FULL,
            joined_on=date(2022, 9, 1),
            mou_signed_on=date(2022, 8, 1),
            actor=coordinator,
        )

    results = run_in_parallel(5, add)

    assert sum(isinstance(result, Member) for result in results) == 1
    assert all(
        isinstance(result, Member) or getattr(result, "field", None) == "organisation"
        for result in results
    ), results
    assert Member.objects.filter(organisation=organisation).count() == 1


def test_members_filter_by_tier_and_country():
    full_de = MemberFactory(tier=MemberTier.FULL, organisation__country="DE")
    MemberFactory(tier=MemberTier.ASSOCIATE, organisation__country="DE")
    full_gr = MemberFactory(tier=MemberTier.FULL, organisation__country="GR")
    assert set(selectors.members(tier="full")) == {full_de, full_gr}
    assert list(selectors.members(tier="full", country="gr")) == [full_gr]


# --- Students ------------------------------------------------------------------------------


def test_student_registers_and_the_representative_validates(member, representative):
    user = UserFactory()
    student = services.student_register(user=user, data=_registration(member), actor=user)
    assert student.status == StudentStatus.PENDING
    assert student.supervisor_confirmation == SupervisorConfirmation.NOT_NEEDED
    assert _emails_to(representative) == ["aida/student_registered"]
    services.student_validate(student=student, actor=representative)
    student.refresh_from_db()
    assert student.status == StudentStatus.VALIDATED
    assert _emails_to(user) == ["aida/student_validated"]
    assert list(student.history.values_list("from_status", "to_status")) == [
        ("pending", "pending"),
        ("pending", "validated"),
    ]
    assert AuditEntry.objects.filter(action="aida.student.validated").count() == 1


def test_phd_student_names_a_supervisor(member):
    user = UserFactory()
    with pytest.raises(PortalError) as error:
        services.student_register(
            user=user, data=_registration(member, supervisor_email=""), actor=user
        )
    assert error.value.field == "supervisor_email"
    student = services.student_register(
        user=user,
        data=_registration(member, is_phd=False, supervisor_email=""),
        actor=user,
    )
    assert (student.supervisor_name, student.supervisor_email) == ("", "")


def test_refusal_needs_a_reason_and_the_student_may_ask_again(member, representative):
    user = UserFactory()
    student = services.student_register(user=user, data=_registration(member), actor=user)
    with pytest.raises(PortalError) as error:
        services.student_refuse(student=student, actor=representative, reason="  ")
    assert error.value.field == "reason"
    services.student_refuse(student=student, actor=representative, reason="Not enrolled here.")
    student.refresh_from_db()
    assert (student.status, student.decision_reason) == ("refused", "Not enrolled here.")
    assert _emails_to(user) == ["aida/student_refused"]
    again = services.student_register(
        user=user, data=_registration(member, research_interests="Updated."), actor=user
    )
    assert (again.status, again.decision_reason) == ("pending", "")


def test_representative_validates_only_their_institution(member, representative):
    other = StudentFactory(status=StudentStatus.PENDING)  # another institution
    with pytest.raises(PermissionDenied):
        services.student_validate(student=other, actor=representative)
    assert selectors.student_for_decision(representative, other.pk) is None


def test_coordinator_validates_any_but_not_their_own(coordinator, member):
    own = StudentFactory(user=coordinator, member=member, status=StudentStatus.PENDING)
    with pytest.raises(PermissionDenied):
        services.student_validate(student=own, actor=coordinator)
    other = StudentFactory(status=StudentStatus.PENDING)
    services.student_validate(student=other, actor=coordinator)
    assert other.__class__.objects.get(pk=other.pk).status == StudentStatus.VALIDATED


def test_known_lecturer_supervisor_confirms_before_validation(member, representative, lecturer):
    user = UserFactory()
    student = services.student_register(
        user=user,
        data=_registration(member, supervisor_email=lecturer.user.email.upper()),
        actor=user,
    )
    assert (student.supervisor, student.supervisor_confirmation) == (lecturer, "requested")
    assert _emails_to(lecturer.user) == ["aida/supervision_requested"]
    with pytest.raises(PortalError) as error:
        services.student_validate(student=student, actor=representative)
    assert error.value.code == "awaiting_supervisor"
    with pytest.raises(PermissionDenied):
        services.student_confirm_supervision(student=student, actor=representative, confirm=True)
    services.student_confirm_supervision(student=student, actor=lecturer.user, confirm=True)
    services.student_validate(student=student, actor=representative)
    student.refresh_from_db()
    assert (student.status, student.supervisor_confirmation) == ("validated", "confirmed")


def test_validated_registration_cannot_be_changed(member):
    student = StudentFactory(member=member)
    with pytest.raises(PortalError):
        services.student_register(user=student.user, data=_registration(member), actor=student.user)


@pytest.mark.parametrize("current", list(StudentStatus))
@pytest.mark.parametrize("target", list(StudentStatus))
def test_student_transitions_both_ways(coordinator, current, target):
    student = StudentFactory(status=current)
    allowed = target in STUDENT_TRANSITIONS[current]
    if allowed:
        services._student_set_status(student, target, coordinator, "x")
        assert student.status == target
    else:
        with pytest.raises(PortalError):
            services._student_set_status(student, target, coordinator, "x")


# --- Offerings -----------------------------------------------------------------------------


def _offering_data(**changes):
    today = timezone.localdate()
    return {
        "starts_on": today + timedelta(days=30),
        "ends_on": today + timedelta(days=32),
        "schedule": "",
        "timezone": "Europe/Rome",
        "mode": "online",
        "location": "",
        "enrolment_opens_on": today,
        "enrolment_closes_on": today + timedelta(days=20),
        "capacity": 10,
        "audience": "aida",
        "confirm_by_hand": False,
        "materials_url": "",
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"capacity": 0}, "capacity"),
        ({"ends_on": timezone.localdate()}, "ends_on"),
        ({"enrolment_closes_on": timezone.localdate() - timedelta(days=1)}, "enrolment_closes_on"),
        ({"materials_url": "not a link"}, "materials_url"),
    ],
)
def test_offering_bad_input_is_refused_beside_the_field(coordinator, changes, field):
    course = CourseFactory()
    with pytest.raises(PortalError) as error:
        services.offering_create(course=course, data=_offering_data(**changes), actor=coordinator)
    assert error.value.field == field
    assert Offering.objects.count() == 0


def test_blank_capacity_means_unlimited(coordinator):
    offering = services.offering_create(
        course=CourseFactory(), data=_offering_data(capacity=None), actor=coordinator
    )
    assert offering.seats_left is None


def test_credited_course_needs_a_full_or_associate_host(coordinator):
    host = MemberFactory(tier=MemberTier.RESEARCH_INDUSTRY)
    data = {
        "title": "Media forensics",
        "code": "AIDA-MF",
        "description": "Detecting manipulated media.",
        "format": "tutorial",
        "level": "advanced",
        "language": "en",
        "curricula": ["ai-media"],
        "host": host,
        "ects": Decimal("2"),
    }
    with pytest.raises(PortalError) as error:
        services.course_create(data=data, actor=coordinator)
    assert error.value.field == "ects"
    course = services.course_create(data={**data, "ects": None}, actor=coordinator)
    assert course.slug == "aida-mf-media-forensics"


@pytest.mark.parametrize("current", list(OfferingStatus))
@pytest.mark.parametrize("target", list(OfferingStatus))
def test_offering_transitions_both_ways(coordinator, current, target):
    offering = OfferingFactory(status=current)
    if target in OFFERING_TRANSITIONS[current]:
        services._offering_set_status(offering, target, coordinator)
        assert offering.history.get().to_status == target
    else:
        with pytest.raises(PortalError):
            services._offering_set_status(offering, target, coordinator)


@pytest.mark.parametrize("current", list(EnrolmentStatus))
@pytest.mark.parametrize("target", list(EnrolmentStatus))
def test_enrolment_transitions_both_ways(coordinator, current, target):
    enrolment = EnrolmentFactory(status=current)
    if target in ENROLMENT_TRANSITIONS[current]:
        services._enrolment_move(enrolment, target, coordinator)
        enrolment.refresh_from_db()
        assert enrolment.status == target
    else:
        with pytest.raises(PortalError):
            services._enrolment_move(enrolment, target, coordinator)


# --- Enrolment -----------------------------------------------------------------------------


def _students(n):
    return [StudentFactory().user for _ in range(n)]


def test_requests_fill_the_seats_then_the_waitlist_in_order():
    offering = OfferingFactory(capacity=2)
    users = _students(4)
    statuses = [services.enrolment_request(offering=offering, actor=u).status for u in users]
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    offering.refresh_from_db()
    assert (offering.status, offering.seats_taken, offering.waitlist_length) == ("full", 2, 2)
    assert [e.user for e in selectors.waitlist(offering)] == users[2:]
    assert _emails_to(users[0]) == ["aida/enrolment_confirmed"]
    assert _emails_to(users[2]) == ["aida/enrolment_waitlisted"]


def test_cancellation_promotes_the_first_waitlisted_and_emails_them():
    offering = OfferingFactory(capacity=1)
    first, second, third = _students(3)
    seated = services.enrolment_request(offering=offering, actor=first)
    services.enrolment_request(offering=offering, actor=second)
    services.enrolment_request(offering=offering, actor=third)
    services.enrolment_cancel(enrolment=seated, actor=first)
    statuses = dict(Enrolment.objects.values_list("user_id", "status"))
    assert statuses == {first.pk: "cancelled", second.pk: "confirmed", third.pk: "waitlisted"}
    assert _emails_to(second) == ["aida/enrolment_waitlisted", "aida/enrolment_promoted"]
    offering.refresh_from_db()
    assert (offering.status, offering.seats_taken, offering.waitlist_length) == ("full", 1, 1)


def test_cancelled_request_made_again_goes_to_the_back():
    offering = OfferingFactory(capacity=1)
    a, b, c = _students(3)
    for user in (a, b, c):
        services.enrolment_request(offering=offering, actor=user)
    b_enrolment = Enrolment.objects.get(user=b)
    services.enrolment_cancel(enrolment=b_enrolment, actor=b)
    services.enrolment_request(offering=offering, actor=b)
    assert [e.user for e in selectors.waitlist(offering)] == [c, b]


def test_capacity_increase_promotes_in_order(coordinator):
    offering = OfferingFactory(capacity=1)
    users = _students(4)
    for user in users:
        services.enrolment_request(offering=offering, actor=user)
    services.offering_update(offering=offering, data={"capacity": 3}, actor=coordinator)
    statuses = [Enrolment.objects.get(user=u).status for u in users]
    assert statuses == ["confirmed", "confirmed", "confirmed", "waitlisted"]
    assert _emails_to(users[1])[-1] == "aida/enrolment_promoted"
    offering.refresh_from_db()
    assert (offering.status, offering.seats_taken, offering.waitlist_length) == ("full", 3, 1)


def test_unlimited_capacity_promotes_everyone_and_reopens(coordinator):
    offering = OfferingFactory(capacity=1)
    users = _students(3)
    for user in users:
        services.enrolment_request(offering=offering, actor=user)
    services.offering_update(offering=offering, data={"capacity": None}, actor=coordinator)
    offering.refresh_from_db()
    assert (offering.status, offering.seats_taken, offering.waitlist_length) == ("open", 3, 0)


def test_capacity_never_below_confirmed(coordinator):
    offering = OfferingFactory(capacity=3)
    for user in _students(2):
        services.enrolment_request(offering=offering, actor=user)
    with pytest.raises(PortalError) as error:
        services.offering_update(offering=offering, data={"capacity": 1}, actor=coordinator)
    assert (error.value.field, error.value.code) == ("capacity", "below_confirmed")
    offering.refresh_from_db()
    assert offering.capacity == 3


@pytest.mark.parametrize(
    ("offering_changes", "student_status", "reason"),
    [
        ({"status": OfferingStatus.CANCELLED}, "validated", Eligibility.CANCELLED),
        ({"status": OfferingStatus.PLANNED}, "validated", Eligibility.NOT_OPEN),
        ({"status": OfferingStatus.RUNNING}, "validated", Eligibility.NOT_OPEN),
        (
            {"enrolment_opens_on": date(2100, 1, 1), "enrolment_closes_on": date(2100, 2, 1)},
            "validated",
            Eligibility.WINDOW_NOT_STARTED,
        ),
        (
            {"enrolment_opens_on": date(2000, 1, 1), "enrolment_closes_on": date(2000, 2, 1)},
            "validated",
            Eligibility.WINDOW_CLOSED,
        ),
        ({}, "pending", Eligibility.NOT_VALIDATED),
        ({}, "refused", Eligibility.NOT_VALIDATED),
        ({}, None, Eligibility.NOT_A_STUDENT),
    ],
)
def test_refused_requests_say_why(offering_changes, student_status, reason):
    offering = OfferingFactory(**offering_changes)
    user = UserFactory()
    if student_status:
        StudentFactory(user=user, status=student_status)
    assert selectors.enrolment_eligibility(user, offering) == (False, reason)
    with pytest.raises(PortalError) as error:
        services.enrolment_request(offering=offering, actor=user)
    assert (error.value.code, error.value.message) == (reason.value, reason.label)
    assert Enrolment.objects.count() == 0


def test_open_offering_accepts_external_participants():
    offering = OfferingFactory(audience="open")
    user = UserFactory()
    assert selectors.enrolment_eligibility(user, offering) == (True, Eligibility.ALLOWED)
    enrolment = services.enrolment_request(
        offering=offering, actor=user, affiliation="Newsroom Lab", country="fr"
    )
    assert enrolment.status == "confirmed"


def test_second_request_and_lecturers_are_refused(lecturer):
    offering = OfferingFactory(course=CourseFactory(lecturers=[lecturer]))
    user = StudentFactory().user
    services.enrolment_request(offering=offering, actor=user)
    assert selectors.enrolment_eligibility(user, offering) == (
        False,
        Eligibility.ALREADY_REQUESTED,
    )
    StudentFactory(user=lecturer.user)
    assert selectors.enrolment_eligibility(lecturer.user, offering) == (
        False,
        Eligibility.TEACHING,
    )


def test_manual_confirmation_by_the_lecturer(lecturer):
    offering = OfferingFactory(capacity=1, confirm_by_hand=True, course__lecturers=[lecturer])
    a, b = _students(2)
    first = services.enrolment_request(offering=offering, actor=a)
    second = services.enrolment_request(offering=offering, actor=b)
    assert (first.status, second.status) == ("pending", "pending")
    with pytest.raises(PermissionDenied):
        services.enrolment_confirm(enrolment=first, actor=b)
    assert services.enrolment_confirm(enrolment=first, actor=lecturer.user).status == "confirmed"
    assert services.enrolment_confirm(enrolment=second, actor=lecturer.user).status == (
        "waitlisted"
    )


def test_cancelling_the_offering_cancels_every_request(coordinator):
    offering = OfferingFactory(capacity=1)
    users = _students(2)
    for user in users:
        services.enrolment_request(offering=offering, actor=user)
    with pytest.raises(PortalError):
        services.offering_move(offering=offering, target="cancelled", actor=coordinator)
    services.offering_move(
        offering=offering, target="cancelled", actor=coordinator, reason="Lecturer ill."
    )
    assert set(Enrolment.objects.values_list("status", flat=True)) == {"cancelled"}
    assert _emails_to(users[1])[-1] == "aida/offering_cancelled"
    offering.refresh_from_db()
    assert (offering.seats_taken, offering.waitlist_length) == (0, 0)


def test_marking_attendance_and_completion(lecturer):
    offering = OfferingFactory(capacity=5, course__lecturers=[lecturer])
    user = StudentFactory().user
    enrolment = services.enrolment_request(offering=offering, actor=user)
    with pytest.raises(PortalError):
        services.enrolment_mark(enrolment=enrolment, actor=lecturer.user, outcome="completed")
    services.offering_move(offering=offering, target="running", actor=lecturer.user)
    with pytest.raises(PermissionDenied):
        services.enrolment_mark(enrolment=enrolment, actor=user, outcome="completed")
    services.enrolment_mark(
        enrolment=enrolment, actor=lecturer.user, attended=True, outcome="completed"
    )
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.attended) == ("completed", True)


def test_a_student_sees_only_their_own_enrolments():
    offering = OfferingFactory()
    a, b = _students(2)
    services.enrolment_request(offering=offering, actor=a)
    services.enrolment_request(offering=offering, actor=b)
    assert [e.user for e in selectors.my_enrolments(a)] == [a]
