"""Whatever someone types into the search box, the directory answers."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from network.selectors import directory

from .factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(db):
    return OrganisationFactory(name="Università di Valdadige", description="Computer vision.")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=60))
def test_search_never_fails_on_any_text(listed, text):
    results = list(directory(search=text))
    assert results in ([], [listed])


@pytest.mark.parametrize("text", ["⑴", "'", "a & b | !c", "foo:*", "\\", "(((", "ß", "ﬁ"])
def test_search_tricky_characters(listed, text):
    assert list(directory(search=text)) in ([], [listed])
