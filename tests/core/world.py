"""A small portal with something in every list: organisations and applications of the
network, calls with proposals of two applicants, funded projects of two teams, and a call
under evaluation with an evaluator's assignments and reviews. The people are keyed by what
they are, so tests say who looks: ``anonymous`` sees least, ``member`` (signed in, in no team
or role) next."""

from dataclasses import dataclass, field

from ai4media_portal.core.roles import Role
from network.enums import ApplicationStatus, NetworkRole
from tests.factories import UserFactory
from tests.network.factories import ApplicationFactory, OrganisationFactory
from tests.opencalls.evaluation.factories import (
    assign,
    call_under_evaluation,
    pool_evaluator,
    review,
)
from tests.opencalls.factories import CallFactory, complete_draft, funded, manager, submitted


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
    return world
