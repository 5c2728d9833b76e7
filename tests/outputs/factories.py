"""Factories of the outputs pillar's tests."""

import factory

from outputs.enums import Access, CreatorKind, OutputKind, OutputStatus, PublicationType
from outputs.models import Creator, Funding, Output
from tests.network.factories import OrganisationFactory


class OutputFactory(factory.django.DjangoModelFactory):
    """A published journal article with one person as creator (``creators=[...]`` names
    more) and the network's grant."""

    class Meta:
        model = Output
        skip_postgeneration_save = True

    kind = OutputKind.PUBLICATION
    status = OutputStatus.PUBLISHED
    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Robust Deepfake Detection in Broadcast Video, part {n}")
    abstract = "We detect manipulated faces in news footage."
    date_year = 2023
    date_month = 5
    publication_type = PublicationType.JOURNAL_ARTICLE
    venue = "IEEE Transactions on Multimedia"
    licence = "CC-BY-4.0"
    access = Access.OPEN
    keywords = factory.LazyFunction(lambda: ["deepfakes", "video"])
    research_areas = factory.LazyFunction(lambda: ["trustworthy-ai"])
    use_cases = factory.LazyFunction(lambda: ["disinformation"])

    @factory.post_generation
    def creators(self, create, extracted, **kwargs):
        if not create:
            return
        names = extracted or [("Papadopoulou", "Maria")]
        for position, (family, given) in enumerate(names):
            Creator.objects.create(
                output=self,
                position=position,
                kind=CreatorKind.PERSON if given else CreatorKind.ORGANISATION,
                name=f"{given} {family}".strip(),
                family_name=family if given else "",
                given_name=given,
            )
        self.search_names = " ".join(f"{given} {family}" for family, given in names)
        self.save(update_fields=["search_names"])
        # The creators' signals filled the catalogue's columns in the database.
        self.refresh_from_db(fields=["creator_names", "affiliation_ids"])
        Funding.objects.create(output=self)
