"""Pagination shared by the pages (the API's is in ``core/api/pagination.py``)."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

# From this many rows in, a page looks up its rows' keys first.
KEYS_FIRST_FROM = 500


class PortalPaginator(Paginator):
    """Django's paginator, with deep pages that stay as fast as the first.

    A deep page (``OFFSET`` of ``KEYS_FIRST_FROM`` rows or more) first finds the primary keys
    of its rows — the database walks the ordering's index and skips rows without reading or
    sorting them whole — then reads those rows alone, with their ``select_related`` and
    prefetches. ``count``, when given (say, one remembered in the cache), spares the counting
    query on every page.
    """

    def __init__(
        self,
        object_list,
        per_page,
        *,
        count: int | None = None,
        keys_first_from: int = KEYS_FIRST_FROM,
        **kwargs,
    ):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count
        self.keys_first_from = keys_first_from

    @cached_property
    def count(self) -> int:
        if self._known_count is not None:
            return self._known_count
        return super().count

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom < self.keys_first_from or not hasattr(self.object_list, "values_list"):
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=keys)}
        return self._get_page([rows[key] for key in keys if key in rows], number, self)
