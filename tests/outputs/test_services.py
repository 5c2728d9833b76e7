import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.models import AuditEntry
from outputs import services
from outputs.enums import TRANSITIONS, Access, CreatorKind, OutputKind, OutputStatus
from outputs.models import Output, OutputStatusChange, embargo_today
from outputs.services import CreatorData, RelationData
from tests.factories import UserFactory

from .factories import OutputFactory

pytestmark = pytest.mark.django_db


def metadata(**changes) -> dict:
    data = {
        "kind": OutputKind.DATASET,
        "title": "A Benchmark of Manipulated News Videos",
        "abstract": "Ten thousand clips.",
        "date_year": 2022,
        "date_month": 11,
        "date_day": None,
        "keywords": ["deepfakes", " video ", "deepfakes", ""],
        "research_areas": ["trustworthy-ai"],
        "use_cases": ["disinformation"],
        "licence": "cc-by-4.0",
        "doi": "https://doi.org/10.5281/ZENODO.1234",
        "access": Access.OPEN,
        "embargo_until": None,
        "item_count": 10000,
        "formats": ["MP4"],
        "venue": "Not for datasets",
    }
    data.update(changes)
    return data


def person(**changes) -> CreatorData:
    values = {"given_name": "Maria", "family_name": "Papadopoulou", "orcid": "0000-0002-1825-0097"}
    values.update(changes)
    return CreatorData(**values)


def test_create_normalises_and_keeps_creator_order(contact, other_organisation):
    output = services.output_create(
        actor=contact.user,
        organisation=contact.organisation,
        data=metadata(),
        creators=[
            person(affiliations=[other_organisation, contact.organisation]),
            CreatorData(name="AI4Media Consortium", kind=CreatorKind.ORGANISATION),
        ],
        identifiers=[("arxiv", "arXiv:2101.01234")],
        links=[("zenodo", "https://zenodo.org/records/1234")],
        relations=[RelationData("IsSupplementTo", target_doi="10.1109/TMM.2021.1")],
    )
    output.refresh_from_db()
    assert (output.status, output.doi, output.licence, output.keywords, output.venue) == (
        OutputStatus.DRAFT,
        "10.5281/zenodo.1234",
        "CC-BY-4.0",
        ["deepfakes", "video"],
        "",
    )
    creators = list(output.creators.order_by("position"))
    assert [(c.position, c.name, c.orcid, c.kind) for c in creators] == [
        (0, "Maria Papadopoulou", "0000-0002-1825-0097", CreatorKind.PERSON),
        (1, "AI4Media Consortium", "", CreatorKind.ORGANISATION),
    ]
    assert set(creators[0].affiliations.all()) == {other_organisation, contact.organisation}
    assert list(output.identifiers.values_list("scheme", "value")) == [("arxiv", "2101.01234")]
    assert list(output.relations.values_list("relation_type", "target_doi")) == [
        ("IsSupplementTo", "10.1109/tmm.2021.1")
    ]
    assert list(output.funding.values_list("funder", "programme", "award")) == [
        ("European Commission", "H2020", "951911")
    ]
    assert output.search_names == "Maria Papadopoulou AI4Media Consortium"
    assert AuditEntry.objects.filter(action="outputs.output.create").count() == 1


@pytest.mark.parametrize(
    ("changes", "creator", "field"),
    [
        ({"licence": "CC-BY-5.0"}, person(), "licence"),
        ({"doi": "10.5281"}, person(), "doi"),
        ({"access": Access.EMBARGOED}, person(), "embargo_until"),
        ({"title": ""}, person(), "title"),
        ({"date_day": 3, "date_month": None}, person(), "date"),
        ({}, person(orcid="0000-0002-1825-0098"), "creators"),
        ({}, person(given_name="", family_name=""), "creators"),
        (
            {},
            CreatorData(name="Lab", kind=CreatorKind.ORGANISATION, orcid="0000-0002-1825-0097"),
            "creators",
        ),
    ],
)
def test_create_refuses_bad_metadata_and_writes_nothing(contact, changes, creator, field):
    with pytest.raises(PortalError) as raised:
        services.output_create(
            actor=contact.user,
            organisation=contact.organisation,
            data=metadata(**changes),
            creators=[creator],
        )
    assert raised.value.field == field
    assert Output.objects.count() == 0


