"""The last seats of an AIDA offering under a crowd: 50 validated students request the last
10 seats at the same moment, each on its own database session (threads released by a barrier,
through ``aida.services.enrolment_request``, row lock and all). Runs in a throwaway test
database. Targets: exactly 10 confirmed, 40 waitlisted in the order the requests were served,
no error, no seat oversold; the time is reported."""

from __future__ import annotations

import os
import threading
import time
from datetime import timedelta

from .report import Row

NAME = "aida-seats"
STUDENTS, SEATS_LEFT, CAPACITY = 50, 10, 30


def run() -> list[Row]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ai4media_portal.settings.test")
    import django

    django.setup()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        return _measure()
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _setup():
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from ai4media_portal.accounts.models import User
    from aida.enums import EnrolmentStatus, MemberTier, OfferingStatus, StudentStatus
    from aida.models import Course, Enrolment, Member, Offering, Student
    from network.models import Organisation

    today = timezone.localdate()
    password = make_password(None)
    organisation = Organisation.objects.create(
        name="Benchmark University", slug="benchmark-university", type="university", country="GR"
    )
    member = Member.objects.create(
        organisation=organisation, tier=MemberTier.FULL, joined_on=today, mou_signed_on=today
    )
    course = Course.objects.create(
        title="Benchmark course",
        code="BENCH-1",
        slug="bench-1",
        description="Seats.",
        format="short-course",
        level="advanced",
        host=member,
    )
    offering = Offering.objects.create(
        course=course,
        starts_on=today + timedelta(days=30),
        ends_on=today + timedelta(days=31),
        mode="online",
        enrolment_opens_on=today,
        enrolment_closes_on=today + timedelta(days=10),
        capacity=CAPACITY,
        status=OfferingStatus.OPEN,
        seats_taken=CAPACITY - SEATS_LEFT,
    )
    seated = User.objects.bulk_create(
        User(email=f"seated{i}@bench.example.org", full_name=f"Seated {i}", password=password)
        for i in range(CAPACITY - SEATS_LEFT)
    )
    Enrolment.objects.bulk_create(
        Enrolment(
            offering=offering, user=u, status=EnrolmentStatus.CONFIRMED, requested_at=timezone.now()
        )
        for u in seated
    )
    students = User.objects.bulk_create(
        User(email=f"student{i}@bench.example.org", full_name=f"Student {i}", password=password)
        for i in range(STUDENTS)
    )
    Student.objects.bulk_create(
        Student(user=u, member=member, is_phd=False, country="GR", status=StudentStatus.VALIDATED)
        for u in students
    )
    return offering, students


def _measure() -> list[Row]:
    from django.db import connections

    from aida import selectors, services
    from aida.models import Enrolment

    offering, students = _setup()
    barrier = threading.Barrier(STUDENTS)
    errors: list[BaseException] = []

    def work(user):
        try:
            barrier.wait()
            services.enrolment_request(offering=offering, actor=user)
        except BaseException as error:  # noqa: BLE001 - counted and reported
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(u,)) for u in students]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started

    offering.refresh_from_db()
    mine = list(
        Enrolment.objects.filter(offering=offering, user__in=students).order_by(
            "requested_at", "pk"
        )
    )
    confirmed = [e for e in mine if e.status == "confirmed"]
    waitlisted = [e for e in mine if e.status == "waitlisted"]
    in_order = [e.pk for e in selectors.waitlist(offering)] == [e.pk for e in mine[SEATS_LEFT:]]
    first_served = all(e.status == "confirmed" for e in mine[:SEATS_LEFT])
    return [
        Row(
            NAME,
            "confirmed of the last seats",
            str(len(confirmed)),
            str(SEATS_LEFT),
            len(confirmed) == SEATS_LEFT,
        ),
        Row(
            NAME,
            "waitlisted in request order",
            str(len(waitlisted)),
            f"{STUDENTS - SEATS_LEFT}, in order",
            len(waitlisted) == STUDENTS - SEATS_LEFT and in_order and first_served,
        ),
        Row(NAME, "errors", str(len(errors)), "0", not errors),
        Row(
            NAME,
            "seats taken / capacity",
            f"{offering.seats_taken}/{offering.capacity}",
            "never over",
            offering.seats_taken == offering.capacity,
        ),
        Row(NAME, f"{STUDENTS} parallel requests", f"{elapsed:.2f} s"),
    ]
