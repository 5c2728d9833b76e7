from rest_framework.pagination import CursorPagination


class PortalCursorPagination(CursorPagination):
    """Keyset pagination: page 10,000 costs what page 1 costs, and rows inserted while a client
    pages through never shift or repeat results. Lists order by a unique key (``-pk`` unless a
    view says otherwise); ``?page_size=`` goes up to 500 for harvesters."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-pk"


class NewestFirstPagination(PortalCursorPagination):
    """For logs and feeds: newest first, by the indexed ``created_at``."""

    ordering = ("-created_at", "-id")
