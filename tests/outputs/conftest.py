import pytest

from tests.network.factories import ContactFactory, OrganisationFactory


@pytest.fixture
def contact(db):
    """A contact of an organisation of the network (``contact.user``, ``contact.organisation``)."""
    return ContactFactory()


@pytest.fixture
def organisation(contact):
    return contact.organisation


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Università di Bologna", slug="unibo")
