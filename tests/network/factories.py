"""Factories of the network pillar's tests."""

import uuid
from datetime import date

import factory
from django.utils import timezone

from ai4media_portal.core.models import Topic
from network.enums import ApplicationStatus, Benefit, NetworkRole, OrganisationType
from network.models import (
    MembershipApplication,
    Organisation,
    OrganisationContact,
    OrganisationRole,
)
from network.terms import TERMS_VERSION
from tests.factories import UserFactory


def topic(slug: str = "computer-vision") -> Topic:
    """A topic of the vocabulary the core migration seeds."""
    return Topic.objects.get(slug=slug)


class OrganisationFactory(factory.django.DjangoModelFactory):
    """An organisation; ``role=`` (default associate member) makes it a member of the network,
    ``role=None`` leaves it without any role."""

    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Organisation {n} for Media Research")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    type = OrganisationType.RESEARCH_CENTRE
    country = "DE"
    city = "Berlin"
    website = factory.Sequence(lambda n: f"https://www.org{n}.example.org/")
    description = "Research on AI for the media."

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if not create:
            return
        role = NetworkRole.ASSOCIATE_MEMBER if extracted is None else extracted
        if role:
            since = kwargs.get("since") or date(2022, 5, 1)
            OrganisationRole.objects.create(organisation=self, role=role, since=since)
            self.joined_on = since
            self.save(update_fields=["joined_on"])

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.areas_of_interest.set(extracted)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganisationContact

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    position = "Director"


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft application; pass ``status=`` to put it in another state (without history)."""

    class Meta:
        model = MembershipApplication
        skip_postgeneration_save = True

    applicant = factory.SubFactory(UserFactory)
    form_token = factory.LazyFunction(uuid.uuid4)
    status = ApplicationStatus.DRAFT
    org_name = factory.Sequence(lambda n: f"Applicant Organisation {n}")
    org_type = OrganisationType.SME
    org_country = "FR"
    org_city = "Lyon"
    org_website = factory.Sequence(lambda n: f"https://applicant{n}.example.com/")
    org_description = "A company building AI tools for newsrooms."
    contact_name = "Ada Lovelace"
    contact_position = "CEO"
    motivation = "We want to collaborate with the network."
    benefits = factory.LazyFunction(lambda: [Benefit.COLLABORATION, Benefit.OPEN_CALL_FUNDING])
    terms_version = TERMS_VERSION
    terms_accepted_at = factory.LazyFunction(timezone.now)
    submitted_at = factory.LazyAttribute(
        lambda o: None if o.status == ApplicationStatus.DRAFT else timezone.now()
    )

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create:
            self.areas_of_interest.set(extracted or [topic()])
