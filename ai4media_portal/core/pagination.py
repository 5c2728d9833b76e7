"""Pagination shared by the pages (the API's is in ``core/api/pagination.py``)."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CountedPaginator(Paginator):
    """A paginator told how many items there are (say, a count remembered in the cache)
    instead of counting them with a query on every page."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count
