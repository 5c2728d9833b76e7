"""Ordering of the API's lists: ``?ordering=<name>`` or ``-<name>`` from the view's whitelist,
then the primary key, so that every ordering is total and a page never repeats or skips a row.

A view declares its orderings as public names mapped to model paths, and its default::

    ordering_fields = {"status": "status", "call": "call__number", "track": "track_id"}
    default_ordering = "-id"

``id`` (the primary key) is always allowed. A related object is ordered by one concrete,
comparable column (``track_id``, ``call__number``), never by the object itself, since keyset
pagination compares values. An unknown name is a 400; the allowed values are published in
the schema as an enum.
"""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend

ORDERING_PARAM = "ordering"


@dataclass(frozen=True)
class Term:
    """One ``ORDER BY`` key: a model path, its direction, the model field it ends on and
    whether it can be NULL (NULLs sort last ascending, first descending, as PostgreSQL)."""

    path: str
    descending: bool
    field: models.Field
    nullable: bool

    @property
    def alias(self) -> str:
        return "cursor_" + self.path.replace("__", "_")

    def order_by(self, *, reverse: bool = False):
        expression = models.F(self.alias)
        if self.descending != reverse:
            return expression.desc(nulls_first=True)
        return expression.asc(nulls_last=True)


def resolve(model, spec: str) -> Term:
    """A ``Term`` for ``"-call__number"`` on ``model``; raise ``ValueError`` when the path is
    not a concrete column."""
    descending = spec.startswith("-")
    path = spec.lstrip("-")
    nullable = False
    field = None
    current = model
    parts = path.split("__")
    for index, part in enumerate(parts):
        if current is None:
            raise ValueError(f"{spec}: {part} is not a column")
        try:
            field = current._meta.pk if part == "pk" else current._meta.get_field(part)
        except FieldDoesNotExist:
            raise ValueError(f"{spec}: no field {part} on {current.__name__}") from None
        if not getattr(field, "concrete", False) or field.many_to_many or field.one_to_many:
            raise ValueError(f"{spec}: {part} is not a column")
        nullable = nullable or field.null
        last = index == len(parts) - 1
        if field.is_relation:
            if last and part != field.attname:
                raise ValueError(f"{spec}: order by {field.attname} or a column of the object")
            current = None if last else field.related_model
        else:
            current = None
    return Term(path=path, descending=descending, field=field, nullable=nullable)


def allowed_orderings(view) -> dict[str, str]:
    """Public name → model path; ``id`` is always there."""
    return {"id": "pk", **(getattr(view, "ordering_fields", None) or {})}


def ordering_values(view) -> list[str]:
    """Every accepted value of ``?ordering=``, for validation and the schema."""
    return [value for name in allowed_orderings(view) for value in (name, f"-{name}")]


def ordering_terms(request, view, model, *, default: str | tuple = "-pk") -> list[Term]:
    """The terms of the ordering requested (or the view's ``default_ordering``, or
    ``default``), ending with the primary key. Raises a 400 for an unknown name."""
    names = allowed_orderings(view)
    if getattr(view, "ordering_fields", None):
        requested = request.query_params.get(ORDERING_PARAM) or None
        if requested is not None and requested not in ordering_values(view):
            raise ValidationError(
                {ORDERING_PARAM: [_("Order by one of: %s.") % ", ".join(ordering_values(view))]},
                code="invalid_choice",
            )
        chosen = requested or getattr(view, "default_ordering", None)
        if chosen:
            descending = chosen.startswith("-")
            path = names[chosen.lstrip("-")]
            default = (("-" if descending else "") + path,)
    specs = (default,) if isinstance(default, str) else tuple(default)
    terms = [resolve(model, spec) for spec in specs]
    pk_name = model._meta.pk.name
    if not any(term.path in {"pk", pk_name} for term in terms):
        terms.append(resolve(model, ("-" if terms[0].descending else "") + "pk"))
    return terms


def apply_ordering(queryset, terms: list[Term], *, reverse: bool = False):
    """Annotate each term's value (the cursor reads them back) and order by them."""
    queryset = queryset.annotate(**{term.alias: models.F(term.path) for term in terms})
    return queryset.order_by(*(term.order_by(reverse=reverse) for term in terms))


class OrderingFilter(BaseFilterBackend):
    """``?ordering=`` from the view's ``ordering_fields``; see the module docstring. Cursor
    pagination applies the same terms; without it this backend orders the queryset."""

    def filter_queryset(self, request, queryset, view):
        if not getattr(view, "ordering_fields", None):
            return queryset
        terms = ordering_terms(request, view, queryset.model)
        return apply_ordering(queryset, terms)

    def get_schema_operation_parameters(self, view):
        if not getattr(view, "ordering_fields", None):
            return []
        return [
            {
                "name": ORDERING_PARAM,
                "required": False,
                "in": "query",
                "description": (
                    "Order of the results: a name from the list, `-` first for descending. "
                    "Rows that tie are ordered by `id`."
                ),
                "schema": {"type": "string", "enum": ordering_values(view)},
            }
        ]