def test_create_refuses_no_creator(contact):
    with pytest.raises(PortalError) as raised:
        services.output_create(
            actor=contact.user, organisation=contact.organisation, data=metadata(), creators=[]
        )
    assert raised.value.field == "creators"


def test_create_refuses_a_doi_another_output_has(contact):
    OutputFactory(doi="10.5281/zenodo.1234")
    with pytest.raises(PortalError) as raised:
        services.output_create(
            actor=contact.user,
            organisation=contact.organisation,
            data=metadata(doi="10.5281/ZENODO.1234"),
            creators=[person()],
        )
    assert (raised.value.field, Output.objects.count()) == ("doi", 1)


def test_a_deleted_output_frees_its_doi(contact, staff_user):
    old = OutputFactory(doi="10.5281/zenodo.1234")
    services.output_delete(output=old, actor=staff_user, reason="Duplicate")
    output = services.output_create(
        actor=contact.user,
        organisation=contact.organisation,
        data=metadata(),
        creators=[person()],
    )
    assert output.doi == "10.5281/zenodo.1234"


def test_create_for_another_organisation_refused(contact, other_organisation):
    with pytest.raises(PermissionDenied):
        services.output_create(
            actor=contact.user,
            organisation=other_organisation,
            data=metadata(),
            creators=[person()],
        )


def test_staff_create_for_any_organisation(other_organisation):
    staff = UserFactory(is_staff=True)
    output = services.output_create(
        actor=staff, organisation=other_organisation, data=metadata(), creators=[person()]
    )
    assert output.organisation == other_organisation


def test_embargo_date_kept_only_when_embargoed(contact):
    until = datetime.date(2030, 1, 1)
    output = services.output_create(
        actor=contact.user,
        organisation=contact.organisation,
        data=metadata(access=Access.EMBARGOED, embargo_until=until),
        creators=[person()],
    )
    assert output.embargo_until == until
    output = services.output_update(
        output=output, actor=contact.user, data={"access": Access.OPEN, "embargo_until": until}
    )
    assert output.embargo_until is None


def test_an_embargo_that_already_ended_is_refused_but_does_not_block_later_edits(contact):
    with pytest.raises(PortalError) as refused:
        services.output_create(
            actor=contact.user,
            organisation=contact.organisation,
            data=metadata(access=Access.EMBARGOED, embargo_until=datetime.date(2020, 1, 1)),
            creators=[person()],
        )
    assert refused.value.field == "embargo_until"
    tomorrow = embargo_today() + datetime.timedelta(days=1)
    output = services.output_create(
        actor=contact.user,
        organisation=contact.organisation,
        data=metadata(access=Access.EMBARGOED, embargo_until=tomorrow),
        creators=[person()],
    )
    # The date passes before the nightly task lifts the embargo: the title can still change.
    with time_machine.travel(tomorrow + datetime.timedelta(days=1)):
        services.output_update(
            output=output,
            actor=contact.user,
            data={"title": "Renamed", "access": Access.EMBARGOED, "embargo_until": tomorrow},
        )
    output.refresh_from_db()
    assert output.title == "Renamed"


def test_update_changes_fields_and_replaces_creators(contact):
    output = OutputFactory(organisation=contact.organisation)
    services.output_update(
        output=output,
        actor=contact.user,
        data={"title": "A new title", "kind": OutputKind.PUBLICATION},
        creators=[person(given_name="Ioannis", family_name="Kompatsiaris", orcid="")],
    )
    output.refresh_from_db()
    assert (output.title, [c.name for c in output.creators.all()]) == (
        "A new title",
        ["Ioannis Kompatsiaris"],
    )
    entry = AuditEntry.objects.get(action="outputs.output.update")
    assert entry.data == {"fields": ["title", "creators"]}


