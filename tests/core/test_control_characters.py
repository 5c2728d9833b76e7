"""Control characters never reach the database: a NUL (or another C0 character where it
cannot belong) in a form field, an API body, a URL kwarg or a query parameter is a 400 or a
form error naming the field, never a 500. Single-line text refuses tab and newline too;
multi-line text keeps them."""

import importlib
import inspect
import re

import pytest
from django import forms
from django.urls import get_resolver
from django.urls.resolvers import RoutePattern, URLResolver
from django.utils.datastructures import MultiValueDict
from rest_framework.test import APIClient

from ai4media_portal.core.forms import PortalFormMixin, is_multiline
from ai4media_portal.core.pillars import PILLAR_APPS
from tests.core.api_catalogue import list_routes, openapi_schema, writable_operations
from tests.core.world import build_world
from tests.network.factories import OrganisationFactory, topic

NUL = "a\x00b"


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _application_body(**changes) -> dict:
    return {
        "org_name": "Newsroom Tools",
        "org_type": "sme",
        "org_country": "FR",
        "org_website": "https://newsroom.example.com/",
        "org_description": "Tools for newsrooms.",
        "contact_name": "Ada Lovelace",
        "contact_position": "CEO",
        "motivation": "We want to collaborate.",
        "areas_of_interest": [topic().slug],
        "benefits": ["collaboration"],
        "accept_terms": True,
        **changes,
    }


# --- The cases found -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "attr"),
    [
        ({"organisation": NUL}, "organisation"),
        ({"areas_of_interest": [NUL]}, "areas_of_interest.0"),
        ({"org_name": NUL}, "org_name"),
        ({"benefits": [NUL]}, "benefits.0"),
        ({"motivation": "a\x07b"}, "motivation"),
    ],
)
def test_membership_application_refuses_nul(member, changes, attr):
    response = _client(member).post(
        "/api/v1/membership-applications/", _application_body(**changes), format="json"
    )
    assert response.status_code == 400
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [
        (attr, "control_characters")
    ]


def test_single_line_fields_refuse_newlines_multi_line_keep_them(member):
    client = _client(member)
    response = client.post(
        "/api/v1/membership-applications/",
        _application_body(org_name="Newsroom\nTools"),
        format="json",
    )
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["org_name"]
    response = client.post(
        "/api/v1/membership-applications/",
        _application_body(motivation="We want to collaborate.\r\n\tOn verification."),
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["motivation"] == "We want to collaborate.\r\n\tOn verification."


def test_organisation_lookup_with_nul_is_a_400(client, db):
    OrganisationFactory()
    response = client.get("/api/v1/organisations/%00/")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "control_characters"
    assert client.get("/network/organisations/a%00b/").status_code in {400, 404}


@pytest.mark.parametrize(("url", "basename"), list_routes())
def test_api_query_parameters_refuse_nul(client, db, url, basename):
    response = client.get(url, {"search": NUL})
    assert response.status_code == 400
    assert [(e["attr"], e["code"]) for e in response.json()["errors"]] == [
        ("search", "control_characters")
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/network/",
        "/network/apply/",
        "/network/manage/applications/",
        "/calls/projects/",
        "/calls/",
    ],
)
def test_page_query_parameters_refuse_nul(client, db, url):
    response = client.get(url, {"q": NUL, "organisation": NUL})
    assert response.status_code == 400
    assert b"U+0000" in response.content


# --- Every URL kwarg ---------------------------------------------------------------------------


def _regex_route(regex: str, value: str) -> str | None:
    route = regex.lstrip("^").rstrip("$")
    while "(?P<" in route:
        start = route.index("(?P<")
        depth, end = 0, start
        for end in range(start, len(route)):
            depth += {"(": 1, ")": -1}.get(route[end], 0)
            if depth == 0:
                break
        route = route[:start] + value + route[end + 1 :]
    route = route.replace("\\.", ".").replace("/?", "/")
    return None if re.search(r"[\\()\[\]*+?|]", route) else route


