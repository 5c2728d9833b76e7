"""Every write of the evaluation. Views, the API, admin actions and Celery tasks call these.

Each service checks the actor's permission, runs in a transaction, locks the rows it
changes, validates, records the action in the audit log (``opencalls.evaluation.*``) and
queues its emails (sent after commit). The arithmetic (affinity, the optimal assignment,
score validation, consensus suggestions, ranking) is the engine's.

Confidentiality is kept by construction: emails and pages that applicants read are built from
the consensus report, never from reviews, so no evaluator is ever named to them.
"""

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ai4media_portal.accounts.selectors import emails_of
from ai4media_portal.core.audit import log_action
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.links import absolute_url
from ai4media_portal.core.outbox import email_queue
from ai4media_portal.core.permissions import require_perm
from ai4media_portal.core.roles import Role
from ai4media_portal.core.workflow import ensure_transition
from network.matching import fold, name_similarity, name_tokens, normalise_name, website_domain

from .. import services as call_services
from ..engine.assignment import AssignmentProblem, assign_evaluators, load_statistics
from ..engine.ranking import Decision
from ..engine.scoring import ScoreError, format_score, validate_score
from ..enums import TRANSITIONS, CallStage, ProposalStatus
from ..models import Call, Proposal
from . import selectors
from .enums import (
    CONSENSUS_TRANSITIONS,
    INTERVIEW_TRANSITIONS,
    POOL_TRANSITIONS,
    REVIEW_TRANSITIONS,
    RUN_TRANSITIONS,
    AssignmentSource,
    ConflictReason,
    ConflictSource,
    ConsensusStatus,
    InterviewStatus,
    InvitationStatus,
    PoolStatus,
    ReviewReminderKind,
    ReviewStatus,
    RunStatus,
)
from .models import (
    Assignment,
    AssignmentRun,
    Conflict,
    ConsensusReport,
    ConsensusScore,
    EvaluationSettings,
    EvaluatorProfile,
    Interview,
    InterviewSlot,
    Invitation,
    PoolMember,
    Review,
    ReviewReminder,
    ReviewScore,
)
from .terms import TERMS_VERSION

logger = logging.getLogger(__name__)

INVITATION_DAYS = 30
# A run that has not finished in this time is taken for dead (its worker was lost).
STALE_RUN = timedelta(minutes=30)
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
PS = ProposalStatus


def _lock_call(call: Call) -> Call:
    return Call.objects.select_for_update().get(pk=call.pk)


def _ensure_evaluating(call: Call) -> None:
    if call.stage != CallStage.UNDER_EVALUATION:
        raise PortalError(
            _("The call is not under evaluation: start the evaluation after the deadline first.")
            if call.stage in {CallStage.DRAFT, CallStage.PUBLISHED}
            else _("The results of this call are published: the evaluation is closed."),
            code="not_evaluating",
        )


def _start_evaluation(proposal: Proposal, actor) -> None:
    """An eligible proposal that receives its first evaluator is under evaluation."""
    if proposal.status == PS.ELIGIBLE:
        ensure_transition(PS.ELIGIBLE, PS.UNDER_EVALUATION, TRANSITIONS)
        Proposal.objects.filter(pk=proposal.pk).update(
            status=PS.UNDER_EVALUATION, updated_at=timezone.now()
        )
        proposal.status = PS.UNDER_EVALUATION
        log_action("opencalls.evaluation.proposal.start", actor=actor, target=proposal)


def _local(moment, call: Call) -> str:
    return call_services._local(moment, call.tzinfo)


def score_error_message(error: ScoreError) -> str:
    """The engine's refusal of a score, in the portal's language."""
    if error.code == "out_of_range":
        maximum = error.params.get("max_score")
        return _("Scores go from 0 to %(max)s.") % {
            "max": format_score(maximum) if isinstance(maximum, Decimal) else maximum
        }
    if error.code == "not_half_point":
        return _("Scores go in half points, for example 3 or 3.5.")
    if error.code == "required":
        return _("Give a score.")
    return _("Enter a number, for example 3 or 3.5.")


# --- Settings ---------------------------------------------------------------------------------

SETTINGS_FIELDS = (
    "hide_applicant_identity",
    "review_deadline",
    "interview_weight",
    "interview_max_score",
    "tie_break_last",
)


@transaction.atomic
def settings_update(*, call: Call, actor, data: dict) -> EvaluationSettings:
    """Set how the call is evaluated (blind review, review deadline, interview weight, last
    tie-break). The review deadline comes after the call's own deadline. Managers only."""
    require_perm(actor, "opencalls.manage_evaluation")
    call = _lock_call(call)
    settings, _created = EvaluationSettings.objects.select_for_update().get_or_create(call=call)
    deadline = data.get("review_deadline")
    if deadline is not None and deadline <= call.closes_at:
        raise PortalError(
            _("The review deadline must come after the call's deadline (%(deadline)s).")
            % {"deadline": _local(call.closes_at, call)},
            field="review_deadline",
        )
    changed = []
    for name in SETTINGS_FIELDS:
        if name in data and getattr(settings, name) != data[name]:
            setattr(settings, name, data[name])
            changed.append(name)
    settings.full_clean()
    if changed:
        settings.save(update_fields=[*changed, "updated_at"])
        log_action(
            "opencalls.evaluation.settings.update",
            actor=actor,
            target=call,
            data={"fields": changed},
        )
    return settings


# --- Evaluator profiles -----------------------------------------------------------------------

PROFILE_FIELDS = (
    "keywords",
    "cv",
    "country",
    "organisation_name",
    "organisation_registration_number",
    "organisation_country",
    "organisation_domain",
    "collaborators",
    "default_max_load",
    "availability",
)


def _save_profile(user, data: dict, expertise) -> EvaluatorProfile:
    profile, _created = EvaluatorProfile.objects.select_for_update().get_or_create(user=user)
    for name in PROFILE_FIELDS:
        if name in data:
            value = data[name]
            setattr(profile, name, value.strip() if isinstance(value, str) else value)
    domain = profile.organisation_domain
    if domain:
        domain = website_domain(domain.split("@")[-1])
        if domain in PUBLIC_EMAIL_DOMAINS:
            raise PortalError(
                _("%(domain)s is a webmail provider, not your organisation's domain.")
                % {"domain": domain},
                field="organisation_domain",
            )
        profile.organisation_domain = domain
    profile.registration_key = (
        call_services.registration_key(
            str(profile.organisation_country or profile.country or ""),
            profile.organisation_registration_number,
        )
        if profile.organisation_registration_number
        else ""
    )
    profile.full_clean(exclude=["user"])
    profile.save()
    if expertise is not None:
        profile.expertise.set(expertise)
    return profile


@transaction.atomic
def evaluator_profile_save(*, user, actor, data: dict, expertise=None) -> EvaluatorProfile:
    """Save an evaluator's expertise, CV, organisation and collaborators (their own only) and
    re-detect their conflicts in every call whose pool they are in."""
    if actor is None or not actor.is_authenticated or actor.pk != user.pk:
        raise PermissionDenied
    profile = _save_profile(user, data, expertise)
    log_action("opencalls.evaluation.profile.update", actor=actor, target=profile)
    calls = Call.objects.filter(
        pool__evaluator=user, pool__status__in=[PoolStatus.INVITED, PoolStatus.ACCEPTED]
    ).exclude(stage=CallStage.RESULTS_PUBLISHED)
    for call in calls:
        conflicts_detect(call=call, evaluator_ids=[user.pk], actor=actor)
    return profile


# --- Pool and invitations ---------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class InvitationSent:
    invitation: Invitation
    token: str
    member: PoolMember | None = None


@transaction.atomic
def evaluator_invite(
    *, call: Call, actor, email: str, max_proposals: int = 10, message: str = ""
) -> InvitationSent:
    """Invite an expert by email to the call's pool. The link (valid 30 days; only its hash is
    stored) lets them sign up or sign in, then accept the terms. Someone who already has an
    account also finds the invitation on their evaluation page. Managers only."""
    require_perm(actor, "opencalls.manage_evaluation")
    call = _lock_call(call)
    if call.stage == CallStage.RESULTS_PUBLISHED:
        raise PortalError(_("The results of this call are published: the pool is closed."))
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise PortalError(_("Enter a valid email address."), field="email") from error
    user = get_user_model().objects.filter(email__iexact=email).first()
    member = None
    if user is not None:
        member = PoolMember.objects.select_for_update().filter(call=call, evaluator=user).first()
        if member is not None and member.status == PoolStatus.ACCEPTED:
            raise PortalError(
                _("%(name)s is already in this call's pool.") % {"name": user.display_name},
                field="email",
            )
    # A new invitation replaces any earlier one to the same address.
    Invitation.objects.filter(call=call, email=email, status=InvitationStatus.PENDING).update(
        status=InvitationStatus.REVOKED
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        call=call,
        email=email,
        token_hash=_token_hash(token),
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        invited_by=actor,
        message=message.strip(),
        max_proposals=max_proposals,
    )
    invitation.full_clean()
    invitation.save()
    if user is not None:
        if member is None:
            member = PoolMember(call=call, evaluator=user)
        elif member.status == PoolStatus.DECLINED:
            ensure_transition(PoolStatus.DECLINED, PoolStatus.INVITED, POOL_TRANSITIONS)
        member.status = PoolStatus.INVITED
        member.max_proposals = max_proposals
        member.invited_by = actor
        member.responded_at = None
        member.save()
    log_action(
        "opencalls.evaluation.pool.invite",
        actor=actor,
        target=call,
        data={"email": email, "existing_account": user is not None},
    )
    email_queue(
        to=email,
        template="opencalls/evaluation/invitation",
        context={
            "call": call,
            "inviter": actor,
            "message": invitation.message,
            "max_proposals": max_proposals,
            "expires": _local(invitation.expires_at, call),
            "url": absolute_url("opencalls:evaluation:invitation", token),
        },
    )
    return InvitationSent(invitation, token, member)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor) -> Invitation:
    """Withdraw an invitation that has not been opened yet. Managers only."""
    require_perm(actor, "opencalls.manage_evaluation")
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise PortalError(_("Only an invitation that has not been opened can be withdrawn."))
    invitation.status = InvitationStatus.REVOKED
    invitation.save(update_fields=["status", "updated_at"])
    log_action(
        "opencalls.evaluation.pool.revoke",
        actor=actor,
        target=invitation.call,
        data={"email": invitation.email},
    )
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("call", "invited_by")
        .filter(token_hash=_token_hash(token or ""))
        .first()
    )


