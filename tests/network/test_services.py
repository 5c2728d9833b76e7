"""The associate-membership workflow and the organisation services, called directly."""

import uuid
from datetime import date

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied

from ai4media_portal.core.audit import audit_trail
from ai4media_portal.core.exceptions import PortalError
from network import services
from network.enums import OPEN_STATUSES, ApplicationStatus, NetworkRole
from network.models import MembershipApplication, Organisation, OrganisationContact
from network.selectors import duplicates_of_application, possible_duplicates
from network.terms import TERMS_VERSION
from tests.factories import UserFactory

from .factories import ApplicationFactory, ContactFactory, OrganisationFactory, topic

pytestmark = pytest.mark.django_db

S = ApplicationStatus


# --- Moving an application through the workflow -----------------------------------------------

ACTIONS = {
    "submit": (services.application_submit, "applicant", {}),
    "start_review": (services.application_start_review, "manager", {}),
    "request_information": (
        services.application_request_information,
        "manager",
        {"message": "Which of your projects use AI?"},
    ),
    "resubmit": (services.application_resubmit, "applicant", {}),
    "approve": (services.application_approve, "manager", {"message": "Welcome!"}),
    "reject": (services.application_reject, "manager", {"message": "Out of scope."}),
    "withdraw": (services.application_withdraw, "applicant", {"message": "Not now."}),
}
# The path of actions that brings a new draft into each state.
PATHS = {
    S.DRAFT: [],
    S.SUBMITTED: ["submit"],
    S.UNDER_REVIEW: ["submit", "start_review"],
    S.INFORMATION_REQUESTED: ["submit", "start_review", "request_information"],
    S.RESUBMITTED: ["submit", "start_review", "request_information", "resubmit"],
    S.APPROVED: ["submit", "start_review", "approve"],
    S.REJECTED: ["submit", "start_review", "reject"],
    S.WITHDRAWN: ["withdraw"],
}
ALLOWED = {
    ("submit", S.DRAFT): S.SUBMITTED,
    ("start_review", S.SUBMITTED): S.UNDER_REVIEW,
    ("request_information", S.UNDER_REVIEW): S.INFORMATION_REQUESTED,
    ("request_information", S.RESUBMITTED): S.INFORMATION_REQUESTED,
    ("resubmit", S.INFORMATION_REQUESTED): S.RESUBMITTED,
    ("approve", S.UNDER_REVIEW): S.APPROVED,
    ("approve", S.RESUBMITTED): S.APPROVED,
    ("reject", S.UNDER_REVIEW): S.REJECTED,
    ("reject", S.RESUBMITTED): S.REJECTED,
    **{("withdraw", state): S.WITHDRAWN for state in S if state in OPEN_STATUSES},
}
# Repeating these is a double click: nothing changes, no error.
IDEMPOTENT = {("submit", S.SUBMITTED), ("resubmit", S.RESUBMITTED)}
REFUSED = [
    (action, state)
    for action in ACTIONS
    for state in S
    if (action, state) not in ALLOWED and (action, state) not in IDEMPOTENT
]


def act(name, application, actor, **overrides):
    service, _who, kwargs = ACTIONS[name]
    return service(application=application, actor=actor, **{**kwargs, **overrides})


def application_in(state, *, applicant, manager, **fields):
    application = ApplicationFactory(applicant=applicant, **fields)
    for name in PATHS[state]:
        _service, who, _kwargs = ACTIONS[name]
        application = act(name, application, applicant if who == "applicant" else manager)
    assert application.status == state
    return application


@pytest.mark.parametrize(("action", "state"), list(ALLOWED))
def test_transition_allowed_moves_state_records_history_and_audit(
    action, state, applicant, manager
):
    application = application_in(state, applicant=applicant, manager=manager)
    actor = applicant if ACTIONS[action][1] == "applicant" else manager
    history_before = application.history.count()

    result = act(action, application, actor)

    application.refresh_from_db()
    assert application.status == result.status == ALLOWED[(action, state)]
    assert application.history.count() == history_before + 1
    change = application.history.last()
    assert (change.from_status, change.to_status, change.actor) == (
        state,
        ALLOWED[(action, state)],
        actor,
    )
    assert change.message == ACTIONS[action][2].get("message", "")
    entry = audit_trail(application).first()
    assert entry.action == f"network.application.{action}"
    assert entry.actor == actor
    assert entry.data["from"] == state.value


