import pytest
from django.core.exceptions import PermissionDenied

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.models import OutboundEmail
from ai4media_portal.core.roles import Role
from aida import selectors, services
from aida.enums import RESOURCE_TRANSITIONS, ResourceStatus, ReviewCriterion
from aida.models import Resource
from tests.aida.factories import resource_fields
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _data(**changes):
    return resource_fields(**changes)


def _all(met=True):
    return {c: {"met": met, "comment": "ok"} for c in ReviewCriterion.values}


def test_submit_normalises_the_licence_and_refuses_bad_ones(lecturer):
    resource = services.resource_submit(data=_data(), actor=lecturer.user)
    assert (resource.licence, resource.status) == ("CC-BY-4.0", "submitted")
    for field, value in (("licence", "my own licence"), ("url", "not a link")):
        with pytest.raises(PortalError) as error:
            services.resource_submit(data=_data(**{field: value}), actor=lecturer.user)
        assert error.value.field == field
    with pytest.raises(PermissionDenied):
        services.resource_submit(data=_data(), actor=UserFactory())


def test_committee_asks_for_changes_then_accepts(lecturer, coordinator, client):
    resource = services.resource_submit(data=_data(), actor=lecturer.user)
    assert client.get(resource.get_absolute_url()).status_code == 404  # not public yet
    with pytest.raises(PortalError) as error:
        services.resource_review(
            resource=resource,
            decision="accepted",
            criteria=_all(met=False),
            reasons="Fine.",
            actor=coordinator,
        )
    assert error.value.field == "decision"
    with pytest.raises(PortalError):
        services.resource_review(
            resource=resource,
            decision="changes-requested",
            criteria=_all(),
            reasons="",
            actor=coordinator,
        )
    services.resource_review(
        resource=resource,
        decision="changes-requested",
        criteria=_all(),
        reasons="Add a licence file.",
        actor=coordinator,
    )
    assert OutboundEmail.objects.filter(
        to=[lecturer.user.email], template="aida/resource_reviewed"
    ).exists()
    services.resource_resubmit(
        resource=resource, data={"description": "Now with a licence file."}, actor=lecturer.user
    )
    services.resource_review(
        resource=resource,
        decision="accepted",
        criteria=_all(),
        reasons="Excellent.",
        actor=coordinator,
    )
    resource.refresh_from_db()
    assert resource.status == "accepted"
    assert [r.decision for r in resource.reviews.all()] == ["changes-requested", "accepted"]
    assert client.get(resource.get_absolute_url()).status_code == 200


def test_nobody_reviews_their_own_resource(coordinator):
    resource = services.resource_submit(data=_data(), actor=coordinator)
    with pytest.raises(PermissionDenied):
        services.resource_review(
            resource=resource,
            decision="rejected",
            criteria=_all(),
            reasons="x",
            actor=coordinator,
        )


def test_public_repository_shows_only_accepted_with_search_and_filters(
    lecturer, coordinator, client
):
    for number, (title, kind) in enumerate(
        [
            ("Graph learning slides", "slides"),
            ("Speech dataset", "dataset"),
            ("Graph notebook", "notebook"),
        ]
    ):
        resource = services.resource_submit(data=_data(title=title, type=kind), actor=lecturer.user)
        if number < 2:
            services.resource_review(
                resource=resource,
                decision="accepted",
                criteria=_all(),
                reasons="ok",
                actor=coordinator,
            )
    assert [r.title for r in selectors.public_resources(search="graph")] == [
        "Graph learning slides"
    ]
    assert [r.title for r in selectors.public_resources(type="dataset")] == ["Speech dataset"]
    html = client.get("/aida/resources/?q=graph").content.decode()
    assert "Graph learning slides" in html
    assert "Graph notebook" not in html


def test_review_through_the_page(lecturer, coordinator, client):
    resource = services.resource_submit(data=_data(), actor=lecturer.user)
    client.force_login(coordinator)
    data = {f"met_{c}": "on" for c in ReviewCriterion.values}
    data.update({"decision": "rejected", "reasons": "Out of scope."})
    response = client.post(resource.get_absolute_url(), data)
    assert response.status_code == 302
    assert Resource.objects.get(pk=resource.pk).status == "rejected"


