"""Filters of the API's lists. Every FilterSet of every pillar derives from
``PortalFilterSet``; a filter only ever narrows the list its view's queryset allows for the
user (a test walks every list with every parameter to hold this)."""

import django_filters
from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from ..filters import WholeNumberParameterField, YesNoParameterField


class BooleanFilter(django_filters.BooleanFilter):
    """A yes/no parameter read by ``core.filters.parse_bool``: ``?mine=1`` and ``?mine=true``
    mean the same, and ``?mine=maybe`` is a 400 rather than being ignored."""

    field_class = YesNoParameterField


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(django_filters.NumberFilter):
    """A whole number (``?call=2``): ``2.5`` is a 400, not rounded or compared as a decimal;
    a number too large for any row simply matches none."""

    field_class = WholeNumberParameterField


class PortalFilterSet(django_filters.FilterSet):
    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": BooleanFilter},
    }
