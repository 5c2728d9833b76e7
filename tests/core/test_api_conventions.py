"""The API's shared conventions, one place each: yes/no words, whole numbers, filters built
on the portal's FilterSet, and a schema whose types match what the API sends."""

import importlib

import django_filters
import pytest
from django.core.exceptions import ValidationError

from ai4media_portal.core.api.filters import BooleanFilter, PortalFilterSet
from ai4media_portal.core.filters import (
    WholeNumberParameterField,
    YesNoParameterField,
    parse_bool,
)
from ai4media_portal.core.pillars import PILLAR_APPS
from opencalls.enums import OrganisationType as ProposalOrganisationType
from tests.core.api_catalogue import list_routes, openapi_schema, query_parameters


@pytest.mark.parametrize("word", ["1", "true", "True", "yes", "ON", " on "])
def test_yes_words_parse_as_true(word):
    assert parse_bool(word) is True
    assert YesNoParameterField(required=False).clean(word) is True


@pytest.mark.parametrize("word", ["0", "false", "No", "off"])
def test_no_words_parse_as_false(word):
    assert parse_bool(word) is False
    assert YesNoParameterField(required=False).clean(word) is False


@pytest.mark.parametrize("word", ["2", "maybe", "truth", "-1", "y"])
def test_other_words_are_errors_not_absent(word):
    with pytest.raises(ValueError, match="yes/no"):
        parse_bool(word)
    with pytest.raises(ValidationError) as caught:
        YesNoParameterField(required=False).clean(word)
    assert caught.value.code == "invalid"


def test_an_empty_yes_no_parameter_is_absent():
    assert YesNoParameterField(required=False).clean("") is None


@pytest.mark.parametrize(("text", "number"), [("2", 2), ("2.0", 2), ("1e3", 1000), ("-4", -4)])
def test_whole_numbers_in_any_spelling(text, number):
    assert WholeNumberParameterField(required=False).clean(text) == number


@pytest.mark.parametrize("text", ["0.5", "x", "inf", "nan", "1e-3"])
def test_fractions_and_words_are_not_whole_numbers(text):
    with pytest.raises(ValidationError):
        WholeNumberParameterField(required=False).clean(text)


def _project_filtersets() -> list[type]:
    found = []
    for label in [*PILLAR_APPS, "opencalls.evaluation", "ai4media_portal.core"]:
        try:
            module = importlib.import_module(f"{label}.api.views")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, django_filters.FilterSet)
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


def test_every_filterset_reads_parameters_the_portal_way():
    filtersets = _project_filtersets()
    assert len(filtersets) >= 6
    assert [f.__name__ for f in filtersets if not issubclass(f, PortalFilterSet)] == []
    booleans = [
        (f.__name__, name)
        for f in filtersets
        for name, flt in f.base_filters.items()
        if isinstance(flt, django_filters.BooleanFilter) and not isinstance(flt, BooleanFilter)
    ]
    assert booleans == []


def _component(name: str) -> dict:
    return openapi_schema()["components"]["schemas"][name]


def test_schema_types_what_can_be_null_as_nullable():
    assert _component("Call")["properties"]["guide_url"]["nullable"] is True
    assert _component("Proposal")["properties"]["current_version"]["nullable"] is True
    website = _component("FundedProject")["properties"]["website"]
    assert website["nullable"] is True
    assert {"type": "string", "format": "uri"} in website["oneOf"]
    assert _component("Organisation")["properties"]["contact_email"]["nullable"] is True


def test_schema_gives_the_proposal_its_own_organisation_types():
    field = _component("Proposal")["properties"]["organisation_type"]
    refs = [part.get("$ref", "") for part in field["oneOf"]]
    assert "#/components/schemas/ProposalOrganisationTypeEnum" in refs
    assert _component("ProposalOrganisationTypeEnum")["enum"] == ProposalOrganisationType.values


def test_schema_publishes_page_size_bounds_and_ordering_choices():
    parameters = {p["name"]: p for p in query_parameters("/api/v1/proposals/")}
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 500}
    assert parameters["ordering"]["schema"]["enum"][:4] == ["id", "-id", "status", "-status"]
    assert parameters["track"]["schema"]["type"] == "integer"


@pytest.mark.parametrize(("url", "basename"), list_routes())
def test_every_list_documents_its_errors(url, basename):
    responses = openapi_schema()["paths"][url]["get"]["responses"]
    assert {"400", "401", "403", "404", "429"} <= set(responses), basename