@pytest.mark.parametrize(("action", "state"), REFUSED)
def test_transition_refused_in_this_state_changes_nothing(action, state, applicant, manager):
    application = application_in(state, applicant=applicant, manager=manager)
    actor = applicant if ACTIONS[action][1] == "applicant" else manager
    history_before = application.history.count()

    with pytest.raises(PortalError) as excinfo:
        act(action, application, actor)

    application.refresh_from_db()
    assert application.status == state
    assert application.history.count() == history_before
    assert excinfo.value.code in {"invalid_transition", "already_decided"}


@pytest.mark.parametrize(("action", "state"), sorted(IDEMPOTENT))
def test_transition_repeated_is_a_no_op(
    action, state, applicant, manager, django_capture_on_commit_callbacks
):
    application = application_in(state, applicant=applicant, manager=manager)
    history_before = application.history.count()
    with django_capture_on_commit_callbacks(execute=True):
        act(action, application, applicant)
    application.refresh_from_db()
    assert application.status == state
    assert application.history.count() == history_before
    assert mail.outbox == []


ACTION_STATES = {
    "submit": S.DRAFT,
    "start_review": S.SUBMITTED,
    "request_information": S.UNDER_REVIEW,
    "resubmit": S.INFORMATION_REQUESTED,
    "approve": S.UNDER_REVIEW,
    "reject": S.UNDER_REVIEW,
    "withdraw": S.SUBMITTED,
}
# Who must not make each move, although the state allows it.
WRONG_ACTORS = [
    (action, who)
    for action, (_service, right, _kwargs) in ACTIONS.items()
    for who in ["stranger", "manager" if right == "applicant" else "applicant"]
] + [(action, "staff") for action in ACTIONS]


@pytest.mark.parametrize(("action", "who"), WRONG_ACTORS)
def test_transition_by_the_wrong_person_is_refused(action, who, applicant, manager):
    application = application_in(ACTION_STATES[action], applicant=applicant, manager=manager)
    actor = {
        "stranger": UserFactory(),
        "staff": UserFactory(is_staff=True, is_superuser=True),
        "manager": manager,
        "applicant": applicant,
    }[who]
    with pytest.raises(PermissionDenied):
        act(action, application, actor)
    application.refresh_from_db()
    assert application.status == ACTION_STATES[action]


@pytest.mark.parametrize("action", ["start_review", "request_information", "approve", "reject"])
def test_network_manager_cannot_review_their_own_application(action, manager, second_manager):
    application = application_in(ACTION_STATES[action], applicant=manager, manager=second_manager)
    with pytest.raises(PermissionDenied):
        act(action, application, manager)


def test_decided_application_cannot_be_decided_again(applicant, manager, second_manager):
    application = application_in(S.APPROVED, applicant=applicant, manager=manager)
    with pytest.raises(PortalError) as excinfo:
        services.application_reject(application=application, actor=second_manager, message="No")
    assert excinfo.value.code == "already_decided"
    assert str(excinfo.value) == "This application has already been decided: it was approved."
    with pytest.raises(PortalError):
        services.application_approve(application=application, actor=second_manager)
    application.refresh_from_db()
    assert (application.status, application.decided_by) == (S.APPROVED, manager)


@pytest.mark.parametrize("action", ["request_information", "reject"])
def test_message_is_required_to_ask_or_reject(action, applicant, manager):
    application = application_in(S.UNDER_REVIEW, applicant=applicant, manager=manager)
    with pytest.raises(PortalError) as excinfo:
        act(action, application, manager, message="   ")
    assert excinfo.value.field == "message"
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW


def test_submit_refuses_terms_of_an_older_version(applicant):
    application = ApplicationFactory(applicant=applicant, terms_version="2020-01")
    with pytest.raises(PortalError) as excinfo:
        services.application_submit(application=application, actor=applicant)
    assert excinfo.value.field == "accept_terms"


# --- Emails ------------------------------------------------------------------------------------

EMAILS = {
    # action: [(recipient kind, subject)]
    "submit": [
        ("applicant", "[AI4Media] We have received the application of Lumina Labs"),
        ("manager", "[AI4Media] New membership application: Lumina Labs"),
        ("second_manager", "[AI4Media] New membership application: Lumina Labs"),
    ],
    "start_review": [],
    "request_information": [
        ("applicant", "[AI4Media] More information needed for the application of Lumina Labs"),
    ],
    "resubmit": [
        ("manager", "[AI4Media] Application resubmitted: Lumina Labs"),
        ("second_manager", "[AI4Media] Application resubmitted: Lumina Labs"),
    ],
    "approve": [("applicant", "[AI4Media] Welcome to the AI4Media network, Lumina Labs")],
    "reject": [("applicant", "[AI4Media] Your application for Lumina Labs")],
    "withdraw": [],
}


