"""A query parameter only ever narrows what a user may see. For every list of the API and
every parameter it publishes, each value (yes/no words, enum values, garbage) gives a 400 or a
subset of the unfiltered list for that user, and team-only fields never appear for someone
who is not in the team."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from opencalls.api.serializers import FOLLOW_UP_FIELDS
from tests.core.api_catalogue import list_routes, query_parameters
from tests.core.world import build_world

VARIANTS = ["1", "true", "yes", "on", "TRUE", "0", "false", "no", "off", "garbage", "", "-1"]
VIEWERS = ["anonymous", "member", "applicant", "evaluator"]


def _key(row: dict):
    for name in ("id", "slug", "number"):
        if name in row:
            return row[name]
    raise AssertionError(f"a row without an id: {row}")


def _walk(client, url: str, params: dict) -> tuple[int, list[dict]]:
    """Every row of a list, following ``next``; (status, rows) or (error status, [])."""
    response = client.get(url, {**params, "page_size": 500})
    if response.status_code != 200:
        return response.status_code, []
    rows = list(response.json()["results"])
    following = response.json()["next"]
    while following:
        page = client.get(following).json()
        rows += page["results"]
        following = page["next"]
    return 200, rows


def _values(parameter: dict) -> list[str]:
    schema = parameter.get("schema", {})
    # A few values of a long enum (countries) are enough: the rest filter the same way.
    enum = [str(value) for value in schema.get("enum", []) if value is not None][:6]
    return [*enum, *VARIANTS]


def _client(world, who) -> APIClient:
    client = APIClient()
    if world.people[who] is not None:
        client.force_authenticate(world.people[who])
    return client


@pytest.mark.parametrize(("url", "basename"), list_routes())
def test_list_parameters_only_narrow(db, url, basename):
    world = build_world()
    failures = []
    for who in VIEWERS:
        client = _client(world, who)
        status, everything = _walk(client, url, {})
        if status != 200:
            continue  # not this viewer's list at all (401, 403, 404)
        allowed = {_key(row) for row in everything}
        for parameter in query_parameters(url):
            if parameter["name"] in {"cursor", "page_size"}:
                continue
            for value in _values(parameter):
                status, rows = _walk(client, url, {parameter["name"]: value})
                if status not in {200, 400}:
                    failures.append(f"{who} {parameter['name']}={value!r}: {status}")
                extra = {_key(row) for row in rows} - allowed
                if extra:
                    failures.append(f"{who} {parameter['name']}={value!r}: widened by {extra}")
    assert failures == []


def test_every_list_is_walked(db):
    assert sorted(basename for _url, basename in list_routes()) == [
        "aida-course",
        "aida-enrolment",
        "aida-lecture",
        "aida-member",
        "aida-offering",
        "aida-resource",
        "audit-log",
        "call",
        "evaluation-assignment",
        "evaluation-review",
        "expert",
        "fellows-exchange",
        "fellows-host-offer",
        "funded-project",
        "membership-application",
        "observatory-content",
        "observatory-policy",
        "organisation",
        "output",
        "proposal",
    ]


def _follows(world, who) -> set[int]:
    user = world.people[who]
    return {p.pk for p in world.projects.values() if user and p.is_team_member(user)}


@pytest.mark.parametrize("who", VIEWERS)
def test_funded_projects_show_team_fields_only_to_the_team(db, who):
    world = build_world()
    client = _client(world, who)
    follows = _follows(world, who)
    seen = []
    for mine in [None, *VARIANTS]:
        params = {} if mine is None else {"mine": mine}
        response = client.get("/api/v1/funded-projects/", params)
        rows = response.json()["results"] if response.status_code == 200 else []
        for row in rows:
            private = [name for name in FOLLOW_UP_FIELDS if name in row]
            expected = list(FOLLOW_UP_FIELDS) if row["id"] in follows else []
            seen.append((mine, row["id"], private == expected))
        for project in world.projects.values():
            url = reverse("funded-project-detail", args=[project.pk])
            response = client.get(url, params)
            if response.status_code == 400:
                continue
            detail = response.json()
            private = [name for name in FOLLOW_UP_FIELDS if name in detail]
            expected = list(FOLLOW_UP_FIELDS) if project.pk in follows else []
            seen.append((mine, project.pk, private == expected))
    assert [row for row in seen if not row[2]] == []
    assert len(seen) > 2 * len(VARIANTS)


def test_funded_projects_mine_reads_every_yes_word_the_same(db):
    world = build_world()
    client = _client(world, "applicant")
    own = [world.projects["applicant"].pk]
    for word in ["1", "true", "yes", "on", "True", " YES "]:
        rows = client.get("/api/v1/funded-projects/", {"mine": word}).json()["results"]
        assert [row["id"] for row in rows] == own, word
    everything = sorted(p.pk for p in world.projects.values())
    for word in ["0", "false", "no", "off", ""]:
        rows = client.get("/api/v1/funded-projects/", {"mine": word}).json()["results"]
        assert sorted(row["id"] for row in rows) == everything, word
    response = client.get("/api/v1/funded-projects/", {"mine": "maybe"})
    assert response.status_code == 400
    assert [e["attr"] for e in response.json()["errors"]] == ["mine"]


def test_funded_projects_mine_for_a_member_without_projects_is_empty(db):
    world = build_world()
    client = _client(world, "member")
    for word in ["1", "true", "yes", "on"]:
        assert client.get("/api/v1/funded-projects/", {"mine": word}).json()["results"] == []