def test_update_by_a_stranger_refused(member):
    output = OutputFactory()
    with pytest.raises(PermissionDenied):
        services.output_update(output=output, actor=member, data={"title": "Mine"})


def test_relation_to_itself_refused(contact):
    output = OutputFactory(organisation=contact.organisation)
    with pytest.raises(PortalError):
        services.output_update(
            output=output, actor=contact.user, data={}, relations=[RelationData("Cites", output)]
        )


MOVES = {
    OutputStatus.PUBLISHED: lambda output, actor: services.output_publish(
        output=output, actor=actor
    ),
    OutputStatus.DRAFT: lambda output, actor: services.output_unpublish(output=output, actor=actor),
    OutputStatus.DELETED: lambda output, actor: services.output_delete(
        output=output, actor=actor, reason="Duplicate of another record"
    ),
}


@pytest.mark.parametrize("current", list(OutputStatus))
@pytest.mark.parametrize("target", list(OutputStatus))
def test_every_transition_allowed_or_refused(staff_user, current, target):
    output = OutputFactory(status=current)
    if target in TRANSITIONS[current]:
        MOVES[target](output, staff_user)
        output.refresh_from_db()
        assert output.status == target
        assert list(OutputStatusChange.objects.values_list("from_status", "to_status")) == [
            (current, target)
        ]
    else:
        with pytest.raises((PortalError, PermissionDenied)):
            MOVES[target](output, staff_user)
        output.refresh_from_db()
        assert output.status == current


def test_delete_leaves_a_tombstone_with_its_reason(contact):
    output = OutputFactory(organisation=contact.organisation)
    services.output_delete(output=output, actor=contact.user, reason=" Withdrawn by authors ")
    output.refresh_from_db()
    assert (output.status, output.deletion_reason, output.deleted_at is not None) == (
        OutputStatus.DELETED,
        "Withdrawn by authors",
        True,
    )
    assert output.creators.count() == 1


def test_delete_needs_a_reason(contact):
    output = OutputFactory(organisation=contact.organisation)
    with pytest.raises(PortalError):
        services.output_delete(output=output, actor=contact.user, reason="  ")


def test_a_tombstone_cannot_be_edited(contact):
    output = OutputFactory(organisation=contact.organisation, status=OutputStatus.DELETED)
    with pytest.raises(PermissionDenied):
        services.output_update(output=output, actor=contact.user, data={"title": "Back"})


def test_publish_by_another_organisations_contact_refused(contact):
    output = OutputFactory(status=OutputStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        services.output_publish(output=output, actor=contact.user)
    output.refresh_from_db()
    assert output.status == OutputStatus.DRAFT


def test_embargo_lift_opens_due_outputs_and_moves_their_datestamp():
    due = OutputFactory(access=Access.EMBARGOED, embargo_until=datetime.date(2025, 3, 1))
    later = OutputFactory(access=Access.EMBARGOED, embargo_until=datetime.date(2025, 3, 2))
    old = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    Output.objects.update(updated_at=old)
    assert services.embargoes_lift(today=datetime.date(2025, 3, 1)) == 1
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.access, due.embargo_until, due.updated_at > old) == (Access.OPEN, None, True)
    assert (later.access, later.updated_at) == (Access.EMBARGOED, old)
    assert AuditEntry.objects.get(action="outputs.output.embargo_lift").data == {
        "embargo_until": "2025-03-01"
    }
    assert services.embargoes_lift(today=datetime.date(2025, 3, 1)) == 0


def test_embargo_task_runs_the_service():
    from outputs.tasks import lift_embargoes

    OutputFactory(access=Access.EMBARGOED, embargo_until=datetime.date(2020, 1, 1))
    assert lift_embargoes.apply().get() == 1