@pytest.mark.parametrize("action", list(EMAILS))
def test_transition_sends_the_right_emails(
    action, applicant, manager, second_manager, django_capture_on_commit_callbacks
):
    application = application_in(
        ACTION_STATES[action], applicant=applicant, manager=manager, org_name="Lumina Labs"
    )
    mail.outbox.clear()
    actor = applicant if ACTIONS[action][1] == "applicant" else manager
    with django_capture_on_commit_callbacks(execute=True):
        act(action, application, actor)
    people = {"applicant": applicant, "manager": manager, "second_manager": second_manager}
    sent = sorted((message.to, message.subject) for message in mail.outbox)
    assert sent == sorted(([people[who].email], subject) for who, subject in EMAILS[action])


def test_information_request_email_carries_the_message_and_link(
    applicant, manager, django_capture_on_commit_callbacks, settings
):
    application = application_in(S.UNDER_REVIEW, applicant=applicant, manager=manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_request_information(
            application=application, actor=manager, message="Who would join our activities?"
        )
    (message,) = mail.outbox
    assert "Who would join our activities?" in message.body
    assert f"{settings.SITE_URL}/network/applications/{application.pk}/" in message.body


def test_rejection_email_carries_the_reason_unescaped(
    applicant, manager, django_capture_on_commit_callbacks
):
    application = application_in(S.UNDER_REVIEW, applicant=applicant, manager=manager)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_reject(
            application=application, actor=manager, message='Outside the scope of "AI & media".'
        )
    assert 'Outside the scope of "AI & media".' in mail.outbox[0].body


def test_managers_are_not_notified_of_their_own_application(
    manager, second_manager, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(applicant=manager, org_name="Own Org")
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=application, actor=manager)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [manager.email, second_manager.email]
    )
    assert [m.subject for m in mail.outbox if m.to == [manager.email]] == [
        "[AI4Media] We have received the application of Own Org"
    ]


# --- Creating and editing ----------------------------------------------------------------------

GOOD_DATA = {
    "org_name": "Lumina Media Labs",
    "org_type": "sme",
    "org_country": "BE",
    "org_website": "https://luminalabs.example.be/",
    "org_description": "Tools for newsrooms.",
    "contact_name": "Anna Applicant",
    "contact_position": "CEO",
    "motivation": "We want to test early demonstrators.",
    "benefits": ["early-demonstrators"],
}


def test_create_records_terms_version_and_time(applicant):
    with time_machine.travel("2026-02-03 10:00:00+00:00", tick=False):
        application, created = services.application_create(
            applicant=applicant,
            data=GOOD_DATA,
            areas_of_interest=[topic()],
            accept_terms=True,
        )
    assert created is True
    assert application.status == S.DRAFT
    assert application.terms_version == TERMS_VERSION
    assert application.terms_accepted_at.isoformat() == "2026-02-03T10:00:00+00:00"
    assert list(application.history.values_list("from_status", "to_status")) == [("", "draft")]
    assert audit_trail(application).first().action == "network.application.create"


def test_create_twice_with_the_same_form_token_makes_one_application(applicant):
    token = uuid.uuid4()
    first, created = services.application_create(
        applicant=applicant,
        data=GOOD_DATA,
        areas_of_interest=[topic()],
        accept_terms=True,
        form_token=token,
    )
    second, created_again = services.application_create(
        applicant=applicant,
        data={**GOOD_DATA, "org_name": "Changed"},
        areas_of_interest=[topic()],
        accept_terms=True,
        form_token=token,
    )
    assert (created, created_again) == (True, False)
    assert second.pk == first.pk
    assert MembershipApplication.objects.get().org_name == "Lumina Media Labs"


def test_create_with_someone_elses_form_token_is_refused(applicant):
    other = ApplicationFactory()
    with pytest.raises(PermissionDenied):
        services.application_create(
            applicant=applicant,
            data=GOOD_DATA,
            areas_of_interest=[topic()],
            accept_terms=True,
            form_token=other.form_token,
        )


def test_create_without_accepting_the_terms_is_refused(applicant):
    with pytest.raises(PortalError) as excinfo:
        services.application_create(
            applicant=applicant, data=GOOD_DATA, areas_of_interest=[topic()], accept_terms=False
        )
    assert excinfo.value.field == "accept_terms"
    assert MembershipApplication.objects.count() == 0


