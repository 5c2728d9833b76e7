"""Deep pages find their rows' keys first: the same rows, in the same order, with their
prefetched relations, as Django's paginator gives."""

import pytest
from django.core.paginator import Paginator

from ai4media_portal.core.pagination import PortalPaginator
from network import selectors
from tests.network.factories import OrganisationFactory, topic

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("sort", ["", "-name", "country", "newest"])
def test_keys_first_pages_hold_the_rows_django_gives(sort):
    for number in range(22):  # four pages, the last with two orphans
        OrganisationFactory(
            name=f"Organisation {number % 7} {number:02d}",
            country=["BE", "DE", "FR"][number % 3],
            topics=[topic()],
        )
    queryset = selectors.directory(sort=sort)
    expected = Paginator(queryset, 5, orphans=2)
    deep = PortalPaginator(queryset, 5, orphans=2, keys_first_from=0)

    assert deep.num_pages == expected.num_pages == 4
    for number in expected.page_range:
        assert [o.pk for o in deep.page(number)] == [o.pk for o in expected.page(number)]


def test_a_deep_page_reads_only_its_rows_with_their_relations(django_assert_num_queries):
    for number in range(12):
        OrganisationFactory(name=f"Organisation {number:02d}", topics=[topic()])
    paginator = PortalPaginator(selectors.directory(), 5, count=12, keys_first_from=5)

    # The keys, the rows, their roles and their areas of interest; the count was given.
    with django_assert_num_queries(4):
        page = paginator.page(2)
        names = [(o.name, [t.slug for t in o.areas_of_interest.all()]) for o in page]

    assert names == [(f"Organisation {n:02d}", ["computer-vision"]) for n in range(5, 10)]


def test_a_known_count_spares_the_counting_query(django_assert_num_queries):
    OrganisationFactory()
    paginator = PortalPaginator(selectors.directory(), 5, count=40)

    with django_assert_num_queries(0):
        assert paginator.num_pages == 8