def invitation_problem(invitation: Invitation | None, user=None) -> str | None:
    """Why an invitation link cannot be used (by ``user``), or None."""
    if invitation is None:
        return _("This invitation link is not valid. Check that you copied all of it.")
    if invitation.status == InvitationStatus.REVOKED:
        return _("This invitation has been withdrawn or replaced by a newer one.")
    if invitation.call.stage == CallStage.RESULTS_PUBLISHED:
        return _("The evaluation of this call is over.")
    if (
        invitation.status == InvitationStatus.CLAIMED
        and user is not None
        and invitation.claimed_by_id not in (None, user.pk)
    ):
        return _("This invitation has already been used by another account.")
    if invitation.status == InvitationStatus.PENDING and invitation.is_expired:
        return _("This invitation expired on %(date)s. Ask the call team for a new one.") % {
            "date": _local(invitation.expires_at, invitation.call)
        }
    return None


@transaction.atomic
def invitation_claim(*, token: str, user) -> PoolMember:
    """The signed-in person who opens an invitation link joins the call's pool as invited;
    they see the terms next. The link works for one account only."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("call")
        .filter(token_hash=_token_hash(token or ""))
        .first()
    )
    problem = invitation_problem(invitation, user)
    if problem:
        raise PortalError(problem, code="invalid_invitation")
    call = invitation.call
    member, _created = PoolMember.objects.select_for_update().get_or_create(
        call=call,
        evaluator=user,
        defaults={
            "status": PoolStatus.INVITED,
            "max_proposals": invitation.max_proposals,
            "invited_by": invitation.invited_by,
        },
    )
    if member.status == PoolStatus.DECLINED:
        ensure_transition(PoolStatus.DECLINED, PoolStatus.INVITED, POOL_TRANSITIONS)
        member.status = PoolStatus.INVITED
        member.responded_at = None
        member.save(update_fields=["status", "responded_at", "updated_at"])
    if invitation.status == InvitationStatus.PENDING:
        invitation.status = InvitationStatus.CLAIMED
        invitation.claimed_by = user
        invitation.claimed_at = timezone.now()
        invitation.save(update_fields=["status", "claimed_by", "claimed_at", "updated_at"])
        log_action(
            "opencalls.evaluation.pool.claim",
            actor=user,
            target=call,
            data={"invited": invitation.email, "account": user.email},
        )
    return member


@transaction.atomic
def pool_accept(
    *,
    member: PoolMember,
    actor,
    accept_terms: bool,
    max_proposals: int,
    availability: str = "",
    profile: dict | None = None,
    expertise=None,
) -> PoolMember:
    """The invited evaluator accepts the call's confidentiality and conflict-of-interest terms
    (their version and time are recorded), says how many proposals they take and completes
    their profile. They receive the evaluator role (and so must protect their account with a
    second factor) and their conflicts are detected at once."""
    member = PoolMember.objects.select_for_update().select_related("call").get(pk=member.pk)
    if actor is None or member.evaluator_id != actor.pk:
        raise PermissionDenied
    if member.call.stage == CallStage.RESULTS_PUBLISHED:
        raise PortalError(_("The evaluation of this call is over."))
    ensure_transition(PoolStatus(member.status), PoolStatus.ACCEPTED, POOL_TRANSITIONS)
    if not accept_terms:
        raise PortalError(
            _("Accept the confidentiality and conflict-of-interest terms to join the pool."),
            field="accept_terms",
        )
    _save_profile(actor, profile or {}, expertise)
    now = timezone.now()
    member.status = PoolStatus.ACCEPTED
    member.max_proposals = max_proposals
    member.availability = availability.strip()
    member.terms_version = TERMS_VERSION
    member.terms_accepted_at = now
    member.responded_at = now
    member.full_clean()
    member.save()
    if not actor.has_role(Role.EVALUATOR):
        actor.groups.add(Group.objects.get(name=Role.EVALUATOR))
        actor.__dict__.pop("role_names", None)
        log_action("opencalls.evaluation.role.grant", actor=actor, target=actor)
    log_action(
        "opencalls.evaluation.pool.accept",
        actor=actor,
        target=member.call,
        data={"terms": TERMS_VERSION, "max_proposals": max_proposals},
    )
    conflicts_detect(call=member.call, evaluator_ids=[actor.pk], actor=actor)
    return member


@transaction.atomic
def pool_decline(*, member: PoolMember, actor, reason: str = "") -> PoolMember:
    """The invited evaluator declines; the call team can invite them again later."""
    member = PoolMember.objects.select_for_update().select_related("call").get(pk=member.pk)
    if actor is None or member.evaluator_id != actor.pk:
        raise PermissionDenied
    ensure_transition(PoolStatus(member.status), PoolStatus.DECLINED, POOL_TRANSITIONS)
    member.status = PoolStatus.DECLINED
    member.decline_reason = reason.strip()[:500]
    member.responded_at = timezone.now()
    member.save(update_fields=["status", "decline_reason", "responded_at", "updated_at"])
    log_action("opencalls.evaluation.pool.decline", actor=actor, target=member.call)
    return member


@transaction.atomic
def pool_update(
    *, member: PoolMember, actor, max_proposals: int, availability: str | None = None
) -> PoolMember:
    """Change how many proposals an evaluator takes in a call (the evaluator or a call
    manager); never below what they are already assigned."""
    member = PoolMember.objects.select_for_update().select_related("call").get(pk=member.pk)
    manager = actor is not None and actor.has_perm("opencalls.manage_evaluation")
    if not manager and (actor is None or member.evaluator_id != actor.pk):
        raise PermissionDenied
    load = Assignment.objects.filter(call=member.call, evaluator_id=member.evaluator_id).count()
    if max_proposals < load:
        raise PortalError(
            _("%(count)s proposals are already assigned: the maximum cannot be lower.")
            % {"count": load},
            field="max_proposals",
        )
    member.max_proposals = max_proposals
    if availability is not None:
        member.availability = availability.strip()
    member.full_clean()
    member.save(update_fields=["max_proposals", "availability", "updated_at"])
    log_action(
        "opencalls.evaluation.pool.update",
        actor=actor,
        target=member.call,
        data={"evaluator": member.evaluator_id, "max_proposals": max_proposals},
    )
    return member


# --- Conflicts of interest --------------------------------------------------------------------


def _person_key(name: str) -> str:
    """A person's name however it is written: "Ada  Lovelace", "LOVELACE Ada" → "ada lovelace"."""
    return " ".join(sorted(re.findall(r"[a-z0-9]+", fold(name or ""))))


def _email_domain(email: str) -> str:
    domain = (email or "").rsplit("@", 1)[-1].strip().lower() if "@" in (email or "") else ""
    return "" if domain in PUBLIC_EMAIL_DOMAINS else domain


@dataclass
class _ProposalKeys:
    id: int
    organisation: str
    normalised: str
    tokens: list
    registration_key: str
    domains: set
    people: set
    emails: set
    applicant_id: int
    applicant_email: str


@dataclass
class _EvaluatorKeys:
    id: int
    email: str
    person: str
    registration_key: str
    organisations: list  # names of their own organisation(s)
    contact_of: list  # (name, domain) of network organisations they are a contact of
    domains: set
    collaborators: list
    declared: list = field(default_factory=list)


def _meaningful_key(key: str) -> bool:
    return bool(key) and bool(key.split(":", 1)[-1])


def _proposal_keys(proposal: Proposal) -> _ProposalKeys:
    data = proposal.current_version.data
    organisation = data.get("organisation", {}).get("name") or ""
    team = data.get("team", [])
    emails = {m.get("email", "").strip().lower() for m in team if m.get("email")}
    applicant_email = proposal.applicant.email.lower()
    return _ProposalKeys(
        id=proposal.pk,
        organisation=organisation,
        normalised=normalise_name(organisation),
        tokens=name_tokens(organisation),
        registration_key=proposal.registration_key,
        domains={d for d in (_email_domain(e) for e in {*emails, applicant_email}) if d},
        people={_person_key(m.get("full_name", "")) for m in team if m.get("full_name")},
        emails=emails,
        applicant_id=proposal.applicant_id,
        applicant_email=applicant_email,
    )


def _contacts_of(user_ids) -> dict[int, list[tuple[str, str]]]:
    """Network organisations each user speaks for: (name, website domain)."""
    from django.apps import apps

    if not apps.is_installed("network"):
        return {}
    contact_model = apps.get_model("network", "OrganisationContact")
    result: dict[int, list] = {}
    for user_id, name, domain in contact_model.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "organisation__name", "organisation__website_domain"
    ):
        result.setdefault(user_id, []).append((name, domain))
    return result