def test_create_without_areas_of_interest_is_refused(applicant):
    with pytest.raises(PortalError) as excinfo:
        services.application_create(
            applicant=applicant, data=GOOD_DATA, areas_of_interest=[], accept_terms=True
        )
    assert excinfo.value.field == "areas_of_interest"


def test_create_with_an_invalid_ror_id_is_refused_beside_the_field(applicant):
    with pytest.raises(PortalError) as excinfo:
        services.application_create(
            applicant=applicant,
            data={**GOOD_DATA, "org_ror_id": "04dkp9464"},
            areas_of_interest=[topic()],
            accept_terms=True,
        )
    assert excinfo.value.field == "org_ror_id"


def test_anonymous_cannot_create(db):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.application_create(
            applicant=AnonymousUser(),
            data=GOOD_DATA,
            areas_of_interest=[topic()],
            accept_terms=True,
        )


@pytest.mark.parametrize("state", [S.DRAFT, S.INFORMATION_REQUESTED])
def test_update_allowed_while_editable(state, applicant, manager):
    application = application_in(state, applicant=applicant, manager=manager)
    updated = services.application_update(
        application=application,
        actor=applicant,
        data={"motivation": "Better motivation."},
        areas_of_interest=[topic("generative-ai")],
        accept_terms=True,
    )
    application.refresh_from_db()
    assert application.motivation == updated.motivation == "Better motivation."
    assert list(application.areas_of_interest.values_list("slug", flat=True)) == ["generative-ai"]
    assert application.status == state


@pytest.mark.parametrize("state", [S.SUBMITTED, S.UNDER_REVIEW, S.APPROVED, S.WITHDRAWN])
def test_update_refused_once_sent(state, applicant, manager):
    application = application_in(state, applicant=applicant, manager=manager)
    with pytest.raises(PortalError) as excinfo:
        services.application_update(
            application=application, actor=applicant, data={"motivation": "x"}, accept_terms=True
        )
    assert excinfo.value.code == "not_editable"


@pytest.mark.parametrize("who", ["stranger", "manager"])
def test_update_refused_to_anyone_but_the_applicant(who, applicant, manager):
    application = ApplicationFactory(applicant=applicant)
    actor = manager if who == "manager" else UserFactory()
    with pytest.raises(PermissionDenied):
        services.application_update(
            application=application, actor=actor, data={"motivation": "x"}, accept_terms=True
        )


# --- Approval ----------------------------------------------------------------------------------


def test_approve_creates_the_organisation_with_the_associate_role_and_contact(applicant, manager):
    application = application_in(
        S.UNDER_REVIEW,
        applicant=applicant,
        manager=manager,
        org_name="Lumina Media Labs",
        org_short_name="Lumina",
        org_country="BE",
        org_ror_id="04dkp9463",
        org_contact_email="hello@lumina.example.be",
        topics=[topic("generative-ai"), topic("computer-vision")],
    )
    with time_machine.travel("2026-03-04 09:00:00+00:00", tick=False):
        services.application_approve(application=application, actor=manager, message="Welcome")
    application.refresh_from_db()
    organisation = application.organisation
    assert (organisation.name, organisation.short_name, organisation.slug) == (
        "Lumina Media Labs",
        "Lumina",
        "lumina-media-labs",
    )
    assert (organisation.ror_id, organisation.country.code) == ("04dkp9463", "BE")
    assert organisation.contact_email == "hello@lumina.example.be"
    assert list(organisation.roles.values_list("role", "since")) == [
        ("associate-member", date(2026, 3, 4))
    ]
    assert organisation.joined_on == date(2026, 3, 4)
    assert sorted(organisation.areas_of_interest.values_list("slug", flat=True)) == [
        "computer-vision",
        "generative-ai",
    ]
    contact = OrganisationContact.objects.get(organisation=organisation)
    assert (contact.user, contact.position) == (applicant, "CEO")
    assert applicant.has_perm("network.change_organisation", organisation)
    assert (application.decided_by, application.decision_message) == (manager, "Welcome")


def test_approve_slug_never_clashes(applicant, manager):
    OrganisationFactory(slug="lumina-media-labs", name="Other")
    application = application_in(
        S.UNDER_REVIEW, applicant=applicant, manager=manager, org_name="Lumina Media Labs"
    )
    services.application_approve(application=application, actor=manager)
    application.refresh_from_db()
    assert application.organisation.slug == "lumina-media-labs-fr"