def test_a_review_sent_from_a_page_loaded_before_a_colleague_decided(lecturer, coordinator, client):
    resource = services.resource_submit(data=_data(), actor=lecturer.user)
    services.resource_review(
        resource=resource,
        decision="accepted",
        criteria=_all(),
        reasons="Clear and useful.",
        actor=UserFactory(roles=[Role.AIDA_COORDINATOR]),
    )
    client.force_login(coordinator)
    data = {f"met_{c}": "on" for c in ReviewCriterion.values}
    data.update({"decision": "rejected", "reasons": "Out of scope."})
    response = client.post(resource.get_absolute_url(), data, follow=True)
    assert response.redirect_chain == [(resource.get_absolute_url(), 302)]
    assert "already been decided" in response.content.decode()
    resource.refresh_from_db()
    assert resource.status == "accepted"
    assert resource.reviews.count() == 1
    # Anyone else posting there still finds nothing.
    client.force_login(UserFactory())
    assert client.post(resource.get_absolute_url(), data).status_code == 404


@pytest.mark.parametrize("current", list(ResourceStatus))
@pytest.mark.parametrize("target", list(ResourceStatus))
def test_resource_transitions_both_ways(lecturer, coordinator, current, target):
    resource = services.resource_submit(data=_data(), actor=lecturer.user)
    Resource.objects.filter(pk=resource.pk).update(status=current)
    resource.refresh_from_db()
    if target in RESOURCE_TRANSITIONS[current]:
        services._resource_set_status(resource, target, coordinator)
        assert Resource.objects.get(pk=resource.pk).status == target
    else:
        with pytest.raises(PortalError):
            services._resource_set_status(resource, target, coordinator)


def _decided(lecturer, coordinator, decision):
    resource = services.resource_submit(data=_data(), actor=lecturer.user)
    if decision != "submitted":
        services.resource_review(
            resource=resource,
            decision=decision,
            criteria=_all(),
            reasons="Decided.",
            actor=coordinator,
        )
    return resource


@pytest.mark.parametrize(
    ("decision", "label"),
    [
        ("accepted", "accepted"),
        ("rejected", "rejected"),
        ("submitted", "submitted for review"),  # a second click on "Send to the committee"
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_resubmit_outside_changes_requested_takes_the_submitter_to_the_resource(
    client, lecturer, coordinator, decision, label, method
):
    resource = _decided(lecturer, coordinator, decision)
    client.force_login(lecturer.user)
    url = f"/aida/resources/{resource.slug}/resubmit/"
    data = {"title": "Changed", "description": "Changed."} if method == "post" else None
    response = getattr(client, method)(url, data, follow=True)
    assert response.redirect_chain == [(resource.get_absolute_url(), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        f"This resource is not waiting for changes: it is {label}."
    ]
    resource.refresh_from_db()
    assert (resource.status, resource.title) == (decision, "Transformers from scratch")


def test_resubmit_page_is_hidden_from_others(client, lecturer, coordinator):
    resource = _decided(lecturer, coordinator, "changes-requested")
    client.force_login(UserFactory())
    assert client.get(f"/aida/resources/{resource.slug}/resubmit/").status_code == 404
    assert client.post(f"/aida/resources/{resource.slug}/resubmit/").status_code == 404


def test_resubmission_tells_the_committee_it_awaits_review_again(lecturer, coordinator):
    other = UserFactory(roles=[Role.AIDA_COORDINATOR])
    resource = _decided(lecturer, coordinator, "changes-requested")
    before = set(OutboundEmail.objects.values_list("pk", flat=True))
    services.resource_resubmit(
        resource=resource, data={"description": "Now with a licence file."}, actor=lecturer.user
    )
    sent = OutboundEmail.objects.exclude(pk__in=before).order_by("pk")
    assert sorted((e.to[0], e.template) for e in sent) == sorted(
        [
            (coordinator.email, "aida/resource_submitted"),
            (other.email, "aida/resource_submitted"),
        ]
    )
    email = sent.get(to=[coordinator.email])
    assert email.subject == "[AI4Media] Resource to review again: Transformers from scratch"
    assert "was revised after the committee asked for changes" in email.body_text
    assert "/aida/resources/review/" in email.body_text


def test_resubmission_outside_changes_requested_is_refused_and_tells_nobody(lecturer, coordinator):
    resource = _decided(lecturer, coordinator, "rejected")
    before = OutboundEmail.objects.count()
    with pytest.raises(PortalError):
        services.resource_resubmit(resource=resource, data={}, actor=lecturer.user)
    assert OutboundEmail.objects.count() == before
