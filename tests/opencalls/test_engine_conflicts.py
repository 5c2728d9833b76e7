import pytest

from opencalls.engine.conflicts import (
    APPLICANT,
    COLLABORATOR,
    ORGANISATION_CONTACT,
    SAME_ORGANISATION,
    TEAM_MEMBER,
    EvaluatorKeys,
    ProposalIndex,
    detect,
    detect_declared,
    email_domain,
    meaningful_key,
    person_key,
    proposal_keys,
)


def _proposal(pid=1, organisation="Universität Wien", registration="AT:123", team=(), **extra):
    return proposal_keys(
        id=pid,
        organisation=organisation,
        registration_key=registration,
        team=list(team),
        applicant_id=extra.get("applicant_id", 100),
        applicant_email=extra.get("applicant_email", "Lead@Univie.ac.at"),
    )


def _evaluator(**fields):
    values = {
        "id": 7,
        "email": "eve@example.org",
        "person": person_key("Eve Example"),
        "registration_key": "",
        "organisations": [],
        "contact_of": [],
        "domains": set(),
        "collaborators": [],
        "declared": [],
    }
    values.update(fields)
    return EvaluatorKeys(**values)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Ada Lovelace", "ada lovelace"),
        ("  LOVELACE   Ada ", "ada lovelace"),
        ("Zoë Dupré-Müller", "dupre muller zoe"),
        ("", ""),
        (None, ""),
    ],
)
def test_person_key_ignores_case_accents_order_and_spacing(name, key):
    assert person_key(name) == key


@pytest.mark.parametrize(
    ("email", "domain"),
    [
        ("someone@TUWien.ac.at", "tuwien.ac.at"),
        ("someone@gmail.com", ""),
        ("someone@proton.me", ""),
        ("not an address", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_email_domain_drops_webmail_and_non_addresses(email, domain):
    assert email_domain(email) == domain


@pytest.mark.parametrize(
    ("key", "expected"), [("AT:123", True), ("AT:", False), ("", False), ("123", True)]
)
def test_meaningful_key_needs_a_number(key, expected):
    assert meaningful_key(key) == expected


def test_proposal_keys_reduce_team_and_applicant():
    keys = _proposal(
        team=[
            {"full_name": "Ada Lovelace", "email": " Ada@Univie.ac.at "},
            {"full_name": "", "email": "other@gmail.com"},
        ]
    )

    assert keys.normalised == "universitat wien"
    assert keys.tokens == ["wien"]
    assert keys.emails == {"ada@univie.ac.at", "other@gmail.com"}
    assert keys.applicant_email == "lead@univie.ac.at"
    assert keys.domains == {"univie.ac.at"}
    assert keys.people == {"ada lovelace"}


def test_detect_same_registration_number():
    index = ProposalIndex([_proposal(1), _proposal(2, "Other", registration="DE:9")])

    found = detect(_evaluator(registration_key="AT:123"), index)

    assert found == {1: {SAME_ORGANISATION: [("registration", "AT:123")]}}


def test_detect_ignores_an_empty_registration_number():
    index = ProposalIndex([_proposal(1, registration="AT:")])

    assert detect(_evaluator(registration_key="AT:"), index) == {}


def test_detect_same_organisation_by_a_near_identical_name():
    index = ProposalIndex([_proposal(1, "Universität Wien GmbH"), _proposal(2, "TU Delft")])

    found = detect(_evaluator(organisations=["Universitat  Wien"]), index)

    assert found == {1: {SAME_ORGANISATION: [("organisation", "Universitat  Wien")]}}


def test_detect_does_not_confuse_alike_names_of_different_organisations():
    index = ProposalIndex([_proposal(1, "University of Verona")])

    assert detect(_evaluator(organisations=["University of Vienna"]), index) == {}


def test_detect_same_email_domain():
    index = ProposalIndex([_proposal(1, team=[{"full_name": "X", "email": "x@lab.eu"}])])

    found = detect(_evaluator(domains={"lab.eu"}), index)

    assert found == {1: {SAME_ORGANISATION: [("email-domain", "lab.eu")]}}


def test_detect_evaluator_named_in_the_team():
    index = ProposalIndex([_proposal(1, team=[{"full_name": "EXAMPLE Eve", "email": ""}])])

    assert detect(_evaluator(), index) == {1: {TEAM_MEMBER: [("team-name", "eve example")]}}


def test_detect_evaluator_email_in_the_team():
    index = ProposalIndex(
        [_proposal(1, team=[{"full_name": "Someone", "email": "EVE@example.org"}])]
    )

    found = detect(_evaluator(person=""), index)

    assert found == {1: {TEAM_MEMBER: [("team-email", "eve@example.org")]}}


def test_detect_the_applicant_themself_by_account_or_email():
    index = ProposalIndex(
        [
            _proposal(1, applicant_email="eve@example.org"),
            _proposal(2, applicant_id=7, team=[{"full_name": "Z", "email": "eve@example.org"}]),
        ]
    )

    found = detect(_evaluator(person=""), index)

    assert found == {
        1: {APPLICANT: [("own-account", "eve@example.org")]},
        2: {APPLICANT: [("own-account", "eve@example.org")]},
    }


def test_detect_contact_of_the_applicant_organisation_by_name_and_domain():
    index = ProposalIndex(
        [
            _proposal(1, "Fraunhofer Gesellschaft"),
            _proposal(2, "Another Lab", team=[{"full_name": "Q", "email": "q@fraunhofer.de"}]),
        ]
    )

    found = detect(_evaluator(contact_of=[("Fraunhofer-Gesellschaft", "fraunhofer.de")]), index)

    assert found == {
        1: {ORGANISATION_CONTACT: [("contact", "Fraunhofer-Gesellschaft")]},
        2: {ORGANISATION_CONTACT: [("contact", "Fraunhofer-Gesellschaft")]},
    }


def test_detect_declared_collaborator_by_person_or_organisation():
    index = ProposalIndex(
        [
            _proposal(1, "Acme Robotics", team=[{"full_name": "Lovelace Ada", "email": ""}]),
            _proposal(2, "Politecnico di Milano"),
        ]
    )

    found = detect(_evaluator(collaborators=["Ada Lovelace", "Politecnico di Milano"]), index)

    assert found == {
        1: {COLLABORATOR: [("collaborator", "Ada Lovelace")]},
        2: {COLLABORATOR: [("collaborator", "Politecnico di Milano")]},
    }


def test_detect_finds_nothing_for_an_unrelated_evaluator():
    index = ProposalIndex([_proposal(1)])

    assert detect(_evaluator(organisations=["TU Delft"], domains={"tudelft.nl"}), index) == {}


def test_detect_declared_matches_declared_organisations_only():
    index = ProposalIndex([_proposal(1, "Universität Wien"), _proposal(2, "TU Delft")])

    found = detect_declared(_evaluator(declared=["Universitat Wien", "Nowhere Institute"]), index)

    assert found == {1: ["Universitat Wien"]}


def test_organisation_matches_needs_a_name():
    index = ProposalIndex([_proposal(1)])

    assert index.organisation_matches("  GmbH ") == set()
