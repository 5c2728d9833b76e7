"""A small portal with something in every list: organisations and applications of the
network, calls with proposals of two applicants, funded projects of two teams, and a call
under evaluation with an evaluator's assignments and reviews. The people are keyed by what
they are, so tests say who looks: ``anonymous`` sees least, ``member`` (signed in, in no team
or role) next. The Outputs pillar has published records, the Observatory published pieces (and
a draft), tracked regulations and listed experts (and one awaiting approval)."""

from dataclasses import dataclass, field
from datetime import date

from ai4media_portal.core.roles import Role
from fellows.enums import ExchangeStatus
from network.enums import ApplicationStatus, NetworkRole
from observatory import services as observatory_services
from observatory.enums import ContentStatus
from outputs.enums import OutputStatus
from tests.factories import UserFactory
from tests.fellows.factories import ExchangeFactory, OfferFactory
from tests.network.factories import ApplicationFactory, ContactFactory, OrganisationFactory
from tests.observatory.factories import ContentItemFactory, topic
from tests.opencalls.evaluation.factories import (
    assign,
    call_under_evaluation,
    pool_evaluator,
    review,
)
from tests.opencalls.factories import CallFactory, complete_draft, funded, manager, submitted
from tests.outputs.factories import OutputFactory


@dataclass
class World:
    people: dict = field(default_factory=dict)
    projects: dict = field(default_factory=dict)
    calls: list = field(default_factory=list)
    objects: dict = field(default_factory=dict)


def build_world() -> World:
    world = World()
    call_manager = manager()
    applicant = UserFactory()
    other_applicant = UserFactory()
    world.people = {
        "anonymous": None,
        "member": UserFactory(),
        "applicant": applicant,
        "other_applicant": other_applicant,
        "network_manager": UserFactory(roles=[Role.NETWORK_MANAGER]),
        "call_manager": call_manager,
        "staff": UserFactory(is_staff=True, is_superuser=True),
    }
    for index, country in enumerate(["DE", "BE", "IT"]):
        OrganisationFactory(country=country, role=NetworkRole.ASSOCIATE_MEMBER if index else False)
    OrganisationFactory(country="FR", role=NetworkRole.CONSORTIUM_PARTNER)
    world.objects["draft_application"] = ApplicationFactory(applicant=applicant)
    world.objects["submitted_application"] = ApplicationFactory(
        applicant=applicant, status=ApplicationStatus.SUBMITTED
    )
    ApplicationFactory(applicant=other_applicant, status=ApplicationStatus.SUBMITTED)
    ApplicationFactory(applicant=other_applicant)

    world.projects["applicant"] = funded(by=call_manager, user=applicant, registration="R1")
    world.projects["other_applicant"] = funded(
        by=call_manager, user=other_applicant, registration="R2", country="IT"
    )
    open_call = CallFactory()
    world.calls = [open_call]
    submitted(call=open_call, user=applicant, registration="R3")
    world.objects["draft_proposal"] = complete_draft(
        call=open_call, user=other_applicant, registration="R4"
    )

    call, proposals, _ = call_under_evaluation(proposals=2, by=call_manager)
    evaluator = pool_evaluator(call)
    world.people["evaluator"] = evaluator
    first = assign(proposals[0], evaluator, call_manager)
    world.objects["free_assignment"] = assign(proposals[1], evaluator, call_manager)
    world.objects["review"] = review(first, submit=False)
    world.calls.append(call)
    _observatory_and_outputs(world)
    _fellows(world)
    _aida(world)
    return world


def _aida(world: World) -> None:
    """AIDA: two member institutions, two courses with an offering each, and the applicant
    (a validated student) enrolled in both."""
    from tests.aida.factories import (
        CourseFactory,
        EnrolmentFactory,
        LectureFactory,
        MemberFactory,
        OfferingFactory,
        ResourceFactory,
        StudentFactory,
    )

    members = [MemberFactory(organisation__country=c) for c in ("GR", "IT")]
    StudentFactory(user=world.people["applicant"], member=members[0])
    for member in members:
        offering = OfferingFactory(course=CourseFactory(host=member))
        enrolment = EnrolmentFactory(offering=offering, user=world.people["applicant"])
    world.objects["aida_offering"] = offering
    world.objects["aida_enrolment"] = enrolment
    for number in range(2):
        LectureFactory(course=offering.course if number else None)
        ResourceFactory(course=offering.course if number else None)
    ResourceFactory(status="submitted")  # never public


def _observatory_and_outputs(world: World) -> None:
    editor = UserFactory(roles=[Role.OBSERVATORY_EDITOR])
    chief = UserFactory(roles=[Role.EDITOR_IN_CHIEF])
    world.people["observatory_editor"] = editor
    OutputFactory(date_month=None)
    OutputFactory(creators=[("Rossi", "Luca"), ("Media Lab", "")])
    curator = ContactFactory()
    world.people["outputs_curator"] = curator.user
    world.objects["draft_output"] = OutputFactory(
        status=OutputStatus.DRAFT, organisation=curator.organisation
    )
    ContentItemFactory(status=ContentStatus.PUBLISHED, topics=[topic()])
    ContentItemFactory(status=ContentStatus.PUBLISHED)
    ContentItemFactory(created_by=editor)
    for short_name, status in [("AI Act", "in-force"), ("DSA", "in-force")]:
        observatory_services.regulation_save(
            actor=editor,
            data={
                "short_name": short_name,
                "name": f"The {short_name}",
                "celex": "",
                "oj_reference": "",
                "official_url": "",
                "status": status,
                "status_as_of": date(2025, 8, 2),
                "summary": "",
            },
        )
    for index, name in enumerate(["Ioanna Papadaki", "Jan Novak", "Eva Horvat"]):
        expert = observatory_services.expert_create(
            actor=editor,
            data={
                "name": name,
                "headline": "Media forensics researcher",
                "bio": "Works on deepfake detection.",
                "organisation": None,
                "organisation_name": "Independent",
                "country": "GR",
                "expertise": ["deepfake detection"],
                "languages": ["en"],
                "available_for": ["interviews"],
                "orcid": "",
                "website": "",
                "accepts_contact": True,
                "contact_email": f"expert{index}@uni.example.org",
            },
            topics=[topic("ai-technologies-for-media")],
            for_self=False,
        )
        if index < 2:
            observatory_services.expert_approve(expert=expert, actor=chief)


def _fellows(world: World) -> None:
    """Host offers (one closed), a completed exchange with an outcome, and the applicant's own
    submitted exchange, which only they (and the fellows coordinator) see."""
    OfferFactory()
    OfferFactory(is_open=False)
    done = ExchangeFactory(status=ExchangeStatus.CLOSED, beneficiary="sender")
    done.outcomes.create(kind="paper", title="A paper")
    ExchangeFactory(status=ExchangeStatus.COMPLETED)
    world.objects["own_exchange"] = ExchangeFactory(
        fellow=world.people["applicant"], status=ExchangeStatus.SUBMITTED
    )