def _evaluator_keys(members: list[PoolMember]) -> list[_EvaluatorKeys]:
    contacts = _contacts_of([m.evaluator_id for m in members])
    keys = []
    for member in members:
        user = member.evaluator
        profile = getattr(user, "evaluator_profile", None)
        organisations, domains, collaborators, registration = [], set(), [], ""
        if profile is not None:
            if profile.organisation_name:
                organisations.append(profile.organisation_name)
            if profile.organisation_domain:
                domains.add(profile.organisation_domain)
            collaborators = profile.collaborator_list
            registration = profile.registration_key
        keys.append(
            _EvaluatorKeys(
                id=user.pk,
                email=user.email.lower(),
                person=_person_key(user.full_name),
                registration_key=registration,
                organisations=organisations,
                contact_of=contacts.get(user.pk, []),
                domains=domains,
                collaborators=collaborators,
                declared=member.declared_organisation_list,
            )
        )
    return keys


class _ProposalIndex:
    """The call's proposals by the keys that detect conflicts, so that each evaluator is
    compared with the few proposals sharing a key rather than all of them."""

    def __init__(self, proposals: list[_ProposalKeys]):
        self.proposals = {p.id: p for p in proposals}
        self.by_token: dict[str, set[int]] = {}
        self.by_registration: dict[str, set[int]] = {}
        self.by_domain: dict[str, set[int]] = {}
        self.by_person: dict[str, set[int]] = {}
        self.by_email: dict[str, set[int]] = {}
        for p in proposals:
            for token in p.tokens:
                self.by_token.setdefault(token, set()).add(p.id)
            if _meaningful_key(p.registration_key):
                self.by_registration.setdefault(p.registration_key, set()).add(p.id)
            for domain in p.domains:
                self.by_domain.setdefault(domain, set()).add(p.id)
            for person in p.people:
                self.by_person.setdefault(person, set()).add(p.id)
            for email in {*p.emails, p.applicant_email}:
                self.by_email.setdefault(email, set()).add(p.id)

    def organisation_matches(self, name: str) -> set[int]:
        """Proposals whose applicant organisation is ``name`` (or very nearly)."""
        normalised = normalise_name(name)
        if not normalised:
            return set()
        candidates = set()
        for token in name_tokens(name):
            candidates |= self.by_token.get(token, set())
        return {
            pid
            for pid in candidates
            if self.proposals[pid].normalised == normalised
            or name_similarity(name, self.proposals[pid].organisation) >= NAME_MATCH
        }


def _detect(evaluator: _EvaluatorKeys, index: _ProposalIndex) -> dict[int, dict[str, list[str]]]:
    """{proposal id: {reason code: [details]}} for one evaluator."""
    found: dict[int, dict[str, list[str]]] = {}

    def add(pids, code, detail):
        for pid in pids:
            found.setdefault(pid, {}).setdefault(code, []).append(detail)

    same = ConflictReason.SAME_ORGANISATION.value
    if _meaningful_key(evaluator.registration_key):
        add(
            index.by_registration.get(evaluator.registration_key, ()),
            same,
            _("same registration number (%(key)s)") % {"key": evaluator.registration_key},
        )
    for name in evaluator.organisations:
        add(
            index.organisation_matches(name),
            same,
            _("same organisation (%(name)s)") % {"name": name},
        )
    for domain in evaluator.domains:
        add(index.by_domain.get(domain, ()), same, _("same email domain (%(d)s)") % {"d": domain})
    if evaluator.person:
        add(
            index.by_person.get(evaluator.person, ()),
            ConflictReason.TEAM_MEMBER.value,
            _("named in the team"),
        )
    for pid in index.by_email.get(evaluator.email, ()):
        proposal = index.proposals[pid]
        if proposal.applicant_email == evaluator.email or proposal.applicant_id == evaluator.id:
            add([pid], ConflictReason.APPLICANT.value, _("the applicant's own account"))
        else:
            add([pid], ConflictReason.TEAM_MEMBER.value, _("email address in the team"))
    for name, domain in evaluator.contact_of:
        detail = _("contact of %(name)s in the network") % {"name": name}
        add(index.organisation_matches(name), ConflictReason.ORGANISATION_CONTACT.value, detail)
        if domain:
            add(index.by_domain.get(domain, ()), ConflictReason.ORGANISATION_CONTACT.value, detail)
    for line in evaluator.collaborators:
        detail = _("declared collaborator (%(name)s)") % {"name": line}
        add(index.by_person.get(_person_key(line), ()), ConflictReason.COLLABORATOR.value, detail)
        add(index.organisation_matches(line), ConflictReason.COLLABORATOR.value, detail)
    return found


def _detect_declared(evaluator: _EvaluatorKeys, index: _ProposalIndex) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for name in evaluator.declared:
        for pid in index.organisation_matches(name):
            found.setdefault(pid, []).append(
                _("declared a conflict with %(name)s") % {"name": name}
            )
    return found


def _conflict_proposals(call: Call):
    return list(
        Proposal.objects.filter(call=call, current_version__isnull=False)
        .exclude(status__in=[PS.DRAFT, PS.WITHDRAWN, PS.INELIGIBLE])
        .select_related("applicant", "current_version")
    )


