"""Conflicts of interest: automatic detection, declarations, confirmation and dismissal."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ai4media_portal.accounts.selectors import emails_of
from ai4media_portal.core.audit import log_action
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.links import absolute_url
from ai4media_portal.core.outbox import email_queue
from ai4media_portal.core.permissions import require_perm
from ai4media_portal.core.roles import Role

from ...engine import conflicts as engine
from ...models import Call, Proposal
from .. import selectors
from ..enums import ConflictReason, ConflictSource, PoolStatus
from ..models import Assignment, Conflict, PoolMember, Review
from .common import PS
from .reviews import set_aside


def _proposal_keys(proposal: Proposal) -> engine.ProposalKeys:
    data = proposal.current_version.data
    return engine.proposal_keys(
        id=proposal.pk,
        organisation=data.get("organisation", {}).get("name") or "",
        registration_key=proposal.registration_key,
        team=data.get("team", []),
        applicant_id=proposal.applicant_id,
        applicant_email=proposal.applicant.email,
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


def _evaluator_keys(members: list[PoolMember]) -> list[engine.EvaluatorKeys]:
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
            engine.EvaluatorKeys(
                id=user.pk,
                email=user.email.lower(),
                person=engine.person_key(user.full_name),
                registration_key=registration,
                organisations=organisations,
                contact_of=contacts.get(user.pk, []),
                domains=domains,
                collaborators=collaborators,
                declared=member.declared_organisation_list,
            )
        )
    return keys


def _evidence_text(kind: str, value: str) -> str:
    """The engine's evidence of a conflict, in the words call managers read."""
    if kind == engine.REGISTRATION:
        return _("same registration number (%(key)s)") % {"key": value}
    if kind == engine.ORGANISATION:
        return _("same organisation (%(name)s)") % {"name": value}
    if kind == engine.EMAIL_DOMAIN:
        return _("same email domain (%(d)s)") % {"d": value}
    if kind == engine.TEAM_NAME:
        return _("named in the team")
    if kind == engine.OWN_ACCOUNT:
        return _("the applicant's own account")
    if kind == engine.TEAM_EMAIL:
        return _("email address in the team")
    if kind == engine.CONTACT:
        return _("contact of %(name)s in the network") % {"name": value}
    return _("declared collaborator (%(name)s)") % {"name": value}


def _detect(
    evaluator: engine.EvaluatorKeys, index: engine.ProposalIndex
) -> dict[int, dict[str, list[str]]]:
    """{proposal id: {reason code: [details]}} for one evaluator."""
    return {
        pid: {
            code: [_evidence_text(kind, value) for kind, value in evidence]
            for code, evidence in reasons.items()
        }
        for pid, reasons in engine.detect(evaluator, index).items()
    }


def _detect_declared(
    evaluator: engine.EvaluatorKeys, index: engine.ProposalIndex
) -> dict[int, list[str]]:
    return {
        pid: [_("declared a conflict with %(name)s") % {"name": name} for name in names]
        for pid, names in engine.detect_declared(evaluator, index).items()
    }


def _conflict_proposals(call: Call):
    return list(
        Proposal.objects.filter(call=call, current_version__isnull=False)
        .exclude(status__in=[PS.DRAFT, PS.WITHDRAWN, PS.INELIGIBLE])
        .select_related("applicant", "current_version")
    )


def _drop_conflicted_assignment(
    proposal_id: int, evaluator_id: int, actor, reason: str, *, standing: bool = False
) -> None:
    """A new conflict takes the evaluator off the proposal. A review they already submitted
    stays: set aside at once when the conflict ``standing`` (declared or confirmed), else
    until a call manager confirms or dismisses the conflict (the evaluator sees nothing of the
    proposal meanwhile)."""
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
        if standing and not review.is_set_aside:
            review = Review.objects.select_for_update().get(pk=review.pk)
            set_aside(
                review,
                actor=actor,
                reason=_("Conflict of interest: %(reason)s") % {"reason": reason},
                why="conflict",
            )
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
    index = engine.ProposalIndex([_proposal_keys(p) for p in proposals])
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
            _drop_conflicted_assignment(pid, keys.id, actor, text, standing=True)
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
    """A call manager confirms a detected conflict (it stays, even if detection changes); not
    one who is a party to the proposal. An evaluator who had already submitted a review of the
    proposal has it set aside (kept for the record, counted nowhere; a replacement can be
    assigned)."""
    conflict = (
        Conflict.objects.select_for_update(of=("self",))
        .select_related("proposal")
        .get(pk=conflict.pk)
    )
    require_perm(actor, "opencalls.evaluate_proposal", conflict.proposal)
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
    # A review written before the conflict came to light stops counting.
    _drop_conflicted_assignment(
        conflict.proposal_id, conflict.evaluator_id, actor, conflict.reason, standing=True
    )
    return conflict


@transaction.atomic
def conflict_dismiss(*, conflict: Conflict, actor, reason: str) -> Conflict:
    """A call manager dismisses a detected conflict that is not one (e.g. two people with the
    same name), saying why; audited. Conflicts an evaluator declared stand. Not by a call
    manager who is a party to the proposal."""
    conflict = (
        Conflict.objects.select_for_update(of=("self",))
        .select_related("proposal")
        .get(pk=conflict.pk)
    )
    require_perm(actor, "opencalls.evaluate_proposal", conflict.proposal)
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
