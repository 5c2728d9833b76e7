"""Factories of the AIDA pillar's tests."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from aida.enums import (
    CourseFormat,
    CourseLevel,
    Curriculum,
    EnrolmentStatus,
    MemberTier,
    OfferingMode,
    OfferingStatus,
    StudentStatus,
)
from aida.models import Course, Enrolment, Lecture, Lecturer, Member, Offering, Resource, Student
from tests.factories import UserFactory
from tests.network.factories import OrganisationFactory


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory, type="university")
    tier = MemberTier.FULL
    joined_on = date(2021, 3, 1)
    mou_signed_on = date(2021, 2, 15)

    @factory.post_generation
    def representatives(self, create, extracted, **kwargs):
        if create and extracted:
            self.representatives.set(extracted)


class LecturerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lecturer

    user = factory.SubFactory(UserFactory)
    member = factory.SubFactory(MemberFactory)
    position = "Professor"


class StudentFactory(factory.django.DjangoModelFactory):
    """A validated student unless ``status=`` says otherwise."""

    class Meta:
        model = Student

    user = factory.SubFactory(UserFactory)
    member = factory.SubFactory(MemberFactory)
    is_phd = True
    supervisor_name = "Grace Hopper"
    supervisor_email = "grace@example.org"
    country = "DE"
    research_interests = "Video understanding."
    status = StudentStatus.VALIDATED


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Deep Learning for Media {n}")
    code = factory.Sequence(lambda n: f"AIDA-{n:03d}")
    slug = factory.Sequence(lambda n: f"aida-{n:03d}-deep-learning")
    description = "Neural networks for images, video and text."
    syllabus = "Backpropagation; convolutional networks; transformers."
    learning_outcomes = "Train and evaluate deep models."
    curricula = factory.LazyFunction(lambda: [Curriculum.AI_CORE])
    format = CourseFormat.SHORT_COURSE
    ects = Decimal("2.5")
    level = CourseLevel.ADVANCED
    language = "en"
    host = factory.SubFactory(MemberFactory)

    @factory.post_generation
    def lecturers(self, create, extracted, **kwargs):
        if create and extracted:
            self.lecturers.set(extracted)


class OfferingFactory(factory.django.DjangoModelFactory):
    """An open offering whose enrolment window includes today."""

    class Meta:
        model = Offering

    course = factory.SubFactory(CourseFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=34))
    schedule = "Monday to Friday, 9:00–13:00"
    timezone = "Europe/Athens"
    mode = OfferingMode.ONLINE
    enrolment_opens_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=5))
    enrolment_closes_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=20))
    capacity = 3
    status = OfferingStatus.OPEN


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """An enrolment (confirmed by default) counted in its offering's seats or waitlist, as the
    services count it."""

    class Meta:
        model = Enrolment
        skip_postgeneration_save = True

    offering = factory.SubFactory(OfferingFactory)
    user = factory.SubFactory(UserFactory)
    status = EnrolmentStatus.CONFIRMED
    requested_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def counted(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        from django.db.models import F

        from aida.enums import SEATED_STATUSES

        field = (
            "seats_taken"
            if self.status in SEATED_STATUSES
            else "waitlist_length"
            if self.status == EnrolmentStatus.WAITLISTED
            else None
        )
        if field:
            Offering.objects.filter(pk=self.offering_id).update(**{field: F(field) + 1})
            self.offering.refresh_from_db()


def validated_student(**kwargs) -> Student:
    return StudentFactory(**kwargs)


class LectureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lecture

    title = factory.Sequence(lambda n: f"AI Excellence Lecture {n}")
    slug = factory.Sequence(lambda n: f"ai-excellence-lecture-{n}")
    speaker = "Prof. Example"
    affiliation = "Example University"
    abstract = "Recent advances."
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=1))
    timezone = "Europe/Brussels"


class ResourceFactory(factory.django.DjangoModelFactory):
    """An accepted resource unless ``status=`` says otherwise."""

    class Meta:
        model = Resource

    title = factory.Sequence(lambda n: f"Lecture notes {n}")
    slug = factory.Sequence(lambda n: f"lecture-notes-{n}")
    description = "Notes of a course."
    type = "course-material"
    curricula = factory.LazyFunction(lambda: [Curriculum.AI_CORE])
    level = CourseLevel.INTERMEDIATE
    language = "en"
    licence = "CC-BY-4.0"
    authors = "A. Author"
    url = factory.Sequence(lambda n: f"https://example.org/notes/{n}")
    submitted_by = factory.SubFactory(UserFactory)
    status = "accepted"


def resource_fields(**changes) -> dict:
    """A lecturer's resource as the submit form or ``services.resource_submit`` takes it: a
    notebook with a link; ``changes`` override or add fields."""
    return {
        "title": "Transformers from scratch",
        "description": "A notebook that builds a transformer step by step.",
        "type": "notebook",
        "curricula": ["ai-core"],
        "level": "intermediate",
        "language": "en",
        "licence": "cc-by-4.0",
        "authors": "Luca Lecturer",
        "url": "https://github.com/example/transformers",
        "course": None,
        **changes,
    }
