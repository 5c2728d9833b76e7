"""Keyset ("cursor") pagination for every list of the API.

A page is the ``page_size`` rows that come after (or, walking back, before) the row a cursor
points at, in the list's ordering (``core.api.ordering``), which always ends with the primary
key. The cursor carries that row's value of every ordering key, so:

- page 10,000 costs what page 1 costs;
- rows inserted or deleted while a client walks the list never make it repeat or skip one;
- every whitelisted ordering works, ties and NULLs included.

A cursor is only valid for the ordering it was made for; a forged or stale one is a 404 (as
with DRF's cursor pagination: the page it names does not exist).
"""

import base64
import binascii
import datetime
import decimal
import json
import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from ..text import forbidden_character
from .ordering import Term, apply_ordering, ordering_terms


def _jsonable(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _after(terms: list[Term], values: list, *, reverse: bool) -> Q:
    """Rows strictly after ``values`` in the order of ``terms`` (reversed when walking back):
    the first key further on, or equal and the second further on, and so on. NULLs come last
    ascending and first descending, as in ``Term.order_by``."""
    condition = Q(pk__in=[])
    equal = Q()
    for term, value in zip(terms, values, strict=True):
        descending = term.descending != reverse
        name = term.alias
        if value is None:
            further = Q(**{f"{name}__isnull": False}) if descending else None
            same = Q(**{f"{name}__isnull": True})
        else:
            further = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
            if term.nullable and not descending:
                further |= Q(**{f"{name}__isnull": True})
            same = Q(**{name: value})
        if further is not None:
            condition |= equal & further
        equal &= same
    return condition


class PortalCursorPagination(BasePagination):
    """Keyset pagination (see the module docstring). ``?page_size=`` from 1 to 500 (for
    harvesters); 25 by default. Lists order by ``-pk`` unless the view or a subclass says
    otherwise."""

    page_size = 25
    max_page_size = 500
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"
    ordering: str | tuple = "-pk"

    # --- Parameters -------------------------------------------------------------------------

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("A whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                },
                code="invalid",
            )
        return size

    def _invalid_cursor(self):
        # As DRF's own cursor pagination: the page a made-up or stale cursor names does not
        # exist.
        return NotFound(_("No such page: follow `next` or `previous` from a response."))

    def _signature(self) -> str:
        return ",".join(("-" if t.descending else "") + t.path for t in self.terms)

    def decode_cursor(self, request) -> tuple[list, bool] | None:
        encoded = request.query_params.get(self.cursor_query_param)
        if not encoded:
            return None
        try:
            payload = json.loads(base64.urlsafe_b64decode(encoded.encode("ascii")))
            if payload["o"] != self._signature() or len(payload["v"]) != len(self.terms):
                raise ValueError
            values = []
            for term, raw in zip(self.terms, payload["v"], strict=True):
                if isinstance(raw, str) and forbidden_character(raw):
                    raise ValueError
                if raw is not None and not isinstance(raw, str | int | float | bool):
                    raise ValueError
                values.append(None if raw is None else term.field.to_python(raw))
            return values, bool(payload.get("r"))
        except (
            ValueError,
            TypeError,
            KeyError,
            UnicodeError,
            binascii.Error,
            DjangoValidationError,
            decimal.InvalidOperation,
        ):
            raise self._invalid_cursor() from None

    def encode_cursor(self, row, *, reverse: bool) -> str:
        values = [
            _jsonable(term.field.get_prep_value(getattr(row, term.alias))) for term in self.terms
        ]
        payload = {"o": self._signature(), "v": values, "r": 1 if reverse else 0}
        encoded = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode("ascii")
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    # --- Paging -----------------------------------------------------------------------------

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        self.terms = ordering_terms(request, view, queryset.model, default=self.ordering)
        cursor = self.decode_cursor(request)
        values, reverse = cursor if cursor else (None, False)
        queryset = apply_ordering(queryset, self.terms, reverse=reverse)
        if values is not None:
            queryset = queryset.filter(_after(self.terms, values, reverse=reverse))
        rows = list(queryset[: self.page_size + 1])
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if reverse:
            rows.reverse()
        self.next_link = self.previous_link = None
        if rows:
            if more or reverse:
                self.next_link = self.encode_cursor(rows[-1], reverse=False)
            if (more and reverse) or (values is not None and not reverse):
                self.previous_link = self.encode_cursor(rows[0], reverse=True)
        return rows

    def get_paginated_response(self, data):
        return Response({"next": self.next_link, "previous": self.previous_link, "results": data})

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": "The next page, or null on the last."},
                "previous": {**link, "description": "The previous page, or null on the first."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts: take it from `next` or `previous`.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows per page ({self.page_size} by default).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]


class NewestFirstPagination(PortalCursorPagination):
    """For logs and feeds: newest first, by the indexed ``created_at``."""

    ordering = ("-created_at", "-id")
