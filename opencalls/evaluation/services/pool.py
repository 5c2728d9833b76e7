"""The evaluator pool: profiles, invitations, joining, declining and the managers' changes."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ai4media_portal.core.audit import log_action
from ai4media_portal.core.changes import apply_changes
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.links import absolute_url
from ai4media_portal.core.outbox import email_queue
from ai4media_portal.core.permissions import can, require_perm
from ai4media_portal.core.roles import Role
from ai4media_portal.core.workflow import ensure_transition, set_state
from network.matching import website_domain

from ... import services as call_services
from ...engine.conflicts import PUBLIC_EMAIL_DOMAINS
from ...enums import CallStage
from ...models import Call
from ..enums import INVITATION_TRANSITIONS, POOL_TRANSITIONS, InvitationStatus, PoolStatus
from ..models import Assignment, EvaluatorProfile, Invitation, PoolMember
from ..terms import TERMS_VERSION
from .common import _local, _lock_call
from .conflicts import conflicts_detect

INVITATION_DAYS = 30

# --- Evaluator profiles -----------------------------------------------------------------------


def _save_profile(user, data: dict, expertise) -> EvaluatorProfile:
    profile, _created = EvaluatorProfile.objects.select_for_update().get_or_create(user=user)
    stripped = {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
    apply_changes(profile, stripped, EvaluatorProfile.PROFILE_FIELDS)
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
    for earlier in Invitation.objects.select_for_update().filter(
        call=call, email=email, status=InvitationStatus.PENDING
    ):
        set_state(earlier, InvitationStatus.REVOKED, INVITATION_TRANSITIONS)
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
        new = member is None
        if new:
            member = PoolMember(call=call, evaluator=user, status=PoolStatus.INVITED)
        member.max_proposals = max_proposals
        member.invited_by = actor
        member.responded_at = None
        changed = ["max_proposals", "invited_by", "responded_at", "updated_at"]
        if new:
            member.save()
        elif member.status == PoolStatus.DECLINED:
            set_state(member, PoolStatus.INVITED, POOL_TRANSITIONS, also=changed)
        else:  # invited again before answering: the state stays
            member.save(update_fields=changed)
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
    set_state(invitation, InvitationStatus.REVOKED, INVITATION_TRANSITIONS)
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
        member.responded_at = None
        set_state(member, PoolStatus.INVITED, POOL_TRANSITIONS, also=["responded_at", "updated_at"])
    if invitation.status == InvitationStatus.PENDING:
        invitation.claimed_by = user
        invitation.claimed_at = timezone.now()
        set_state(
            invitation,
            InvitationStatus.CLAIMED,
            INVITATION_TRANSITIONS,
            also=["claimed_by", "claimed_at", "updated_at"],
        )
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
    member = (
        PoolMember.objects.select_for_update(of=("self",)).select_related("call").get(pk=member.pk)
    )
    if actor is None or member.evaluator_id != actor.pk:
        raise PermissionDenied
    if member.call.stage == CallStage.RESULTS_PUBLISHED:
        raise PortalError(_("The evaluation of this call is over."))
    # Checked first, so that nothing else is asked of someone who cannot join (again).
    ensure_transition(PoolStatus(member.status), PoolStatus.ACCEPTED, POOL_TRANSITIONS)
    if not accept_terms:
        raise PortalError(
            _("Accept the confidentiality and conflict-of-interest terms to join the pool."),
            field="accept_terms",
        )
    _save_profile(actor, profile or {}, expertise)
    now = timezone.now()
    member.max_proposals = max_proposals
    member.availability = availability.strip()
    member.terms_version = TERMS_VERSION
    member.terms_accepted_at = now
    member.responded_at = now
    member.full_clean()
    set_state(
        member,
        PoolStatus.ACCEPTED,
        POOL_TRANSITIONS,
        also=[
            "max_proposals",
            "availability",
            "terms_version",
            "terms_accepted_at",
            "responded_at",
            "updated_at",
        ],
    )
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
    member = (
        PoolMember.objects.select_for_update(of=("self",)).select_related("call").get(pk=member.pk)
    )
    if actor is None or member.evaluator_id != actor.pk:
        raise PermissionDenied
    member.decline_reason = reason.strip()[:500]
    member.responded_at = timezone.now()
    set_state(
        member,
        PoolStatus.DECLINED,
        POOL_TRANSITIONS,
        also=["decline_reason", "responded_at", "updated_at"],
    )
    log_action("opencalls.evaluation.pool.decline", actor=actor, target=member.call)
    return member


@transaction.atomic
def pool_update(
    *, member: PoolMember, actor, max_proposals: int, availability: str | None = None
) -> PoolMember:
    """Change how many proposals an evaluator takes in a call (the evaluator or a call
    manager); never below what they are already assigned."""
    member = (
        PoolMember.objects.select_for_update(of=("self",)).select_related("call").get(pk=member.pk)
    )
    manager = can(actor, "opencalls.manage_evaluation")
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
