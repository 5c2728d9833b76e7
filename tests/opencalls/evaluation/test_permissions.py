"""Who sees what in the evaluation, for every kind of person: pages, documents, exports and
the API. An evaluator sees only what is assigned to them and not conflicted (a conflicted
evaluator sees nothing, even with a submitted review); nobody learns that something they may
not see exists (404); managers' tools are forbidden (403) to everyone else."""

import pytest
from django.utils import timezone

from opencalls.evaluation import services
from opencalls.evaluation.enums import ConflictSource
from opencalls.evaluation.models import Conflict, ConsensusReport, Review
from tests.factories import UserFactory
from tests.utils import Access, check_matrix, request_as

from .factories import assign, call_under_evaluation, final_consensus, pool_evaluator, review

pytestmark = pytest.mark.django_db

WHO = [
    "anonymous",
    "member",
    "owner",
    "assigned",
    "rapporteur",
    "in-pool",
    "not-in-pool",
    "conflicted",
    "call-manager",
    "staff",
    # An admin account keeps the call managers' powers (``is_manager``), nothing more.
    "superuser",
]


@pytest.fixture
def world(people):
    call, (p0, p1), by = call_under_evaluation(proposals=2)
    assigned = pool_evaluator(call)
    rapporteur = pool_evaluator(call)
    conflicted = pool_evaluator(call)
    in_pool = pool_evaluator(call)
    not_in_pool = UserFactory(roles=["evaluator"])
    first = assign(p0, assigned, by)
    assign(p0, rapporteur, by)
    late = assign(p0, conflicted, by)
    assign(p1, in_pool, by)
    review(late)  # submitted, then a conflict comes to light: they must see nothing now
    # A rapporteur is chosen once their own review is in (they read every review).
    review(
        p0.assignments.get(evaluator=rapporteur),
        (2, 2, 2),
        {"Excellence": "Rapporteur's secret view."},
    )
    Conflict.objects.create(
        call=call,
        proposal=p0,
        evaluator=conflicted,
        source=ConflictSource.DECLARED,
        reason="Came to light after the review",
    )
    services.consensus_set_rapporteur(proposal=p0, actor=by, rapporteur=rapporteur)
    who = {
        **people,
        "call-manager": by,
        "owner": p0.applicant,
        "assigned": assigned,
        "rapporteur": rapporteur,
        "in-pool": in_pool,
        "not-in-pool": not_in_pool,
        "conflicted": conflicted,
    }
    return who, call, p0, first


def _rows(method, url, expected: dict):
    return [Access(method, url, who, status) for who, status in expected.items()]


def _only(allowed: dict, default_signed_in: int, anonymous: int = 302) -> dict:
    expected = dict.fromkeys(WHO, default_signed_in)
    expected["anonymous"] = anonymous
    expected.update(allowed)
    return expected


def test_permission_matrix_evaluator_pages_and_documents(client, world):
    people, call, p0, _first = world
    base = f"/calls/evaluation/proposals/{p0.pk}"
    # The rapporteur is an evaluator of the proposal too; the conflicted one is not any more.
    evaluators_of_p0 = {"assigned": 200, "rapporteur": 200}
    rows = [
        *_rows("get", "/calls/evaluation/", _only({}, 200)),
        *_rows("get", f"{base}/", _only(evaluators_of_p0, 404)),
        *_rows("get", f"{base}/document/", _only(evaluators_of_p0, 404)),
        *_rows("post", f"{base}/autosave/", _only(evaluators_of_p0, 404)),
        *_rows("post", f"{base}/conflict/", _only({"assigned": 422, "rapporteur": 422}, 404)),
        *_rows(
            "get",
            f"{base}/consensus/",
            _only({"rapporteur": 200, "call-manager": 200, "superuser": 200}, 404),
        ),
        *_rows("get", f"{base}/summary/", _only({"call-manager": 404, "superuser": 404}, 404)),
        *_rows("get", f"{base}/interview/", _only({}, 404)),
        *_rows(
            "get",
            f"/calls/evaluation/my-reviews/?call={call.number}&format=csv",
            _only({"assigned": 200, "rapporteur": 200, "in-pool": 200}, 404),
        ),
        # The applicants' pages stay closed to evaluators.
        *_rows(
            "get",
            f"/calls/proposals/{p0.pk}/",
            _only({"owner": 200, "call-manager": 200, "superuser": 200}, 404),
        ),
        *_rows(
            "get",
            f"/calls/proposals/{p0.pk}/versions/1/document/",
            _only({"owner": 200, "call-manager": 200, "superuser": 200}, 404),
        ),
    ]
    check_matrix(client, people, rows)


def test_permission_matrix_managers_tools(client, world):
    people, call, p0, _first = world
    n = call.number
    managers_only = _only({"call-manager": 200, "superuser": 200}, 403)
    pages = [
        "",
        "settings/",
        "pool/",
        "conflicts/",
        "assignments/",
        f"proposals/{p0.pk}/",
        "ranking/",
        "interviews/",
        "decisions/",
        "export/scores/?format=csv",
        "export/consensus/?format=xlsx",
        "export/ranking/?format=csv",
    ]
    rows = [
        r
        for page in pages
        for r in _rows("get", f"/calls/evaluation/manage/{n}/{page}", managers_only)
    ]
    writes = ["assignments/run/", "assignments/notify/", "results/", "conflicts/"]
    rows += [
        r
        for page in writes
        for r in _rows(
            "post",
            f"/calls/evaluation/manage/{n}/{page}",
            _only({"call-manager": 302, "superuser": 302}, 403),
        )
    ]
    check_matrix(client, people, rows)


