"""The policy tracker: regulations, dated milestones, linked analyses, pages and API."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.models import AuditEntry
from observatory import services
from observatory.enums import ContentStatus
from observatory.models import Milestone, Regulation
from tests.utils import Access, assert_constant_queries, check_matrix

from .factories import ContentItemFactory

pytestmark = pytest.mark.django_db
S = ContentStatus
SOURCE = "https://eur-lex.europa.eu/eli/reg/2024/1689/oj"


def _regulation(actor, **changes):
    data = {
        "short_name": "AI Act",
        "name": "Regulation (EU) 2024/1689 laying down harmonised rules on artificial intelligence",
        "celex": "32024R1689",
        "oj_reference": "OJ L, 2024/1689, 12.7.2024",
        "official_url": SOURCE,
        "status": "in-force",
        "status_as_of": date(2025, 8, 2),
        "summary": "",
    }
    data.update(changes)
    return services.regulation_save(actor=actor, data=data)


def _milestone(actor, regulation, when, title="A step", kind="step"):
    return services.milestone_add(
        actor=actor,
        regulation=regulation,
        data={"date": when, "title": title, "kind": kind, "source_url": SOURCE},
    )


def test_editors_add_regulations_and_milestones_with_audit(editor):
    regulation = _regulation(editor)
    assert regulation.slug == "ai-act"
    _milestone(editor, regulation, date(2024, 8, 1), "Enters into force")
    assert list(regulation.milestones.values_list("title", flat=True)) == ["Enters into force"]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert actions == {"observatory.regulation.save", "observatory.milestone.add"}


@pytest.mark.parametrize("who", ["member", "staff", "superuser", "network-manager"])
def test_only_the_editorial_team_keeps_the_tracker(people, editor, who):
    with pytest.raises(PermissionDenied):
        _regulation(people[who])
    regulation = _regulation(editor)
    with pytest.raises(PermissionDenied):
        _milestone(people[who], regulation, date(2024, 8, 1))


def test_a_taken_slug_and_a_milestone_without_source_are_refused(editor):
    _regulation(editor)
    with pytest.raises(PortalError) as error:
        _regulation(editor, short_name="AI Act")
    assert error.value.field == "slug"
    regulation = Regulation.objects.get()
    with pytest.raises(PortalError) as error:
        services.milestone_add(
            actor=editor,
            regulation=regulation,
            data={"date": date(2024, 8, 1), "title": "x", "kind": "step", "source_url": ""},
        )
    assert error.value.field == "source_url"


def test_regulation_page_lists_milestones_in_order_and_published_analyses_only(client, editor):
    regulation = _regulation(editor)
    today = timezone.localdate()
    _milestone(editor, regulation, today + timedelta(days=30), "Upcoming step")
    _milestone(editor, regulation, date(2024, 8, 1), "Past step")
    _milestone(editor, regulation, today + timedelta(days=60), "A change", "proposed-change")
    published = ContentItemFactory(status=S.PUBLISHED, title="Published analysis")
    published.regulations.set([regulation])
    for state in S:
        if state != S.PUBLISHED:
            hidden = ContentItemFactory(status=state, title=f"Hidden {state.value}")
            hidden.regulations.set([regulation])
    response = client.get("/observatory/policy/ai-act/")
    assert [m.title for m in response.context["regulation"].milestones.all()] == [
        "Past step",
        "Upcoming step",
        "A change",
    ]
    assert response.context["analyses"] == [published]
    html = response.content.decode()
    assert "Hidden" not in html
    assert "proposed change" in html
    assert html.count("upcoming</span>") == 2


def test_overview_timeline_spans_regulations_in_date_order(client, editor):
    ai_act = _regulation(editor)
    dsa = _regulation(editor, short_name="DSA", name="Digital Services Act")
    _milestone(editor, ai_act, date(2024, 8, 1), "AI Act in force")
    _milestone(editor, dsa, date(2022, 11, 16), "DSA in force")
    response = client.get("/observatory/policy/")
    assert [m.title for m in response.context["timeline"]] == ["DSA in force", "AI Act in force"]


def test_editing_pages_for_the_team(client, people, editor):
    _regulation(editor)
    rows = [
        Access("get", "/observatory/policy/", "anonymous", 200),
        Access("get", "/observatory/policy/ai-act/", "anonymous", 200),
        Access("get", "/observatory/policy/nope/", "anonymous", 404),
        Access("get", "/observatory/policy/new/", "anonymous", 302),
        *[
            Access("get", url, who, 200)
            for url in ("/observatory/policy/new/", "/observatory/policy/ai-act/edit/")
            for who in ("observatory-editor", "editor-in-chief")
        ],
        *[
            Access("get", url, who, 403)
            for url in ("/observatory/policy/new/", "/observatory/policy/ai-act/edit/")
            for who in ("member", "staff", "superuser")
        ],
        Access(
            "post",
            "/observatory/policy/ai-act/milestones/",
            "member",
            403,
            {"date": "2024-08-01", "title": "x", "kind": "step", "source_url": SOURCE},
        ),
    ]
    check_matrix(client, people, rows)
    assert Milestone.objects.count() == 0


def test_a_bad_milestone_shows_errors_beside_the_fields(client, editor):
    _regulation(editor)
    client.force_login(editor)
    response = client.post(
        "/observatory/policy/ai-act/milestones/",
        {"date": "not a date", "title": "Keep me", "kind": "step", "source_url": "nope"},
    )
    assert response.status_code == 422
    assert set(response.context["milestone_form"].errors) == {"date", "source_url"}
    assert "Keep me" in response.content.decode()


def test_add_and_remove_a_milestone_through_the_page(client, editor):
    _regulation(editor)
    client.force_login(editor)
    url = "/observatory/policy/ai-act/milestones/"
    data = {"date": "2026-08-02", "title": "Most rules apply", "kind": "application"}
    assert client.post(url, {**data, "source_url": SOURCE}).status_code == 302
    milestone = Milestone.objects.get()
    assert client.post(f"{url}{milestone.pk}/delete/").status_code == 302
    assert Milestone.objects.count() == 0


def test_api_lists_regulations_with_milestones(api_client, editor):
    regulation = _regulation(editor)
    _milestone(editor, regulation, date(2024, 8, 1), "Enters into force")
    rows = api_client.get("/api/v1/observatory/policies/").json()["results"]
    assert [row["short_name"] for row in rows] == ["AI Act"]
    assert rows[0]["celex"] == "32024R1689"
    assert rows[0]["milestones"] == [
        {
            "date": "2024-08-01",
            "title": "Enters into force",
            "kind": "step",
            "source_url": SOURCE,
            "description": "",
        }
    ]


@pytest.mark.parametrize("url", ["/observatory/policy/", "/api/v1/observatory/policies/"])
def test_policy_lists_run_a_constant_number_of_queries(client, editor, url):
    counter = iter(range(100))

    def add():
        regulation = _regulation(editor, short_name=f"Regulation {next(counter)}")
        _milestone(editor, regulation, date(2024, 8, 1))

    assert_constant_queries(client, url, add)


def test_a_short_name_in_another_script_makes_a_readable_address(editor):
    assert _regulation(editor, short_name="Νόμος ΨΗΦ").slug == "nomos-psif"
    assert _regulation(editor, short_name="«…»").slug == "regulation"
    assert _regulation(editor, short_name="— ! —").slug == "regulation-2"