def _routes(patterns=None, prefix=""):
    """Concrete paths of every URL pattern that takes a kwarg, the kwarg set to a marker."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern.pattern, RoutePattern):
            piece = re.sub(r"<(?:\w+:)?\w+>", "{value}", str(pattern.pattern))
        else:
            piece = _regex_route(str(pattern.pattern), "{value}")
            if piece is None:
                continue
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + piece)
        elif "{value}" in prefix + piece:
            yield "/" + prefix + piece


ROUTES_WITH_KWARGS = sorted(set(_routes()))


def test_url_walk_finds_the_kwargs():
    assert "/network/organisations/{value}/" in ROUTES_WITH_KWARGS
    assert "/api/v1/organisations/{value}/" in ROUTES_WITH_KWARGS
    assert "/calls/evaluation/invitations/{value}/" in ROUTES_WITH_KWARGS
    assert len(ROUTES_WITH_KWARGS) > 150


@pytest.mark.parametrize("value", ["a%00b", "%1F", "99999999999999999999", "-1", "x" * 300])
def test_no_url_kwarg_gives_a_server_error(client, staff_user, value):
    """As a superuser, so that every page gets as far as its lookup."""
    client.force_login(staff_user)
    failures = []
    for route in ROUTES_WITH_KWARGS:
        url = route.replace("{value}", value)
        response = client.get(url)
        control = "%00" in value or "%1F" in value
        if response.status_code >= 500 or (control and response.status_code not in {400, 404}):
            failures.append(f"{url}: {response.status_code}")
    assert failures == []


# --- Every writable API operation ---------------------------------------------------------------


def _operation_target(world, method: str, path: str):
    """Who may call this operation, and on which object."""
    o, p = world.objects, world.people
    table = {
        "/api/v1/evaluation/reviews/{id}/": ("evaluator", o["review"].pk),
        "/api/v1/evaluation/reviews/": ("evaluator", None),
        "/api/v1/evaluation/reviews/{id}/submit/": ("evaluator", o["review"].pk),
        "/api/v1/evaluation/assignments/{id}/declare-conflict/": (
            "evaluator",
            o["free_assignment"].pk,
        ),
        "/api/v1/membership-applications/": ("member", None),
        "/api/v1/membership-applications/{id}/": ("applicant", o["draft_application"].pk),
        "/api/v1/membership-applications/{id}/submit/": (
            "applicant",
            o["draft_application"].pk,
        ),
        "/api/v1/membership-applications/{id}/resubmit/": (
            "applicant",
            o["draft_application"].pk,
        ),
        "/api/v1/membership-applications/{id}/withdraw/": (
            "applicant",
            o["draft_application"].pk,
        ),
        "/api/v1/proposals/": ("member", None),
        "/api/v1/proposals/{id}/": ("other_applicant", o["draft_proposal"].pk),
        "/api/v1/proposals/{id}/document/": ("other_applicant", o["draft_proposal"].pk),
        "/api/v1/proposals/{id}/submit/": ("other_applicant", o["draft_proposal"].pk),
        "/api/v1/proposals/{id}/withdraw/": ("other_applicant", o["draft_proposal"].pk),
        "/api/v1/aida/enrolments/": ("member", None),
        "/api/v1/outputs/": ("outputs_curator", None),
        "/api/v1/outputs/{id}/": ("outputs_curator", o["draft_output"].pk),
        "/api/v1/outputs/{id}/publish/": ("outputs_curator", o["draft_output"].pk),
        "/api/v1/outputs/{id}/unpublish/": ("outputs_curator", o["draft_output"].pk),
        "/api/v1/aida/enrolments/{id}/cancel/": ("applicant", o["aida_enrolment"].pk),
    }
    for action in ("approve", "reject", "request-information", "start-review"):
        table[f"/api/v1/membership-applications/{{id}}/{action}/"] = (
            "network_manager",
            o["submitted_application"].pk,
        )
    who, pk = table[path]
    return p[who], path.replace("{id}", str(pk))


def _request_properties(operation: dict) -> dict:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        return {}
    name = schema["$ref"].rsplit("/", 1)[-1]
    return openapi_schema()["components"]["schemas"][name].get("properties", {})


def _poisoned(spec: dict, character: str):
    kind = spec.get("type")
    if kind == "array":
        return [f"a{character}b"]
    if kind == "object":
        return {"1": f"a{character}b"}
    return f"a{character}b"


@pytest.mark.parametrize(("method", "path"), writable_operations())
def test_every_writable_operation_refuses_control_characters(db, method, path):
    world = build_world()
    user, url = _operation_target(world, method, path)
    operation = openapi_schema()["paths"][path][method]
    properties = {
        name: spec
        for name, spec in _request_properties(operation).items()
        if not spec.get("readOnly") and spec.get("format") != "binary"
    }
    if not properties:
        pytest.skip("takes no text")
    failures = []
    for name, spec in properties.items():
        for character in ("\x00", "\x1b"):
            response = getattr(_client(user), method)(
                url, {name: _poisoned(spec, character)}, format="json"
            )
            attrs = [e["attr"] for e in response.json().get("errors", [])]
            if response.status_code != 400 or not any(
                (attr or "").split(".")[0] == name for attr in attrs
            ):
                failures.append(f"{name} {character!r}: {response.status_code} {attrs}")
    assert failures == []


# --- Every form ----------------------------------------------------------------------------------


def _project_forms() -> list[type]:
    found = set()
    for label in ["ai4media_portal.accounts", *PILLAR_APPS, "opencalls.evaluation"]:
        try:
            module = importlib.import_module(f"{label}.forms")
        except ModuleNotFoundError:
            continue
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                found.add(value)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


PROJECT_FORMS = _project_forms()


def test_every_form_refuses_control_characters_by_construction():
    assert len(PROJECT_FORMS) > 40
    assert [f.__qualname__ for f in PROJECT_FORMS if not issubclass(f, PortalFormMixin)] == []


def _form_kwargs(world, form_class) -> dict:
    from ai4media_portal.accounts.models import User
    from network.models import Organisation
    from opencalls.evaluation.models import InterviewSlot
    from opencalls.models import Call, EligibilityItem, EvaluationCriterion

    call = world.calls[-1]
    name = form_class.__qualname__
    module = form_class.__module__
    proposal = world.objects["draft_proposal"]
    project = world.projects["applicant"]
    criteria = list(EvaluationCriterion.objects.filter(call=call))
    if module == "opencalls.evaluation.forms":
        by_name = {
            "EvaluationSettingsForm": {"call": call},
            "ScoresForm": {"criteria": criteria},
            "ReviewForm": {"criteria": criteria},
            "ConsensusForm": {"criteria": criteria},
            "RapporteurForm": {"evaluators": User.objects.filter(pk=world.people["evaluator"].pk)},
            "BookForm": {"slots": InterviewSlot.objects.all(), "call": call},
        }
        return by_name.get(name, {})
    if module == "outputs.forms":
        organisations = Organisation.objects.all()
        by_name = {
            "OutputForm": {"organisations": organisations},
            "ImportForm": {"organisations": organisations},
        }
        return by_name.get(name, {})
    if module == "observatory.forms":
        by_name = {
            "ContentForm": {"may_credit": True, "organisations": Organisation.objects.all()},
            "AcceptProposalForm": {"team": User.objects.filter(is_staff=True)},
            "ExpertForm": {"organisations": Organisation.objects.all(), "with_contact_email": True},
        }
        return by_name.get(name, {})
    by_name = {
        "ChallengeForm": {"call": call},
        "ProposalForm": {"proposal": proposal},
        "DocumentForm": {"call": proposal.call},
        "BudgetForm": {"proposal": proposal},
        "ProposalFilterForm": {"call": call},
        "ScreeningForm": {"items": EligibilityItem.objects.filter(call=call), "checks": {}},
        "DeliverableForm": {"project": project},
        "ProjectFilterForm": {"calls": list(Call.objects.all())},
        "DirectoryFilterForm": {"country_codes": ["DE", "BE"]},
    }
    return by_name.get(name, {})


def _multiline(field: forms.Field) -> bool:
    return is_multiline(field)


def test_every_form_field_refuses_control_characters(db):
    world = build_world()
    failures = []
    checked = 0
    for form_class in PROJECT_FORMS:
        if issubclass(form_class, forms.ModelForm) and form_class._meta.model is None:
            continue  # an abstract base
        kwargs = _form_kwargs(world, form_class)
        names = list(form_class(**kwargs).fields)
        for name in names:
            blank = form_class(**kwargs)
            field = blank.fields[name]
            # A file is not text; a checkbox turns whatever is sent into True or False.
            if isinstance(field, forms.FileField | forms.BooleanField) or field.disabled:
                continue
            for value, refused in [
                (NUL, True),
                ("a\x1bb", True),
                ("a\nb", not _multiline(field)),
            ]:
                data = MultiValueDict({blank.add_prefix(name): [value]})
                form = form_class(data=data, **kwargs)
                try:
                    form.is_valid()
                except Exception as error:  # noqa: BLE001 - report every failing field
                    failures.append(f"{form_class.__qualname__}.{name}: {error!r}")
                    continue
                codes = [e.code for e in form.errors.as_data().get(name, [])]
                if ("control_characters" in codes) != refused:
                    failures.append(f"{form_class.__qualname__}.{name}={value!r}: {codes}")
            checked += 1
    assert failures == [], "\n".join(failures)
    assert checked > 150
