"""Conflicts of interest as key matching: which proposals an evaluator may not read.

An evaluator and a proposal are reduced to keys (organisation names, registration numbers,
email domains, people's names, email addresses) and compared through an index, so that each
evaluator meets only the few proposals sharing a key rather than all of them. What is found
is a reason code (the values of ``ConflictReason`` in the web layer) with the evidence, as
``(kind, value)`` pairs that the web layer puts into words.

Names are compared with ``network.matching``, the portal's one Django-free reduction of
organisation names, shared with the network's duplicate check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from network.matching import fold, name_similarity, name_tokens, normalise_name

from .types import Id

# Two organisation names at least this alike (0 to 1) are taken for one organisation.
NAME_MATCH = 0.9
# Webmail domains say nothing about an organisation.
PUBLIC_EMAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "proton.me",
        "protonmail.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "aol.com",
        "mail.com",
        "yandex.com",
        "orange.fr",
        "free.fr",
        "libero.it",
        "wp.pl",
        "seznam.cz",
    }
)

# Reason codes, the same strings as ``ConflictReason``.
SAME_ORGANISATION = "same-organisation"
TEAM_MEMBER = "team-member"
APPLICANT = "applicant"
ORGANISATION_CONTACT = "organisation-contact"
COLLABORATOR = "collaborator"

# Kinds of evidence: what matched, with the value that matched.
REGISTRATION = "registration"  # value: the registration key
ORGANISATION = "organisation"  # value: the evaluator's organisation name
EMAIL_DOMAIN = "email-domain"  # value: the domain
TEAM_NAME = "team-name"  # value: the evaluator's name key
OWN_ACCOUNT = "own-account"  # value: the evaluator's email
TEAM_EMAIL = "team-email"  # value: the evaluator's email
CONTACT = "contact"  # value: the network organisation's name
COLLABORATOR_NAME = "collaborator"  # value: the collaborator line as declared

Evidence = tuple[str, str]


def same_organisation(first: str, second: str) -> bool:
    """Whether two organisation names name one organisation: the same once reduced (accents,
    case, punctuation and legal forms ignored), or at least ``NAME_MATCH`` alike."""
    if not normalise_name(first) or not normalise_name(second):
        return False
    return (
        normalise_name(first) == normalise_name(second)
        or name_similarity(first, second) >= NAME_MATCH
    )


def person_key(name: str) -> str:
    """A person's name however it is written: "Ada  Lovelace", "LOVELACE Ada" → "ada lovelace"."""
    return " ".join(sorted(re.findall(r"[a-z0-9]+", fold(name or ""))))


def email_domain(email: str) -> str:
    """The organisation domain of an address, or "" for webmail and for what is no address."""
    domain = (email or "").rsplit("@", 1)[-1].strip().lower() if "@" in (email or "") else ""
    return "" if domain in PUBLIC_EMAIL_DOMAINS else domain


def meaningful_key(key: str) -> bool:
    """Whether a registration key ("country:number") has a number at all."""
    return bool(key) and bool(key.split(":", 1)[-1])


@dataclass
class ProposalKeys:
    """A proposal as conflict keys; build it with ``proposal_keys``."""

    id: Id
    organisation: str
    normalised: str
    tokens: list
    registration_key: str
    domains: set
    people: set
    emails: set
    applicant_id: Id
    applicant_email: str


def proposal_keys(
    *,
    id: Id,
    organisation: str,
    registration_key: str,
    team: Iterable[Mapping[str, str]],
    applicant_id: Id,
    applicant_email: str,
) -> ProposalKeys:
    """Keys of a proposal from its applicant organisation's name, its registration key, its
    team (rows with ``full_name`` and ``email``) and its applicant's account."""
    team = list(team)
    emails = {m.get("email", "").strip().lower() for m in team if m.get("email")}
    applicant_email = applicant_email.lower()
    return ProposalKeys(
        id=id,
        organisation=organisation,
        normalised=normalise_name(organisation),
        tokens=name_tokens(organisation),
        registration_key=registration_key,
        domains={d for d in (email_domain(e) for e in {*emails, applicant_email}) if d},
        people={person_key(m.get("full_name", "")) for m in team if m.get("full_name")},
        emails=emails,
        applicant_id=applicant_id,
        applicant_email=applicant_email,
    )