def _drop_conflicted_assignment(proposal_id: int, evaluator_id: int, actor, reason: str) -> None:
    """A new conflict takes the evaluator off the proposal unless their review is already
    submitted (then a call manager decides; the evaluator sees nothing of it meanwhile)."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .filter(proposal_id=proposal_id, evaluator_id=evaluator_id)
        .select_related("review", "proposal")
        .first()
    )
    if assignment is None:
        return
    review = selectors.review_of(assignment)
    if review is not None and review.is_submitted:
        return
    log_action(
        "opencalls.evaluation.assignment.remove",
        actor=actor,
        target=assignment.proposal,
        data={"evaluator": evaluator_id, "why": "conflict", "reason": reason},
    )
    assignment.delete()


@transaction.atomic
def conflicts_detect(
    *, call: Call, evaluator_ids=None, proposal_ids=None, actor=None
) -> dict[str, int]:
    """Detect conflicts of interest between the call's pool (invited and accepted evaluators,
    or ``evaluator_ids``) and its submitted proposals: same organisation (registration number,
    name, email domain), named in the team, the applicant themself, a contact of the applicant
    organisation in the network, a declared collaborator, or an organisation the evaluator
    declared. New conflicts are stored with their reasons and take the evaluator off the
    proposal; a conflict a manager dismissed stays dismissed unless a new reason appears;
    detected conflicts that no longer apply (a profile changed) are removed.

    Runs when evaluators join or change their profile, before every assignment (by hand or
    automatic) and on request. Proposals cannot change once the call is closed."""
    members = list(
        PoolMember.objects.filter(
            call=call, status__in=[PoolStatus.INVITED, PoolStatus.ACCEPTED]
        ).select_related("evaluator__evaluator_profile")
    )
    if evaluator_ids is not None:
        members = [m for m in members if m.evaluator_id in set(evaluator_ids)]
    proposals = _conflict_proposals(call)
    if proposal_ids is not None:
        proposals = [p for p in proposals if p.pk in set(proposal_ids)]
    counts = {"new": 0, "reactivated": 0, "removed": 0}
    if not members or not proposals:
        return counts
    index = _ProposalIndex([_proposal_keys(p) for p in proposals])
    scope = Conflict.objects.filter(
        call=call,
        evaluator_id__in=[m.evaluator_id for m in members],
        proposal_id__in=list(index.proposals),
    )
    existing = {(c.proposal_id, c.evaluator_id, c.source): c for c in scope.select_for_update()}
    seen = set()
    for keys in _evaluator_keys(members):
        detected = _detect(keys, index)
        declared = _detect_declared(keys, index)
        for pid, reasons in detected.items():
            codes = sorted(reasons)
            text = "; ".join(d for code in codes for d in dict.fromkeys(reasons[code]))
            key = (pid, keys.id, ConflictSource.DETECTED)
            seen.add(key)
            conflict = existing.get(key)
            if conflict is None:
                Conflict.objects.create(
                    call=call,
                    proposal_id=pid,
                    evaluator_id=keys.id,
                    source=ConflictSource.DETECTED,
                    reasons=codes,
                    reason=text,
                )
                counts["new"] += 1
                _drop_conflicted_assignment(pid, keys.id, actor, text)
            elif not conflict.active and set(codes) - set(conflict.reasons):
                conflict.active = True
                conflict.reasons, conflict.reason = codes, text
                conflict.dismissed_at = conflict.dismissed_by = None
                conflict.save()
                counts["reactivated"] += 1
                _drop_conflicted_assignment(pid, keys.id, actor, text)
            elif conflict.active and (conflict.reasons != codes or conflict.reason != text):
                conflict.reasons, conflict.reason = codes, text
                conflict.save(update_fields=["reasons", "reason", "updated_at"])
        for pid, details in declared.items():
            key = (pid, keys.id, ConflictSource.DECLARED)
            if key in existing:
                continue
            text = "; ".join(dict.fromkeys(details))
            Conflict.objects.create(
                call=call,
                proposal_id=pid,
                evaluator_id=keys.id,
                source=ConflictSource.DECLARED,
                reasons=[ConflictReason.DECLARED.value],
                reason=text,
            )
            counts["new"] += 1
            _drop_conflicted_assignment(pid, keys.id, actor, text)
    stale = [
        c
        for key, c in existing.items()
        if c.source == ConflictSource.DETECTED
        and key not in seen
        and c.active
        and c.confirmed_at is None
    ]
    if stale:
        Conflict.objects.filter(pk__in=[c.pk for c in stale]).delete()
        counts["removed"] = len(stale)
    if any(counts.values()):
        log_action("opencalls.evaluation.conflicts.detect", actor=actor, target=call, data=counts)
    return counts


def _member_or_refuse(call: Call, actor) -> PoolMember:
    member = (
        PoolMember.objects.select_for_update()
        .filter(call=call, evaluator=actor, status=PoolStatus.ACCEPTED)
        .first()
        if actor is not None and actor.is_authenticated
        else None
    )
    if member is None or not actor.has_role(Role.EVALUATOR):
        raise PermissionDenied
    return member


@transaction.atomic
def conflict_declare(*, proposal: Proposal, actor, reason: str) -> Conflict:
    """An evaluator declares a conflict with a proposal they were assigned ("I have a conflict
    with this one"), before submitting their review: they leave it at once and call managers
    are told so they can assign someone else."""
    require_perm(actor, "opencalls.review_proposal", proposal)
    member = _member_or_refuse(proposal.call, actor)
    if not reason.strip():
        raise PortalError(_("Say briefly why you have a conflict of interest."), field="reason")
    assignment = Assignment.objects.select_related("review").get(proposal=proposal, evaluator=actor)
    review = selectors.review_of(assignment)
    if review is not None and review.is_submitted:
        raise PortalError(
            _("You have already submitted your review of this proposal: write to the call team."),
            code="already_submitted",
        )
    conflict, _created = Conflict.objects.update_or_create(
        proposal=proposal,
        evaluator=actor,
        source=ConflictSource.DECLARED,
        defaults={
            "call": member.call,
            "reasons": [ConflictReason.DECLARED.value],
            "reason": reason.strip(),
            "active": True,
        },
    )
    _drop_conflicted_assignment(proposal.pk, actor.pk, actor, reason.strip())
    log_action(
        "opencalls.evaluation.conflict.declare",
        actor=actor,
        target=proposal,
        data={"reason": reason.strip()},
    )
    managers = emails_of(Role.CALL_MANAGER)
    if managers:
        email_queue(
            to=managers,
            template="opencalls/evaluation/conflict_declared",
            context={
                "call": member.call,
                "proposal": proposal,
                "url": absolute_url("opencalls:evaluation:manage_conflicts", member.call.number),
            },
        )
    return conflict


@transaction.atomic
def conflict_declare_organisation(*, call: Call, actor, organisation: str) -> None:
    """An evaluator of the pool declares a conflict with an applicant organisation, without
    seeing which proposals exist: any proposal of that organisation (now or later) is kept
    from them. The answer is the same whether or not such a proposal exists."""
    member = _member_or_refuse(call, actor)
    name = " ".join((organisation or "").split())
    if not name:
        raise PortalError(_("Give the organisation's name."), field="organisation")
    if len(name) > 200:
        raise PortalError(_("Give the name in at most 200 characters."), field="organisation")
    declared = member.declared_organisation_list
    if name.casefold() not in {d.casefold() for d in declared}:
        member.declared_organisations = "\n".join([*declared, name])
        member.save(update_fields=["declared_organisations", "updated_at"])
    log_action(
        "opencalls.evaluation.conflict.declare_organisation",
        actor=actor,
        target=call,
        data={"organisation": name},
    )
    conflicts_detect(call=call, evaluator_ids=[actor.pk], actor=actor)


@transaction.atomic
def conflict_confirm(*, conflict: Conflict, actor) -> Conflict:
    """A call manager confirms a detected conflict (it stays, even if detection changes)."""
    require_perm(actor, "opencalls.manage_evaluation")
    conflict = Conflict.objects.select_for_update().get(pk=conflict.pk)
    if not conflict.active:
        raise PortalError(_("This conflict was dismissed; it cannot be confirmed."))
    conflict.confirmed_by = actor
    conflict.confirmed_at = timezone.now()
    conflict.save(update_fields=["confirmed_by", "confirmed_at", "updated_at"])
    log_action(
        "opencalls.evaluation.conflict.confirm",
        actor=actor,
        target=conflict.proposal,
        data={"evaluator": conflict.evaluator_id},
    )
    return conflict


@transaction.atomic
def conflict_dismiss(*, conflict: Conflict, actor, reason: str) -> Conflict:
    """A call manager dismisses a detected conflict that is not one (e.g. two people with the
    same name), saying why; audited. Conflicts an evaluator declared stand."""
    require_perm(actor, "opencalls.manage_evaluation")
    conflict = Conflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.source == ConflictSource.DECLARED:
        raise PortalError(_("The evaluator declared this conflict: it cannot be dismissed."))
    if not conflict.active:
        raise PortalError(_("This conflict is already dismissed."))
    if not reason.strip():
        raise PortalError(_("Say why this is not a conflict of interest."), field="reason")
    conflict.active = False
    conflict.dismissed_by = actor
    conflict.dismissed_at = timezone.now()
    conflict.dismissal_reason = reason.strip()
    conflict.confirmed_at = conflict.confirmed_by = None
    conflict.save()
    log_action(
        "opencalls.evaluation.conflict.dismiss",
        actor=actor,
        target=conflict.proposal,
        data={"evaluator": conflict.evaluator_id, "reason": conflict.dismissal_reason},
    )
    return conflict


# --- Assignments by hand ----------------------------------------------------------------------


def _has_conflict(proposal_id: int, evaluator_id: int) -> Conflict | None:
    return Conflict.objects.filter(
        proposal_id=proposal_id, evaluator_id=evaluator_id, active=True
    ).first()


@transaction.atomic
def assignment_add(*, proposal: Proposal, evaluator, actor, locked: bool = False) -> Assignment:
    """Assign an evaluator to a proposal by hand. Refused, with a message that says why, for
    an evaluator outside the pool, with a conflict of interest (conflicts are re-detected
    first), at their maximum load, or a proposal that already has its evaluators. Managers."""
    require_perm(actor, "opencalls.manage_evaluation")
    call = _lock_call(proposal.call)
    _ensure_evaluating(call)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.call_id != call.pk or proposal.status not in selectors.ASSIGNABLE_STATES:
        raise PortalError(_("Only eligible proposals of this call take evaluators."))
    member = PoolMember.objects.filter(
        call=call, evaluator=evaluator, status=PoolStatus.ACCEPTED
    ).first()
    if member is None or not evaluator.has_role(Role.EVALUATOR):
        raise PortalError(
            _("%(name)s has not joined this call's pool (or not accepted its terms).")
            % {"name": evaluator.display_name},
            field="evaluator",
            code="not_in_pool",
        )
    conflicts_detect(call=call, evaluator_ids=[evaluator.pk], proposal_ids=[proposal.pk])
    conflict = _has_conflict(proposal.pk, evaluator.pk)
    if conflict is not None:
        raise PortalError(
            _(
                "%(name)s has a conflict of interest with %(ref)s (%(reason)s): a conflicted "
                "evaluator cannot be assigned."
            )
            % {
                "name": evaluator.display_name,
                "ref": proposal.reference,
                "reason": conflict.reason,
            },
            field="evaluator",
            code="conflict",
        )
    if Assignment.objects.filter(proposal=proposal, evaluator=evaluator).exists():
        raise PortalError(
            _("%(name)s is already assigned to %(ref)s.")
            % {"name": evaluator.display_name, "ref": proposal.reference},
            field="evaluator",
            code="duplicate",
        )
    load = Assignment.objects.filter(call=call, evaluator=evaluator).count()
    if load >= member.max_proposals:
        raise PortalError(
            _("%(name)s already has %(load)s proposals, their maximum for this call.")
            % {"name": evaluator.display_name, "load": load},
            field="evaluator",
            code="overloaded",
        )
    k = call.evaluators_per_proposal
    if Assignment.objects.filter(proposal=proposal).count() >= k:
        raise PortalError(
            _("%(ref)s already has its %(k)s evaluators: remove one first.")
            % {"ref": proposal.reference, "k": k},
            code="proposal_full",
        )
    assignment = Assignment.objects.create(
        call=call,
        proposal=proposal,
        evaluator=evaluator,
        locked=locked,
        source=AssignmentSource.MANUAL,
        created_by=actor,
    )
    _start_evaluation(proposal, actor)
    log_action(
        "opencalls.evaluation.assignment.add",
        actor=actor,
        target=proposal,
        data={"evaluator": evaluator.pk, "locked": locked},
    )
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: Assignment, actor) -> None:
    """Take an evaluator off a proposal (their draft review goes with it). A submitted review
    is kept: such an assignment cannot be removed. Managers only."""
    require_perm(actor, "opencalls.manage_evaluation")
    _lock_call(assignment.call)
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("proposal", "review", "evaluator")
        .get(pk=assignment.pk)
    )
    review = selectors.review_of(assignment)
    if review is not None and review.is_submitted:
        raise PortalError(
            _("%(name)s has submitted a review of %(ref)s: the assignment stays.")
            % {"name": assignment.evaluator.display_name, "ref": assignment.proposal.reference}
        )
    log_action(
        "opencalls.evaluation.assignment.remove",
        actor=actor,
        target=assignment.proposal,
        data={"evaluator": assignment.evaluator_id, "had_draft": review is not None},
    )
    assignment.delete()


@transaction.atomic
def assignment_lock(*, assignment: Assignment, actor, locked: bool) -> Assignment:
    """Lock (keep through automatic runs) or unlock an assignment. Managers only."""
    require_perm(actor, "opencalls.manage_evaluation")
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.locked != locked:
        assignment.locked = locked
        assignment.save(update_fields=["locked", "updated_at"])
        log_action(
            "opencalls.evaluation.assignment.lock",
            actor=actor,
            target=assignment.proposal,
            data={"evaluator": assignment.evaluator_id, "locked": locked},
        )
    return assignment


@transaction.atomic
def assignment_extend(*, assignment: Assignment, actor, until) -> Assignment:
    """Give one evaluator until ``until`` to submit, whatever the call's review deadline; they
    are told. Managers only."""
    require_perm(actor, "opencalls.manage_evaluation")
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("call", "proposal", "evaluator")
        .get(pk=assignment.pk)
    )
    if until is None or until <= timezone.now():
        raise PortalError(_("Give a moment in the future."), field="until")
    assignment.deadline_extended_to = until
    assignment.save(update_fields=["deadline_extended_to", "updated_at"])
    log_action(
        "opencalls.evaluation.assignment.extend",
        actor=actor,
        target=assignment.proposal,
        data={"evaluator": assignment.evaluator_id, "until": until.isoformat()},
    )
    email_queue(
        to=assignment.evaluator.email,
        template="opencalls/evaluation/deadline_extended",
        context={
            "assignment": assignment,
            "proposal": assignment.proposal,
            "until": _local(until, assignment.call),
            "url": absolute_url("opencalls:evaluation:proposal", assignment.proposal_id),
        },
    )
    return assignment


@transaction.atomic
def assignments_notify(*, call: Call, actor) -> int:
    """Email every evaluator the assignments they have not been told about yet (one message
    each, listing them); each assignment is notified once. Returns how many were told."""
    require_perm(actor, "opencalls.manage_evaluation")
    call = _lock_call(call)
    _ensure_evaluating(call)
    pending = list(
        Assignment.objects.select_for_update(of=("self",))
        .filter(call=call, notified_at__isnull=True)
        .select_related("evaluator", "proposal__call", "proposal__current_version")
        .order_by("evaluator_id", "proposal__number")
    )
    by_evaluator: dict[int, list[Assignment]] = {}
    for a in pending:
        by_evaluator.setdefault(a.evaluator_id, []).append(a)
    deadline = selectors.settings_for(call).review_deadline
    now = timezone.now()
    for assignments in by_evaluator.values():
        evaluator = assignments[0].evaluator
        email_queue(
            to=evaluator.email,
            template="opencalls/evaluation/assignments_new",
            context={
                "call": call,
                "evaluator": evaluator,
                "assignments": assignments,
                "deadline": _local(deadline, call) if deadline else "",
                "url": absolute_url("opencalls:evaluation:home"),
            },
        )
    Assignment.objects.filter(pk__in=[a.pk for a in pending]).update(notified_at=now)
    if pending:
        log_action(
            "opencalls.evaluation.assignment.notify",
            actor=actor,
            target=call,
            data={"assignments": len(pending), "evaluators": len(by_evaluator)},
        )
    return len(by_evaluator)


# --- Automatic assignment ---------------------------------------------------------------------


@transaction.atomic
def assignment_run_start(*, call: Call, actor) -> AssignmentRun:
    """Queue an automatic assignment of the call (a Celery task runs it after commit; its
    progress is on the run). Only one run at a time; a run silent for 30 minutes is taken for
    dead. Managers only."""
    require_perm(actor, "opencalls.manage_evaluation")
    call = _lock_call(call)
    _ensure_evaluating(call)
    active = AssignmentRun.objects.select_for_update().filter(
        call=call, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
    )
    for run in active:
        if run.created_at > timezone.now() - STALE_RUN:
            raise PortalError(
                _("An automatic assignment is already running for this call."), code="running"
            )
        run.status = RunStatus.FAILED
        run.message = "The run stopped without finishing."
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "message", "finished_at"])
    run = AssignmentRun.objects.create(call=call, actor=actor, message="Queued")
    log_action("opencalls.evaluation.run.start", actor=actor, target=call, data={"run": run.pk})

    def enqueue():
        from .tasks import run_assignment

        run_assignment.delay(run.pk)

    transaction.on_commit(enqueue)
    return run


def _run_progress(run_id: int, fraction: float, message: str) -> None:
    # Outside any transaction: each update commits at once so the manager's page sees it.
    AssignmentRun.objects.filter(pk=run_id).update(
        progress=max(0.0, min(1.0, fraction)), message=message[:200]
    )


def _issue_json(issue, proposal_labels, evaluator_labels) -> dict:
    def plain(value):
        if isinstance(value, Decimal):
            return str(value)
        if hasattr(value, "item"):
            return value.item()
        return value

    return {
        "code": issue.code,
        "message": issue.message,
        "params": {k: plain(v) for k, v in dict(issue.params).items()},
        "proposals": [proposal_labels.get(p, str(p)) for p in issue.proposal_ids],
        "evaluators": [evaluator_labels.get(e, str(e)) for e in issue.evaluator_ids],
    }


def _run_finish(run_id: int, *, status: RunStatus, **fields) -> AssignmentRun:
    with transaction.atomic():
        run = AssignmentRun.objects.select_for_update().get(pk=run_id)
        ensure_transition(RunStatus(run.status), status, RUN_TRANSITIONS)
        run.status = status
        run.finished_at = timezone.now()
        run.progress = 1.0 if status == RunStatus.SUCCEEDED else run.progress
        for name, value in fields.items():
            setattr(run, name, value)
        run.save()
        log_action(
            "opencalls.evaluation.run.finish",
            actor=run.actor,
            target=run.call,
            data={"run": run.pk, "status": status.value},
        )
        return run


def _snapshot(call: Call) -> set:
    return set(
        Assignment.objects.filter(call=call).values_list(
            "proposal_id", "evaluator_id", "locked", "review__id"
        )
    )


def assignment_run_execute(*, run_id: int) -> AssignmentRun:
    """Run the automatic assignment recorded as ``run_id`` (the Celery task calls this).

    Conflicts are detected again first. Locked assignments and those whose review has started
    are kept; every other assignment of the call's eligible proposals may be replaced. The
    engine then gives every proposal exactly ``k`` evaluators (the call's setting), none
    conflicted, none above their maximum for the call, loads balanced, total affinity as high
    as possible (within 1 % of the LP bound). An impossible problem fails with the engine's
    explanations. The result is written in one transaction, and only if nobody changed the
    call's assignments meanwhile; proposals that receive evaluators go under evaluation."""
    run = AssignmentRun.objects.select_related("call", "actor").get(pk=run_id)
    if run.status != RunStatus.QUEUED:
        return run  # a retry of a run already taken
    with transaction.atomic():
        locked_run = AssignmentRun.objects.select_for_update().get(pk=run_id)
        ensure_transition(RunStatus(locked_run.status), RunStatus.RUNNING, RUN_TRANSITIONS)
        locked_run.status = RunStatus.RUNNING
        locked_run.started_at = timezone.now()
        locked_run.message = "Detecting conflicts of interest"
        locked_run.save(update_fields=["status", "started_at", "message"])
    call = run.call
    try:
        return _execute(run, call)
    except Exception as error:
        logger.exception("Assignment run %s failed", run_id)
        return _run_finish(
            run_id,
            status=RunStatus.FAILED,
            message="The run failed unexpectedly.",
            issues=[{"code": "solver_failed", "message": str(error)[:500], "params": {}}],
        )


def _execute(run: AssignmentRun, call: Call) -> AssignmentRun:
    conflicts_detect(call=call, actor=run.actor)
    _run_progress(run.pk, 0.05, "Reading proposals and evaluators")
    proposals = list(selectors.assignable_proposals(call))
    members = list(selectors.accepted_pool(call))
    if not proposals or not members:
        code = "no_proposals" if not proposals else "no_evaluators"
        return _run_finish(
            run.pk,
            status=RunStatus.FAILED,
            message="Nothing to assign.",
            issues=[{"code": code, "message": code, "params": {}}],
        )
    before = _snapshot(call)
    proposal_ids = {p.pk for p in proposals}
    existing = list(
        Assignment.objects.filter(call=call, proposal_id__in=proposal_ids).select_related(
            "review", "evaluator"
        )
    )
    kept = [a for a in existing if a.locked or selectors.review_of(a) is not None]
    member_ids = {m.evaluator_id for m in members}
    capacity = {m.evaluator_id: m.max_proposals for m in members}
    labels = {m.evaluator_id: m.evaluator.display_name for m in members}
    # Someone who left the pool keeps what they started; they take nothing new.
    outsiders = {}
    for a in kept:
        if a.evaluator_id not in member_ids:
            outsiders[a.evaluator_id] = outsiders.get(a.evaluator_id, 0) + 1
            labels[a.evaluator_id] = a.evaluator.display_name
    # Assignments in other proposals of the call (e.g. already decided) use capacity too.
    elsewhere = dict(
        Assignment.objects.filter(call=call)
        .exclude(proposal_id__in=proposal_ids)
        .values_list("evaluator_id")
        .annotate(n=Count("pk"))
        .values_list("evaluator_id", "n")
    )
    _run_progress(run.pk, 0.1, "Computing affinities")
    matrix = selectors.affinity_for(proposals, members)
    evaluator_ids = [*matrix.evaluator_ids, *outsiders]
    scores = matrix.scores
    if outsiders:
        import numpy as np

        scores = np.hstack([scores, np.zeros((len(proposals), len(outsiders)))])
    max_load = {
        e: max(0, capacity.get(e, outsiders.get(e, 0)) - elsewhere.get(e, 0)) for e in evaluator_ids
    }
    conflict_pairs = [
        pair
        for pair in selectors.active_conflict_pairs(call)
        if pair[0] in proposal_ids and pair[1] in set(evaluator_ids)
    ]
    proposal_labels = {p.pk: p.reference for p in proposals}
    problem = AssignmentProblem(
        proposal_ids=list(matrix.proposal_ids),
        evaluator_ids=evaluator_ids,
        affinity=scores,
        k=call.evaluators_per_proposal,
        max_load=max_load,
        conflicts=conflict_pairs,
        locked=[(a.proposal_id, a.evaluator_id) for a in kept],
        proposal_labels=proposal_labels,
        evaluator_labels=labels,
    )

    def progress(fraction: float, message: str) -> None:
        _run_progress(run.pk, 0.1 + 0.85 * fraction, message)

    result = assign_evaluators(problem, progress=progress)
    if not result.ok:
        return _run_finish(
            run.pk,
            status=RunStatus.FAILED,
            message="No assignment is possible.",
            issues=[_issue_json(i, proposal_labels, labels) for i in result.issues],
        )
    _run_progress(run.pk, 0.96, "Saving the assignment")
    affinity_of = {
        (pid, eid): float(scores[i, j])
        for i, pid in enumerate(problem.proposal_ids)
        for j, eid in enumerate(evaluator_ids)
    }
    with transaction.atomic():
        _lock_call(call)
        if _snapshot(call) != before:
            return _run_finish(
                run.pk,
                status=RunStatus.FAILED,
                message="Assignments changed during the run.",
                issues=[
                    {
                        "code": "changed",
                        "message": "Assignments changed while the run was working; run it again.",
                        "params": {},
                    }
                ],
            )
        chosen = set(result.pairs)
        current = {(a.proposal_id, a.evaluator_id): a for a in existing}
        kept_pairs = {(a.proposal_id, a.evaluator_id) for a in kept}
        removed = [
            a for pair, a in current.items() if pair not in chosen and pair not in kept_pairs
        ]
        Assignment.objects.filter(pk__in=[a.pk for a in removed]).delete()
        new = [
            Assignment(
                call=call,
                proposal_id=pid,
                evaluator_id=eid,
                source=AssignmentSource.AUTOMATIC,
                run_id=run.pk,
                affinity=affinity_of[(pid, eid)],
                created_by=run.actor,
            )
            for pid, eid in result.pairs
            if (pid, eid) not in current
        ]
        Assignment.objects.bulk_create(new)
        for pair, assignment in current.items():
            if pair in chosen and assignment.affinity is None:
                Assignment.objects.filter(pk=assignment.pk).update(affinity=affinity_of[pair])
        for proposal in proposals:
            _start_evaluation(proposal, run.actor)
        stats = {
            "loads": {str(e): n for e, n in result.loads.items()},
            "load": load_statistics({e: n for e, n in result.loads.items() if e in member_ids}),
            "kept": len(kept),
            "created": len(new),
            "removed": len(removed),
            "unchanged": len(chosen) - len(new),
            "proposals": len(proposals),
            "evaluators": len(members),
            "k": call.evaluators_per_proposal,
            "seconds": round(result.solve_seconds, 2),
        }
        log_action(
            "opencalls.evaluation.run.apply",
            actor=run.actor,
            target=call,
            data={"run": run.pk, "created": len(new), "removed": len(removed)},
        )
        return _run_finish(
            run.pk,
            status=RunStatus.SUCCEEDED,
            message="Done",
            total_affinity=result.total_affinity,
            upper_bound=result.upper_bound,
            gap=result.gap,
            stats=stats,
        )


# --- Reviews ----------------------------------------------------------------------------------


@dataclass
class DraftOutcome:
    """What a draft save kept, and the inputs it refused (field → messages)."""

    obj: object
    errors: dict = field(default_factory=dict)


def _assignment_for(actor, assignment: Assignment) -> Assignment:
    require_perm(actor, "opencalls.review_proposal", assignment.proposal)
    if assignment.evaluator_id != actor.pk:
        raise PermissionDenied
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("call", "proposal")
        .get(pk=assignment.pk)
    )


def _require_complete_scores(criteria, rows, missing_comment: str) -> None:
    """Every criterion has a valid score and a comment, or a ``ValidationError`` names each
    field that is not (``score_<id>``, ``comment_<id>``)."""
    errors: dict[str, list[str]] = {}
    for criterion in criteria:
        row = rows.get(criterion.pk)
        try:
            validate_score(getattr(row, "score", None), max_score=criterion.max_score)
        except ScoreError as error:
            errors[f"score_{criterion.pk}"] = [score_error_message(error)]
        if not getattr(row, "comment", "").strip():
            errors[f"comment_{criterion.pk}"] = [missing_comment % {"criterion": criterion.name}]
    if errors:
        raise ValidationError(errors)


def _apply_scores(rows, criteria, scores, comments, errors) -> None:
    """Put valid scores and comments on ``rows`` (criterion id → score row); note the rest."""
    for criterion in criteria:
        row = rows[criterion.pk]
        if scores is not None and criterion.pk in scores:
            value = scores[criterion.pk]
            if value is None or (isinstance(value, str) and not value.strip()):
                row.score = None
            else:
                try:
                    row.score = validate_score(value, max_score=criterion.max_score)
                except ScoreError as error:
                    errors[f"score_{criterion.pk}"] = [score_error_message(error)]
        if comments is not None and criterion.pk in comments:
            comment = (comments[criterion.pk] or "").strip()
            if len(comment) > 5000:
                errors[f"comment_{criterion.pk}"] = [_("Keep the comment within 5,000 characters.")]
            else:
                row.comment = comment


@transaction.atomic
def review_save_draft(
    *,
    assignment: Assignment,
    actor,
    scores: dict | None = None,
    comments: dict | None = None,
    overall_comment: str | None = None,
) -> DraftOutcome:
    """Save what the evaluator has entered so far (the draft saves as they type). Valid
    scores (0 to the criterion's maximum, in half points) and comments are kept; the others
    are returned as errors by field and the previous value stays. Only the assigned,
    non-conflicted evaluator, only before submitting."""
    assignment = _assignment_for(actor, assignment)
    _ensure_evaluating(assignment.call)
    review, _created = Review.objects.select_for_update().get_or_create(assignment=assignment)
    if review.is_submitted:
        raise PortalError(_("This review is submitted and can no longer change."), code="locked")
    criteria = selectors.criteria_of(assignment.call)
    rows = {s.criterion_id: s for s in review.scores.all()}
    for criterion in criteria:
        rows.setdefault(criterion.pk, ReviewScore(review=review, criterion=criterion))
    errors: dict[str, list[str]] = {}
    _apply_scores(rows, criteria, scores, comments, errors)
    for row in rows.values():
        row.save()
    if overall_comment is not None:
        review.overall_comment = overall_comment.strip()[:5000]
    review.save(update_fields=["overall_comment", "updated_at"])
    return DraftOutcome(review, errors)


def review_deadline(assignment: Assignment):
    return assignment.deadline(selectors.settings_for(assignment.call).review_deadline)


@transaction.atomic
def review_submit(*, assignment: Assignment, actor) -> Review:
    """Submit the saved review: every criterion scored (0–5 in half points) and commented
    (a ``ValidationError`` lists every problem by field; the draft stays as it is), before the
    review deadline (or the evaluator's extension). A submitted review is locked. When it is
    the proposal's last review, the rapporteur is told the consensus can start."""
    assignment = _assignment_for(actor, assignment)
    _ensure_evaluating(assignment.call)
    review = Review.objects.select_for_update().filter(assignment=assignment).first()
    if review is None:
        review = Review.objects.create(assignment=assignment)
    ensure_transition(ReviewStatus(review.status), ReviewStatus.SUBMITTED, REVIEW_TRANSITIONS)
    deadline = review_deadline(assignment)
    now = timezone.now()
    if deadline is not None and now >= deadline:
        raise PortalError(
            _(
                "The review deadline passed on %(deadline)s: the review can no longer be "
                "submitted. Ask the call team to extend your deadline."
            )
            % {"deadline": _local(deadline, assignment.call)},
            code="deadline_passed",
        )
    criteria = selectors.criteria_of(assignment.call)
    values = {s.criterion_id: s for s in review.scores.all()}
    _require_complete_scores(criteria, values, _("Explain your score for %(criterion)s."))
    review.status = ReviewStatus.SUBMITTED
    review.submitted_at = now
    review.save(update_fields=["status", "submitted_at", "updated_at"])
    log_action(
        "opencalls.evaluation.review.submit",
        actor=actor,
        target=assignment.proposal,
        data={"assignment": assignment.pk},
    )
    _tell_rapporteur_if_ready(assignment.proposal)
    return review


def _reviews_complete(proposal: Proposal) -> bool:
    counts = Assignment.objects.filter(proposal=proposal).aggregate(
        total=Count("pk"),
        submitted=Count("pk", filter=Q(review__status=ReviewStatus.SUBMITTED)),
    )
    return counts["total"] > 0 and counts["total"] == counts["submitted"]


def _tell_rapporteur_if_ready(proposal: Proposal) -> None:
    report = ConsensusReport.objects.filter(proposal=proposal).select_related("rapporteur").first()
    if report is None or report.rapporteur is None or not _reviews_complete(proposal):
        return
    email_queue(
        to=report.rapporteur.email,
        template="opencalls/evaluation/consensus_ready",
        context={
            "proposal": proposal,
            "url": absolute_url("opencalls:evaluation:consensus", proposal.pk),
        },
    )


# --- Consensus --------------------------------------------------------------------------------


def _report_for(proposal: Proposal) -> ConsensusReport:
    report, _created = ConsensusReport.objects.select_for_update().get_or_create(
        proposal=proposal, defaults={"call": proposal.call}
    )
    return report


@transaction.atomic
def consensus_set_rapporteur(*, proposal: Proposal, actor, rapporteur) -> ConsensusReport:
    """Choose the rapporteur of a proposal's consensus: one of its evaluators without a
    conflict. They are told (now, or when the last review is in). Managers only."""
    require_perm(actor, "opencalls.manage_evaluation")
    proposal = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
    _ensure_evaluating(proposal.call)
    if (
        rapporteur is None
        or not Assignment.objects.filter(proposal=proposal, evaluator=rapporteur).exists()
        or _has_conflict(proposal.pk, rapporteur.pk)
    ):
        raise PortalError(
            _("The rapporteur must be one of the proposal's evaluators, without a conflict."),
            field="rapporteur",
        )
    report = _report_for(proposal)
    if report.is_final:
        raise PortalError(_("The consensus is final: reopen it first."))
    report.rapporteur = rapporteur
    report.save(update_fields=["rapporteur", "updated_at"])
    log_action(
        "opencalls.evaluation.consensus.rapporteur",
        actor=actor,
        target=proposal,
        data={"rapporteur": rapporteur.pk},
    )
    email_queue(
        to=rapporteur.email,
        template="opencalls/evaluation/rapporteur",
        context={
            "proposal": proposal,
            "call": proposal.call,
            "ready": _reviews_complete(proposal),
            "url": absolute_url("opencalls:evaluation:consensus", proposal.pk),
        },
    )
    return report


def _consensus_editable(proposal: Proposal, actor) -> ConsensusReport:
    _ensure_evaluating(proposal.call)
    if proposal.status not in {PS.UNDER_EVALUATION, PS.INTERVIEW}:
        raise PortalError(
            _("Only a proposal under evaluation has a consensus to write."), code="not_evaluated"
        )
    report = _report_for(proposal)
    require_perm(actor, "opencalls.write_consensus", report)
    manager = actor.has_perm("opencalls.manage_evaluation")
    if not manager and not _reviews_complete(proposal):
        raise PortalError(
            _("The consensus starts once every evaluator of the proposal has submitted."),
            code="reviews_pending",
        )
    if report.is_final:
        raise PortalError(_("The consensus is final: a call manager can reopen it."))
    return report


@transaction.atomic
def consensus_save(
    *,
    proposal: Proposal,
    actor,
    scores: dict | None = None,
    comments: dict | None = None,
    summary: str | None = None,
) -> DraftOutcome:
    """Save the consensus draft: agreed scores (validated like reviews) and comments per
    criterion, and the overall comments the applicant will read. The rapporteur (once all
    reviews are in) or a call manager."""
    proposal = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
    report = _consensus_editable(proposal, actor)
    criteria = selectors.criteria_of(proposal.call)
    rows = {s.criterion_id: s for s in report.scores.all()}
    for criterion in criteria:
        rows.setdefault(criterion.pk, ConsensusScore(report=report, criterion=criterion))
    errors: dict[str, list[str]] = {}
    _apply_scores(rows, criteria, scores, comments, errors)
    for row in rows.values():
        row.save()
    if summary is not None:
        report.summary = summary.strip()[:5000]
    report.save(update_fields=["summary", "updated_at"])
    log_action(
        "opencalls.evaluation.consensus.save",
        actor=actor,
        target=proposal,
        data={"refused": sorted(errors)},
    )
    return DraftOutcome(report, errors)


@transaction.atomic
def consensus_finalise(*, proposal: Proposal, actor) -> ConsensusReport:
    """Make the consensus final: every criterion has an agreed score and comment (a
    ``ValidationError`` lists what is missing). The ranking uses final reports only."""
    proposal = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
    report = _consensus_editable(proposal, actor)
    criteria = selectors.criteria_of(proposal.call)
    values = selectors.consensus_values(report)
    _require_complete_scores(criteria, values, _("Write the agreed comment on %(criterion)s."))
    ensure_transition(ConsensusStatus(report.status), ConsensusStatus.FINAL, CONSENSUS_TRANSITIONS)
    report.status = ConsensusStatus.FINAL
    report.finalised_at = timezone.now()
    report.finalised_by = actor
    report.save(update_fields=["status", "finalised_at", "finalised_by", "updated_at"])
    log_action("opencalls.evaluation.consensus.finalise", actor=actor, target=proposal)
    return report


@transaction.atomic
def consensus_reopen(*, proposal: Proposal, actor) -> ConsensusReport:
    """Reopen a final consensus for changes, until the proposal is decided. Managers only."""
    require_perm(actor, "opencalls.manage_evaluation")
    proposal = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
    _ensure_evaluating(proposal.call)
    if proposal.status not in {PS.UNDER_EVALUATION, PS.INTERVIEW}:
        raise PortalError(_("The proposal is decided: its consensus can no longer change."))
    report = _report_for(proposal)
    ensure_transition(ConsensusStatus(report.status), ConsensusStatus.DRAFT, CONSENSUS_TRANSITIONS)
    report.status = ConsensusStatus.DRAFT
    report.finalised_at = None
    report.finalised_by = None
    report.save(update_fields=["status", "finalised_at", "finalised_by", "updated_at"])
    log_action("opencalls.evaluation.consensus.reopen", actor=actor, target=proposal)
    return report


# --- Interviews -------------------------------------------------------------------------------


def _unfinished_consensus(call: Call) -> int:
    evaluated = Proposal.objects.filter(call=call, status__in=[PS.UNDER_EVALUATION, PS.INTERVIEW])
    return evaluated.exclude(consensus__status=ConsensusStatus.FINAL).count()


@transaction.atomic
def interviews_invite(*, call: Call, actor) -> list[Interview]:
    """Invite the top proposals of each track (the call's "interviews per track", by the
    written ranking of final consensus reports, above every threshold) to an interview; they
    go to the interview stage and their applicants are asked to book a slot. Proposals
    already invited keep their interview. Managers only."""
    require_perm(actor, "opencalls.manage_evaluation")
    call = _lock_call(call)
    _ensure_evaluating(call)
    if not call.interview_enabled or not call.interviews_per_track:
        raise PortalError(_("This call has no interview stage."))
    missing = _unfinished_consensus(call)
    if missing:
        raise PortalError(
            _("%(count)s proposals have no final consensus yet: finish them first.")
            % {"count": missing},
            code="consensus_missing",
        )
    invited = []
    for track_ranking in selectors.call_ranking(call, provisional=False, with_interviews=False):
        for row in track_ranking.rows[: call.interviews_per_track]:
            proposal = Proposal.objects.select_for_update().get(pk=row.proposal.pk)
            if (
                proposal.status != PS.UNDER_EVALUATION
                or Interview.objects.filter(proposal=proposal).exists()
            ):
                continue
            ensure_transition(PS(proposal.status), PS.INTERVIEW, TRANSITIONS)
            proposal.status = PS.INTERVIEW
            proposal.save(update_fields=["status", "updated_at"])
            interview = Interview.objects.create(proposal=proposal, call=call, invited_by=actor)
            invited.append(interview)
            log_action(
                "opencalls.evaluation.interview.invite",
                actor=actor,
                target=proposal,
                data={"rank": row.ranked.rank},
            )
            email_queue(
                to=proposal.applicant.email,
                template="opencalls/evaluation/interview_invited",
                context={
                    "proposal": proposal,
                    "call": call,
                    "url": absolute_url("opencalls:evaluation:interview_book", proposal.pk),
                },
            )
    return invited


@transaction.atomic
def interview_slot_add(
    *, call: Call, actor, starts_at, duration_minutes: int, location: str
) -> InterviewSlot:
    """Offer a slot for interviews. Managers only."""
    require_perm(actor, "opencalls.manage_evaluation")
    _ensure_evaluating(call)
    if starts_at is None or starts_at <= timezone.now():
        raise PortalError(_("A slot starts in the future."), field="starts_at")
    slot = InterviewSlot(
        call=call,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        location=location.strip(),
        created_by=actor,
    )
    slot.full_clean()
    slot.save()
    log_action(
        "opencalls.evaluation.interview.slot",
        actor=actor,
        target=call,
        data={"starts_at": starts_at.isoformat()},
    )
    return slot


@transaction.atomic
def interview_book(*, interview: Interview, actor, slot: InterviewSlot) -> Interview:
    """Book (or change) the interview's slot: a free slot of the same call, in the future.
    The applicant or a call manager; the applicant gets the time and place by email."""
    interview = (
        Interview.objects.select_for_update(of=("self",))
        .select_related("proposal__applicant", "call")
        .get(pk=interview.pk)
    )
    require_perm(actor, "opencalls.book_interview", interview)
    slot = InterviewSlot.objects.select_for_update().get(pk=slot.pk)
    if slot.call_id != interview.call_id:
        raise PortalError(_("Choose one of this call's slots."), field="slot")
    if slot.starts_at <= timezone.now():
        raise PortalError(_("This slot has passed: choose another."), field="slot")
    taken = Interview.objects.filter(slot=slot).exclude(pk=interview.pk).exists()
    if taken:
        raise PortalError(_("Someone has just booked this slot: choose another."), field="slot")
    ensure_transition(
        InterviewStatus(interview.status), InterviewStatus.BOOKED, INTERVIEW_TRANSITIONS
    )
    interview.slot = slot
    interview.status = InterviewStatus.BOOKED
    try:
        with transaction.atomic():
            interview.save(update_fields=["slot", "status", "updated_at"])
    except IntegrityError as error:
        raise PortalError(
            _("Someone has just booked this slot: choose another."), field="slot"
        ) from error
    log_action(
        "opencalls.evaluation.interview.book",
        actor=actor,
        target=interview.proposal,
        data={"slot": slot.pk},
    )
    email_queue(
        to=interview.proposal.applicant.email,
        template="opencalls/evaluation/interview_booked",
        context={
            "proposal": interview.proposal,
            "call": interview.call,
            "slot": slot,
            "when": _local(slot.starts_at, interview.call),
            "url": absolute_url("opencalls:evaluation:interview_book", interview.proposal_id),
        },
    )
    return interview


@transaction.atomic
def interview_record(*, interview: Interview, actor, score, notes: str = "") -> Interview:
    """The panel records the interview's score (0 to the call's interview maximum, in half
    points) and notes; the final ranking combines it with the written score as the call says.
    Managers only."""
    require_perm(actor, "opencalls.manage_evaluation")
    interview = Interview.objects.select_for_update().select_related("call").get(pk=interview.pk)
    _ensure_evaluating(interview.call)
    maximum = selectors.settings_for(interview.call).interview_max_score
    try:
        value = validate_score(score, max_score=maximum)
    except ScoreError as error:
        raise PortalError(score_error_message(error), field="score") from error
    if interview.status != InterviewStatus.HELD:
        ensure_transition(
            InterviewStatus(interview.status), InterviewStatus.HELD, INTERVIEW_TRANSITIONS
        )
    interview.status = InterviewStatus.HELD
    interview.score = value
    interview.panel_notes = notes.strip()
    interview.held_at = interview.held_at or timezone.now()
    interview.recorded_by = actor
    interview.save()
    log_action(
        "opencalls.evaluation.interview.record",
        actor=actor,
        target=interview.proposal,
        data={"score": str(value)},
    )
    return interview


# --- Decisions and results --------------------------------------------------------------------

OUTCOMES = {
    Decision.FUND: PS.SELECTED,
    Decision.RESERVE: PS.RESERVE,
    Decision.BELOW_THRESHOLD: PS.REJECTED,
}


def decision_plan(call: Call) -> list[tuple[Proposal, ProposalStatus, object]]:
    """What applying the ranking would decide: (proposal, outcome, ranked row) for every
    evaluated proposal not yet finally decided, per track."""
    plan = []
    for track_ranking in selectors.call_ranking(call, provisional=False):
        for row in [*track_ranking.rows, *track_ranking.below]:
            outcome = OUTCOMES[row.ranked.decision]
            if row.proposal.status in {PS.SELECTED, PS.REJECTED} or row.proposal.status == outcome:
                continue
            plan.append((row.proposal, outcome, row))
    return plan


def decision_blockers(call: Call) -> list[str]:
    """What stops the ranking from being applied: consensus reports not final, interviews not
    recorded."""
    blockers = []
    missing = _unfinished_consensus(call)
    if missing:
        blockers.append(
            _("%(count)s proposals have no final consensus yet: finish them first.")
            % {"count": missing}
        )
    pending = Interview.objects.filter(call=call).exclude(status=InterviewStatus.HELD).count()
    if pending:
        blockers.append(_("%(count)s interviews have not been recorded yet.") % {"count": pending})
    return blockers


@transaction.atomic
def decisions_apply(*, call: Call, actor, message: str = "") -> dict[str, int]:
    """Apply the final ranking: above the budget line → selected, reserve list → reserve,
    below a threshold → rejected, each through ``proposal_decide`` (audited, emailed to the
    applicant with the link to their Evaluation Summary Report). Refused while a consensus is
    not final or an invited interview has not been held. Managers only."""
    require_perm(actor, "opencalls.manage_evaluation")
    call = _lock_call(call)
    _ensure_evaluating(call)
    blockers = decision_blockers(call)
    if blockers:
        raise PortalError(" ".join(blockers), code="not_ready")
    counts = {"selected": 0, "reserve": 0, "rejected": 0}
    for proposal, outcome, _row in decision_plan(call):
        esr = _(
            "Your Evaluation Summary Report (scores and comments of the evaluation) will "
            "be available here when the results are published: %(url)s"
        ) % {"url": absolute_url("opencalls:evaluation:esr", proposal.pk)}
        text = "\n\n".join(filter(None, [message.strip(), esr]))
        call_services.proposal_decide(proposal=proposal, actor=actor, outcome=outcome, message=text)
        counts[outcome.value] += 1
    log_action("opencalls.evaluation.decisions.apply", actor=actor, target=call, data=counts)
    return counts


@transaction.atomic
def results_publish(*, call: Call, actor) -> Call:
    """Publish the call's results (every proposal has its final outcome) and tell each
    evaluated applicant that their Evaluation Summary Report is available. Managers only."""
    require_perm(actor, "opencalls.manage_evaluation")
    call = call_services.call_set_stage(call=call, actor=actor, stage=CallStage.RESULTS_PUBLISHED)
    proposals = (
        Proposal.objects.filter(call=call, consensus__status=ConsensusStatus.FINAL)
        .filter(status__in=[PS.SELECTED, PS.RESERVE, PS.REJECTED])
        .select_related("applicant")
    )
    sent = 0
    for proposal in proposals:
        email_queue(
            to=proposal.applicant.email,
            template="opencalls/evaluation/esr_available",
            context={
                "proposal": proposal,
                "call": call,
                "url": absolute_url("opencalls:evaluation:esr", proposal.pk),
            },
        )
        sent += 1
    log_action("opencalls.evaluation.results.publish", actor=actor, target=call, data={"esr": sent})
    return call


# --- Reminders --------------------------------------------------------------------------------


def _remind_once(assignment: Assignment, kind: ReviewReminderKind, deadline) -> bool:
    try:
        with transaction.atomic():
            ReviewReminder.objects.create(assignment=assignment, kind=kind, deadline=deadline)
    except IntegrityError:
        return False
    return True


def review_reminders_send(*, now=None) -> dict[str, int]:
    """Daily: remind evaluators of unsubmitted reviews three days and one day before their
    deadline (once each, per deadline: an extension starts afresh), and send call managers the
    list of overdue reviews when new ones appear. Evaluators are reminded only of what they may
    still see (no conflicts, pool joined)."""
    now = now or timezone.now()
    sent = {"three_days": 0, "one_day": 0, "overdue": 0}
    assignments = list(
        Assignment.objects.filter(call__stage=CallStage.UNDER_EVALUATION)
        .exclude(review__status=ReviewStatus.SUBMITTED)
        .filter(proposal__status__in=selectors.EVALUATED_STATES)
        .filter(~selectors._conflicted())
        .select_related(
            "call__evaluation_settings", "evaluator", "proposal__call", "proposal__current_version"
        )
        .order_by("call_id", "evaluator_id", "proposal__number")
    )
    due: dict[tuple[int, str], list] = {}
    overdue: dict[int, list] = {}
    for a in assignments:
        deadline = a.deadline(selectors.settings_for(a.call).review_deadline)
        if deadline is None:
            continue
        left = deadline - now
        if left <= timedelta(0):
            overdue.setdefault(a.call_id, []).append((a, deadline))
        elif left <= timedelta(days=1):
            due.setdefault((a.evaluator_id, ReviewReminderKind.ONE_DAY), []).append((a, deadline))
        elif left <= timedelta(days=3):
            due.setdefault((a.evaluator_id, ReviewReminderKind.THREE_DAYS), []).append(
                (a, deadline)
            )
    for (_evaluator_id, kind), items in due.items():
        with transaction.atomic():
            fresh = [(a, d) for a, d in items if _remind_once(a, kind, d)]
            if not fresh:
                continue
            evaluator = fresh[0][0].evaluator
            email_queue(
                to=evaluator.email,
                template="opencalls/evaluation/review_reminder",
                context={
                    "evaluator": evaluator,
                    "items": [(a, _local(d, a.call)) for a, d in fresh],
                    "tomorrow": kind == ReviewReminderKind.ONE_DAY,
                    "url": absolute_url("opencalls:evaluation:home"),
                },
            )
        sent["one_day" if kind == ReviewReminderKind.ONE_DAY else "three_days"] += len(fresh)
    managers = emails_of(Role.CALL_MANAGER)
    for items in overdue.values():
        with transaction.atomic():
            new = [(a, d) for a, d in items if _remind_once(a, ReviewReminderKind.OVERDUE, d)]
            if not new or not managers:
                continue
            call = new[0][0].call
            email_queue(
                to=managers,
                template="opencalls/evaluation/overdue_reviews",
                context={
                    "call": call,
                    "items": [(a, _local(d, call)) for a, d in items],
                    "new_count": len(new),
                    "url": absolute_url("opencalls:evaluation:manage", call.number),
                },
            )
        sent["overdue"] += len(new)
    return sent