def test_approve_for_a_listed_organisation_fills_only_its_gaps(applicant, manager):
    listed = OrganisationFactory(
        name="Radio Baltica",
        role=NetworkRole.OPEN_CALL_BENEFICIARY,
        role__since=date(2021, 1, 1),
        city="",
        description="Our own description.",
        topics=[topic("computer-vision")],
    )
    application = application_in(
        S.UNDER_REVIEW,
        applicant=applicant,
        manager=manager,
        organisation=listed,
        org_name="Radio Baltica",
        org_city="Riga",
        org_description="The applicant's description.",
        topics=[topic("generative-ai")],
    )
    services.application_approve(application=application, actor=manager)
    listed.refresh_from_db()
    assert Organisation.objects.count() == 1
    assert (listed.city, listed.description) == ("Riga", "Our own description.")
    assert sorted(listed.roles.values_list("role", flat=True)) == [
        "associate-member",
        "open-call-beneficiary",
    ]
    assert listed.joined_on == date(2021, 1, 1)
    assert sorted(listed.areas_of_interest.values_list("slug", flat=True)) == [
        "computer-vision",
        "generative-ai",
    ]
    assert listed.contacts.get().user == applicant


def test_approve_into_a_duplicate_instead_of_creating_one(applicant, manager):
    listed = OrganisationFactory(name="Università di Valdadige", website="https://univda.it")
    application = application_in(
        S.UNDER_REVIEW,
        applicant=applicant,
        manager=manager,
        org_name="Universita di Valdadige",
        org_website="https://www.univda.it/en/",
    )
    services.application_approve(application=application, actor=manager, organisation=listed)
    application.refresh_from_db()
    assert application.organisation == listed
    assert Organisation.objects.count() == 1


def test_approve_new_organisation_with_a_taken_ror_id_is_refused(applicant, manager):
    OrganisationFactory(name="Somebody", ror_id="04dkp9463")
    application = application_in(
        S.UNDER_REVIEW, applicant=applicant, manager=manager, org_ror_id="04dkp9463"
    )
    with pytest.raises(PortalError) as excinfo:
        services.application_approve(application=application, actor=manager)
    assert excinfo.value.field == "organisation"
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    assert Organisation.objects.count() == 1


# --- Duplicates --------------------------------------------------------------------------------


def test_possible_duplicates_same_ror_id(db):
    listed = OrganisationFactory(name="Alpha", ror_id="04dkp9463")
    (match,) = possible_duplicates(name="Totally different", ror_id="04dkp9463")
    assert (match.organisation, match.reasons) == (listed, ["same ROR ID"])


@pytest.mark.parametrize(
    "website",
    ["http://tuwien.at", "https://www.tuwien.at/en/", "www.TUWIEN.at", "tuwien.at:443/x"],
)
def test_possible_duplicates_same_domain_whatever_the_scheme_or_www(db, website):
    listed = OrganisationFactory(name="Technische Hochschule", website="https://www.tuwien.at/")
    (match,) = possible_duplicates(name="Another name entirely", website=website)
    assert (match.organisation, match.reasons) == (listed, ["same website domain"])


@pytest.mark.parametrize(
    "name",
    ["Universita di Valdadige", "UNIVERSITÀ DI VALDADIGE", "Università di Valdadige S.p.A."],
)
def test_possible_duplicates_similar_name(db, name):
    listed = OrganisationFactory(name="Università di Valdadige")
    (match,) = possible_duplicates(name=name)
    assert (match.organisation, match.reasons) == (listed, ["similar name"])


def test_possible_duplicates_all_reasons_at_once(db):
    listed = OrganisationFactory(
        name="Synthetica AI GmbH", website="https://synthetica.ai", ror_id="052gg0110"
    )
    (match,) = possible_duplicates(
        name="Synthetica AI", website="http://www.synthetica.ai", ror_id="052gg0110"
    )
    assert match.organisation == listed
    assert match.reasons == ["same ROR ID", "same website domain", "similar name"]


def test_possible_duplicates_none_for_different_organisations(db):
    OrganisationFactory(name="University of Vienna", website="https://univie.ac.at")
    OrganisationFactory(name="Helix Vision Ltd", website="https://helixvision.co.uk")
    assert possible_duplicates(name="University of Verona", website="https://univr.it") == []
    assert possible_duplicates(name="Prism Vision Ltd", website="https://prism.example") == []