@dataclass
class EvaluatorKeys:
    """An evaluator as conflict keys. ``email`` is lower case, ``person`` a ``person_key``."""

    id: Id
    email: str
    person: str
    registration_key: str
    organisations: list  # names of their own organisation(s)
    contact_of: list  # (name, domain) of network organisations they are a contact of
    domains: set
    collaborators: list
    declared: list = field(default_factory=list)


class ProposalIndex:
    """The call's proposals by the keys that detect conflicts, so that each evaluator is
    compared with the few proposals sharing a key rather than all of them."""

    def __init__(self, proposals: list[ProposalKeys]):
        self.proposals = {p.id: p for p in proposals}
        self.by_token: dict[str, set] = {}
        self.by_registration: dict[str, set] = {}
        self.by_domain: dict[str, set] = {}
        self.by_person: dict[str, set] = {}
        self.by_email: dict[str, set] = {}
        for p in proposals:
            for token in p.tokens:
                self.by_token.setdefault(token, set()).add(p.id)
            if meaningful_key(p.registration_key):
                self.by_registration.setdefault(p.registration_key, set()).add(p.id)
            for domain in p.domains:
                self.by_domain.setdefault(domain, set()).add(p.id)
            for person in p.people:
                self.by_person.setdefault(person, set()).add(p.id)
            for email in {*p.emails, p.applicant_email}:
                self.by_email.setdefault(email, set()).add(p.id)

    def organisation_matches(self, name: str) -> set:
        """Proposals whose applicant organisation is ``name`` (or very nearly)."""
        normalised = normalise_name(name)
        if not normalised:
            return set()
        candidates = set()
        for token in name_tokens(name):
            candidates |= self.by_token.get(token, set())
        return {
            pid for pid in candidates if same_organisation(name, self.proposals[pid].organisation)
        }


def detect(evaluator: EvaluatorKeys, index: ProposalIndex) -> dict[Id, dict[str, list[Evidence]]]:
    """{proposal id: {reason code: [evidence, in the order found]}} for one evaluator: same
    organisation (registration key, name, email domain), named in the team, the applicant
    themself, a contact of the applicant organisation in the network, a declared collaborator.
    """
    found: dict[Id, dict[str, list[Evidence]]] = {}

    def add(pids, code, evidence):
        for pid in pids:
            found.setdefault(pid, {}).setdefault(code, []).append(evidence)

    if meaningful_key(evaluator.registration_key):
        add(
            index.by_registration.get(evaluator.registration_key, ()),
            SAME_ORGANISATION,
            (REGISTRATION, evaluator.registration_key),
        )
    for name in evaluator.organisations:
        add(index.organisation_matches(name), SAME_ORGANISATION, (ORGANISATION, name))
    for domain in evaluator.domains:
        add(index.by_domain.get(domain, ()), SAME_ORGANISATION, (EMAIL_DOMAIN, domain))
    if evaluator.person:
        add(
            index.by_person.get(evaluator.person, ()),
            TEAM_MEMBER,
            (TEAM_NAME, evaluator.person),
        )
    for pid in index.by_email.get(evaluator.email, ()):
        proposal = index.proposals[pid]
        if proposal.applicant_email == evaluator.email or proposal.applicant_id == evaluator.id:
            add([pid], APPLICANT, (OWN_ACCOUNT, evaluator.email))
        else:
            add([pid], TEAM_MEMBER, (TEAM_EMAIL, evaluator.email))
    for name, domain in evaluator.contact_of:
        add(index.organisation_matches(name), ORGANISATION_CONTACT, (CONTACT, name))
        if domain:
            add(index.by_domain.get(domain, ()), ORGANISATION_CONTACT, (CONTACT, name))
    for line in evaluator.collaborators:
        add(
            index.by_person.get(person_key(line), ()),
            COLLABORATOR,
            (COLLABORATOR_NAME, line),
        )
        add(index.organisation_matches(line), COLLABORATOR, (COLLABORATOR_NAME, line))
    return found


def detect_declared(evaluator: EvaluatorKeys, index: ProposalIndex) -> dict[Id, list[str]]:
    """{proposal id: [organisation names the evaluator declared that match it]}."""
    found: dict[Id, list[str]] = {}
    for name in evaluator.declared:
        for pid in index.organisation_matches(name):
            found.setdefault(pid, []).append(name)
    return found