def test_permission_matrix_api(client, world):
    people, call, p0, first = world
    review_row = review(first, submit=False)
    rows = [
        *_rows("get", "/api/v1/evaluation/assignments/", _only({}, 200, anonymous=401)),
        *_rows(
            "get",
            f"/api/v1/evaluation/assignments/{first.pk}/",
            _only({"assigned": 200}, 404, anonymous=401),
        ),
        *_rows(
            "get",
            f"/api/v1/evaluation/assignments/{first.pk + 999}/",
            _only({}, 404, anonymous=401),
        ),
        *_rows("get", "/api/v1/evaluation/reviews/", _only({}, 200, anonymous=401)),
        *_rows(
            "get",
            f"/api/v1/evaluation/reviews/{review_row.pk}/",
            _only({"assigned": 200}, 404, anonymous=401),
        ),
        *_rows(
            "get",
            f"/api/v1/evaluation/calls/{call.number}/ranking/",
            _only({"call-manager": 200, "superuser": 200}, 404, anonymous=401),
        ),
        *_rows(
            "get",
            f"/api/v1/proposals/{p0.pk}/",
            _only({"owner": 200, "call-manager": 200, "superuser": 200}, 404, anonymous=401),
        ),
    ]
    check_matrix(client, people, rows)


def test_api_lists_show_each_evaluator_only_their_own(client, world):
    people, _call, p0, first = world
    expected = {
        "member": [],
        "owner": [],
        "assigned": [first.pk],
        "conflicted": [],
        "not-in-pool": [],
        "call-manager": [],
        "staff": [],
        "superuser": [],
    }
    for who, ids in expected.items():
        response = request_as(client, people[who], "get", "/api/v1/evaluation/assignments/")
        assert [row["id"] for row in response.json()["results"]] == ids, who
    # The conflicted evaluator's own submitted review is out of their reach too.
    response = request_as(client, people["conflicted"], "get", "/api/v1/evaluation/reviews/")
    assert response.json()["results"] == []
    del p0


def test_conflicted_evaluator_sees_not_even_the_title(client, world):
    people, _call, p0, _first = world
    client.force_login(people["conflicted"])
    for url in ("/calls/evaluation/", "/me/", "/api/v1/evaluation/assignments/"):
        body = client.get(url).content.decode()
        assert p0.reference not in body, url
        assert p0.current_version.title not in body, url
        assert p0.current_version.acronym not in body, url


def test_others_reviews_stay_hidden_from_an_evaluator_until_they_submit(client, world):
    people, call, p0, first = world
    client.force_login(people["assigned"])
    url = f"/calls/evaluation/proposals/{p0.pk}/"
    assert "Rapporteur&#x27;s secret view." not in client.get(url).content.decode()
    api = client.get(f"/api/v1/evaluation/reviews/{review(first, submit=False).pk}/").json()
    assert api["other_reviews"] is None
    review(first)
    html = client.get(url).content.decode()
    assert "Rapporteur&#x27;s secret view." in html
    assert people["rapporteur"].full_name not in html
    del call


def test_a_rapporteur_chosen_before_their_review_reads_nothing_on_the_consensus_page(client, world):
    # Data from before the rule: the rapporteur was chosen while their review was a draft.
    people, _call, p0, first = world
    ConsensusReport.objects.filter(proposal=p0).update(rapporteur=people["assigned"])
    services.consensus_save(
        proposal=p0, actor=people["call-manager"], summary="Agreed by the panel so far."
    )
    url = f"/calls/evaluation/proposals/{p0.pk}/consensus/"
    client.force_login(people["assigned"])

    before = client.get(url)

    assert before.status_code == 200
    assert "Rapporteur&#x27;s secret view." not in before.content.decode()
    assert "Agreed by the panel so far." not in before.content.decode()
    assert before.context["rows"] == []
    assert before.context["suggestion"] is None
    assert before.context["flags"] == []
    refused = client.post(url, {"summary": "Mine"})
    assert refused.status_code == 422
    assert "submit your own review" in refused.content.decode()
    review(first, (4, 4, 4), {"Excellence": "First evaluator's view."})
    after = client.get(url)
    assert "Rapporteur&#x27;s secret view." in after.content.decode()
    assert "Agreed by the panel so far." in after.content.decode()
    assert [row.label for row in after.context["rows"]] == ["A", "B", "C"]
    client.force_login(people["call-manager"])
    assert "First evaluator&#x27;s view." in client.get(url).content.decode()


def test_the_applicant_reads_the_report_only_once_results_are_published(client, world):
    people, call, p0, _first = world
    by = people["call-manager"]
    for assignment in p0.assignments.exclude(evaluator=people["conflicted"]):
        if not Review.objects.filter(assignment=assignment, status="submitted").exists():
            review(assignment)
    final_consensus(p0, by)
    p1 = call.proposals.exclude(pk=p0.pk).get()
    review(p1.assignments.get())
    final_consensus(p1, by)
    url = f"/calls/evaluation/proposals/{p0.pk}/summary/"
    assert request_as(client, people["owner"], "get", url).status_code == 404
    assert request_as(client, by, "get", url).status_code == 200
    assert request_as(client, people["superuser"], "get", url).status_code == 200
    services.decisions_apply(call=call, actor=by)
    services.results_publish(call=call, actor=by)
    assert request_as(client, people["owner"], "get", url).status_code == 200
    for who in ("member", "assigned", "rapporteur", "conflicted", "staff"):
        assert request_as(client, people[who], "get", url).status_code == 404, who
    assert call.proposals.filter(decided_at__lte=timezone.now()).count() == 2