def test_submit_records_possible_duplicates(applicant):
    listed = OrganisationFactory(website="https://www.lumina.example.be/")
    OrganisationFactory(website="https://unrelated.example.org/")
    application = ApplicationFactory(applicant=applicant, org_website="http://lumina.example.be")
    services.application_submit(application=application, actor=applicant)
    assert list(application.possible_duplicates.all()) == [listed]


def test_duplicates_of_application_include_other_open_applications_not_drafts(applicant):
    website = "https://www.lumina.example.be/"
    application = ApplicationFactory(
        applicant=applicant,
        org_name="Lumina",
        org_website="https://lumina.example.be",
        status=S.SUBMITTED,
    )
    other = ApplicationFactory(org_name="Lux Labs", org_website=website, status=S.SUBMITTED)
    ApplicationFactory(org_name="Lux Draft", org_website=website, status=S.DRAFT)
    ApplicationFactory(org_name="Lux Rejected", org_website=website, status=S.REJECTED)
    ApplicationFactory(org_name="Other Lab", status=S.SUBMITTED)
    matches = duplicates_of_application(application)
    assert [(m.application, m.reasons) for m in matches] == [(other, ["same website domain"])]


# --- Organisations -----------------------------------------------------------------------------


def test_contact_updates_the_profile_and_it_is_logged(db):
    contact = ContactFactory()
    organisation = contact.organisation
    services.organisation_update(
        organisation=organisation,
        actor=contact.user,
        data={"description": "New text.", "city": "Munich"},
        areas_of_interest=[topic("generative-ai")],
    )
    organisation.refresh_from_db()
    assert (organisation.description, organisation.city) == ("New text.", "Munich")
    entry = audit_trail(organisation).first()
    assert entry.action == "network.organisation.update"
    assert entry.data == {"fields": ["city", "description", "areas_of_interest"]}


def test_manager_updates_any_profile(manager):
    organisation = OrganisationFactory()
    services.organisation_update(organisation=organisation, actor=manager, data={"city": "Bonn"})
    organisation.refresh_from_db()
    assert organisation.city == "Bonn"


def test_stranger_cannot_update_a_profile(db):
    organisation = OrganisationFactory(city="Berlin")
    with pytest.raises(PermissionDenied):
        services.organisation_update(
            organisation=organisation, actor=UserFactory(), data={"city": "Paris"}
        )
    organisation.refresh_from_db()
    assert organisation.city == "Berlin"


def test_update_with_a_ror_id_another_organisation_has_is_refused(manager):
    OrganisationFactory(ror_id="04dkp9463")
    organisation = OrganisationFactory()
    with pytest.raises(PortalError) as excinfo:
        services.organisation_update(
            organisation=organisation, actor=manager, data={"ror_id": "04dkp9463"}
        )
    assert (excinfo.value.field, str(excinfo.value)) == (
        "ror_id",
        "Another organisation already has this ROR ID.",
    )


def test_matching_keys_follow_the_name_and_website(db):
    organisation = OrganisationFactory(name="Université Lumière", website="https://www.ul.fr/a")
    assert (organisation.website_domain, organisation.name_tokens) == ("ul.fr", ["lumiere"])
    organisation.website = "http://other.fr"
    organisation.save(update_fields=["website"])
    organisation.refresh_from_db()
    assert organisation.website_domain == "other.fr"


def test_role_grant_sets_joined_on_to_the_earliest_role(manager):
    organisation = OrganisationFactory(role=NetworkRole.FELLOWS_HOST, role__since=date(2023, 1, 1))
    services.organisation_role_grant(
        organisation=organisation,
        role=NetworkRole.AIDA_MEMBER,
        since=date(2021, 6, 1),
        actor=manager,
    )
    organisation.refresh_from_db()
    assert organisation.joined_on == date(2021, 6, 1)
    with pytest.raises(PermissionDenied):
        services.organisation_role_grant(
            organisation=organisation,
            role=NetworkRole.COORDINATOR,
            since=date(2021, 6, 1),
            actor=UserFactory(),
        )


def test_contact_add_by_manager_only(manager):
    organisation = OrganisationFactory()
    person = UserFactory()
    services.organisation_contact_add(
        organisation=organisation, user=person, position="Head of lab", actor=manager
    )
    assert person.has_perm("network.change_organisation", organisation)
    with pytest.raises(PermissionDenied):
        services.organisation_contact_add(
            organisation=organisation, user=UserFactory(), actor=person
        )
