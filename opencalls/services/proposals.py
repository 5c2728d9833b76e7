"""Proposals, written by applicants: drafts, completeness, submission and withdrawal."""

import hashlib
import re
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ai4media_portal.core.audit import log_action
from ai4media_portal.core.changes import apply_changes
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.idempotency import create_once
from ai4media_portal.core.links import absolute_url
from ai4media_portal.core.outbox import email_queue
from ai4media_portal.core.permissions import require_perm
from ai4media_portal.core.validators import validate_pdf
from ai4media_portal.core.workflow import ensure_transition

from ..enums import ACTIVE_SUBMITTED_STATES, EDITABLE_STATES, TRANSITIONS, CallStage, ProposalStatus
from ..models import (
    Call,
    Proposal,
    ProposalBudgetLine,
    ProposalMilestone,
    ProposalTeamMember,
    ProposalVersion,
)
from .common import _local
from .workflow import proposal_record_start, proposal_set_status


def _closed_message(call: Call) -> str:
    return _("The call closed on %(deadline)s. Submissions and changes are no longer accepted.") % {
        "deadline": _local(call.closes_at, call.tzinfo)
    }


def _ensure_accepting(call: Call, now) -> None:
    if now < call.opens_at or call.stage != CallStage.PUBLISHED:
        raise PortalError(_("This call is not open for proposals."), code="call_not_open")
    if now >= call.closes_at:
        raise PortalError(_closed_message(call), code="deadline_passed")


PROJECT_FIELDS = Proposal.DRAFT_FIELDS[5:11]


def _blank_draft(call: Call, actor) -> Proposal | None:
    """The applicant's draft in ``call`` that has nothing of a project yet (what a start just
    made: at most the organisation copied from an earlier proposal), if any."""
    blank = Proposal.objects.filter(
        call=call,
        applicant=actor,
        status=ProposalStatus.DRAFT,
        current_version__isnull=True,
        document="",
        team__isnull=True,
        budget_lines__isnull=True,
        milestones__isnull=True,
    )
    for name in PROJECT_FIELDS:
        field = Proposal._meta.get_field(name)
        blank = blank.filter(**{f"{field.attname}__isnull": True} if field.null else {name: ""})
    return blank.order_by("created_at", "pk").first()


@transaction.atomic
def proposal_start(*, call: Call, actor, form_token=None) -> Proposal:
    """Start a draft proposal in an open call. The organisation's details are copied from the
    applicant's most recent proposal, if any.

    Idempotent, so a double click, two tabs or a retried API call never make two drafts: the
    same ``form_token`` (the start form's hidden token, or the API's) returns the draft it
    started, marked ``already_started``; otherwise an untouched draft of the applicant in the
    call is reused (and takes the token). The applicant's row is locked, so simultaneous
    starts are serialised; the token is unique besides."""
    require_perm(actor, "opencalls.start_proposal", call)
    _ensure_accepting(call, timezone.now())
    get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
    if form_token is not None:
        existing = Proposal.objects.filter(form_token=form_token).first()
        if existing is not None:
            if existing.applicant_id != actor.pk or existing.call_id != call.pk:
                raise PermissionDenied  # someone else's token: never reveal their draft
            existing.already_started = True
            return existing
    blank = _blank_draft(call, actor)
    if blank is not None:
        if form_token is not None and blank.form_token is None:
            blank.form_token = form_token
            blank.save(update_fields=["form_token"])
        blank.already_started = False
        return blank

    def create() -> Proposal:
        proposal = Proposal(call=call, applicant=actor, form_token=form_token)
        previous = Proposal.objects.filter(applicant=actor).exclude(organisation_name="").first()
        if previous is not None:
            for name in Proposal.ORGANISATION_FIELDS:
                setattr(proposal, name, getattr(previous, name))
        proposal.save()
        proposal_record_start(proposal, actor)
        log_action("opencalls.proposal.start", actor=actor, target=proposal)
        return proposal

    proposal, created = create_once(
        Proposal, form_token=form_token, owner_field="applicant", owner=actor, create=create
    )
    proposal.already_started = not created
    return proposal


def _check_document(call: Call, upload) -> None:
    try:
        validate_pdf(upload, max_bytes=call.max_document_bytes)
    except ValidationError as error:
        raise PortalError(error.messages[0], field="document", code=error.code) from error


@transaction.atomic
def proposal_save_draft(
    *,
    proposal: Proposal,
    actor,
    fields: dict | None = None,
    team: list[dict] | None = None,
    budget: list[dict] | None = None,
    milestones: list[dict] | None = None,
    document=None,
) -> Proposal:
    """Save what the applicant has entered so far; nothing is checked for completeness (that is
    ``proposal_submit``'s job). Only the owner, only before the deadline, only while the
    proposal is a draft or submitted. The fields not given stay as they are; ``team``,
    ``budget`` and ``milestones`` replace the rows they name."""
    require_perm(actor, "opencalls.change_proposal", proposal)
    proposal = (
        Proposal.objects.select_for_update(of=("self",)).select_related("call").get(pk=proposal.pk)
    )
    if proposal.status not in EDITABLE_STATES:
        raise PortalError(
            _("A proposal that is %(status)s cannot be changed.")
            % {"status": proposal.get_status_display().lower()},
            code="not_editable",
        )
    _ensure_accepting(proposal.call, timezone.now())
    fields = fields or {}
    unknown = set(fields) - set(Proposal.DRAFT_FIELDS)
    if unknown:
        raise ValueError(f"{sorted(unknown)} are not draft fields")
    if "challenge" in fields:
        challenge = fields["challenge"]
        if challenge is not None and challenge.track.call_id != proposal.call_id:
            raise PortalError(_("Choose one of this call's challenges."), field="challenge")
    changed = apply_changes(proposal, fields, Proposal.DRAFT_FIELDS)
    if "challenge" in changed:
        proposal.track = proposal.challenge.track if proposal.challenge else None
        changed.append("track")
    if document:
        _check_document(proposal.call, document)
        proposal.document = document
        proposal.document_name = document.name[:255]
        proposal.document_size = document.size
        changed += ["document", "document_name", "document_size"]
    proposal.full_clean(exclude=["call", "applicant", "current_version"])
    proposal.save(update_fields=[*changed, "updated_at"])
    if team is not None:
        proposal.team.all().delete()
        ProposalTeamMember.objects.bulk_create(
            ProposalTeamMember(
                proposal=proposal, order=i, **_only(row, ProposalTeamMember.EDITABLE_FIELDS)
            )
            for i, row in enumerate(team)
        )
    if budget is not None:
        proposal.budget_lines.all().delete()
        lines = [
            ProposalBudgetLine(proposal=proposal, **_only(row, ProposalBudgetLine.EDITABLE_FIELDS))
            for row in budget
        ]
        if len({line.category for line in lines}) != len(lines):
            raise PortalError(_("Give each budget category once."), field="budget")
        for line in lines:
            line.full_clean(exclude=["proposal"])
        ProposalBudgetLine.objects.bulk_create(lines)
    if milestones is not None:
        proposal.milestones.all().delete()
        ProposalMilestone.objects.bulk_create(
            ProposalMilestone(
                proposal=proposal, order=i, **_only(row, ProposalMilestone.EDITABLE_FIELDS)
            )
            for i, row in enumerate(milestones)
        )
    if document:
        # Autosaves are not audited (there would be hundreds); a new document is.
        log_action(
            "opencalls.proposal.document",
            actor=actor,
            target=proposal,
            data={"name": proposal.document_name, "size": proposal.document_size},
        )
    return proposal


def _only(row: dict, names: tuple[str, ...]) -> dict:
    return {name: row[name] for name in names if name in row}


def _money(value: Decimal) -> str:
    return f"€{value:,.2f}"


def proposal_problems(proposal: Proposal) -> dict[str, list[str]]:
    """Everything that stops ``proposal`` from being submitted, by field: every missing item
    at once, so the applicant can fix them in one pass, and the call's rule of one proposal
    per organisation. The one check of submission: ``proposal_submit`` refuses with exactly
    these, and the "Before you submit" checklist shows them, so it never says "ready" to a
    proposal that submit would refuse."""
    problems: dict[str, list[str]] = {}

    def add(field, message):
        problems.setdefault(field, []).append(message)

    required = {
        "organisation_name": _("Give the name of your organisation."),
        "organisation_type": _("Say what type of organisation it is."),
        "organisation_country": _("Give the country where your organisation is registered."),
        "organisation_registration_number": _("Give your organisation's registration number."),
        "challenge": _("Choose the track and challenge your proposal addresses."),
        "acronym": _("Give your project an acronym."),
        "title": _("Give your project a title."),
        "abstract": _("Write the abstract."),
        "requested_funding": _("Say how much funding you request."),
        "duration_months": _("Say how many months the project lasts."),
        "document": _("Upload the proposal document (PDF)."),
    }
    for name, message in required.items():
        if getattr(proposal, name) in (None, ""):
            add(name, message)
    if proposal.organisation_is_sme is None:
        add("organisation_is_sme", _("Say whether your organisation is an SME."))

    call = proposal.call
    funding = proposal.requested_funding
    if funding is not None:
        if funding <= 0:
            add("requested_funding", _("Request an amount above zero."))
        elif funding > call.max_funding:
            add(
                "requested_funding",
                _("You request %(asked)s; this call funds at most %(cap)s per project.")
                % {"asked": _money(funding), "cap": _money(call.max_funding)},
            )
    lines = list(proposal.budget_lines.all())
    if not lines:
        add("budget", _("Break your budget down by category."))
    elif funding is not None:
        total = sum((line.amount for line in lines), Decimal(0))
        if total != funding:
            add(
                "budget",
                _(
                    "The budget lines add up to %(total)s but you request %(asked)s; "
                    "they must be equal."
                )
                % {"total": _money(total), "asked": _money(funding)},
            )
    if not proposal.team.all():
        add("team", _("Name at least one team member."))
    milestones = list(proposal.milestones.all())
    if not milestones:
        add("milestones", _("Plan at least one milestone."))
    track = proposal.track
    if track is not None and proposal.duration_months:
        if proposal.duration_months > track.duration_months:
            add(
                "duration_months",
                _("Projects in the %(track)s track last at most %(months)s months.")
                % {"track": track.name, "months": track.duration_months},
            )
        late = [m for m in milestones if m.month > proposal.duration_months]
        if late:
            add(
                "milestones",
                _("Milestone “%(title)s” is planned after the project ends.")
                % {"title": late[0].title},
            )
    declarations = {
        "declare_honour": _("Sign the declaration of honour."),
        "declare_no_double_funding": _(
            "Declare that the project receives no other funding for the same work."
        ),
        "declare_privacy": _("Accept the privacy notice."),
    }
    for name, message in declarations.items():
        if not getattr(proposal, name):
            add(name, message)
    message = _one_per_organisation_problem(proposal)
    if message:
        add("organisation_registration_number", message)
    return problems


def _one_per_organisation_problem(proposal: Proposal) -> str:
    """The refusal when the call takes one proposal per organisation and another proposal of
    the same organisation (country and registration number, however typed) is submitted."""
    call = proposal.call
    country = proposal.organisation_country.code if proposal.organisation_country else ""
    number = proposal.organisation_registration_number
    if not (call.one_proposal_per_organisation and country and number):
        return ""
    taken = (
        Proposal.objects.filter(
            call=call,
            registration_key=registration_key(country, number),
            status__in=ACTIVE_SUBMITTED_STATES,
        )
        .exclude(pk=proposal.pk)
        .exists()
    )
    if not taken:
        return ""
    return _(
        "Your organisation (registration number %(number)s) already has a proposal submitted "
        "in this call, and this call accepts only one proposal per organisation."
    ) % {"number": number}


def registration_key(country: str, number: str) -> str:
    """One organisation, however its number is typed: "be 0123.456.789" and "BE0123456789"
    give the same key."""
    country = (country or "").upper()
    digits = re.sub(r"[^0-9A-Z]", "", (number or "").upper())
    if country and digits.startswith(country):
        digits = digits[len(country) :]
    return f"{country}:{digits}"


def proposal_snapshot(proposal: Proposal) -> dict:
    """Everything the applicant submitted, as JSON-ready data."""
    challenge = proposal.challenge
    return {
        "call": proposal.call.number,
        "organisation": {
            "name": proposal.organisation_name,
            "type": proposal.organisation_type,
            "country": str(proposal.organisation_country),
            "registration_number": proposal.organisation_registration_number,
            "is_sme": proposal.organisation_is_sme,
        },
        "track": {"id": challenge.track_id, "name": challenge.track.name},
        "challenge": {"id": challenge.pk, "code": challenge.code, "title": challenge.title},
        "acronym": proposal.acronym,
        "title": proposal.title,
        "abstract": proposal.abstract,
        "requested_funding": str(proposal.requested_funding),
        "duration_months": proposal.duration_months,
        "team": [
            {"full_name": m.full_name, "email": m.email, "role": m.role}
            for m in proposal.team.all()
        ],
        "budget": [
            {
                "category": line.category,
                "amount": str(line.amount),
                "justification": line.justification,
            }
            for line in proposal.budget_lines.all()
        ],
        "milestones": [
            {"month": m.month, "title": m.title, "description": m.description}
            for m in proposal.milestones.all()
        ],
        "declarations": {
            "honour": proposal.declare_honour,
            "no_double_funding": proposal.declare_no_double_funding,
            "privacy": proposal.declare_privacy,
        },
    }


@transaction.atomic
def proposal_submit(*, proposal: Proposal, actor) -> ProposalVersion:
    """Submit (or resubmit) ``proposal``: an immutable version with a reference number, a copy
    of the document and its SHA-256, and an email receipt.

    Idempotent: when nothing changed since the current version (the same answers and the same
    document), nothing happens: no new version, no receipt; the current version is returned
    marked ``unchanged``. Two simultaneous submits therefore make one version.

    Refused, with nothing changed, when the deadline has passed (``now < closes_at`` in the
    server's clock; the call's timezone only matters for the message), or when
    ``proposal_problems`` finds anything (a ``ValidationError`` lists every problem by field:
    missing items, another proposal of the organisation when the call takes one per
    organisation). The call row is locked, so two submissions in one call are serialised:
    numbers never clash and the organisation rule cannot be raced.
    """
    require_perm(actor, "opencalls.submit_proposal", proposal)
    call = Call.objects.select_for_update().get(pk=proposal.call_id)
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("challenge__track")
        .get(pk=proposal.pk)
    )
    proposal.call = call
    now = timezone.now()
    _ensure_accepting(call, now)
    ensure_transition(ProposalStatus(proposal.status), ProposalStatus.SUBMITTED, TRANSITIONS)
    problems = proposal_problems(proposal)
    if problems:
        raise ValidationError(problems)
    key = registration_key(
        proposal.organisation_country.code, proposal.organisation_registration_number
    )
    with proposal.document.open("rb") as handle:
        content = handle.read()
    current = proposal.current_version
    if (
        current is not None
        and proposal.status == ProposalStatus.SUBMITTED
        and current.document_sha256 == hashlib.sha256(content).hexdigest()
        and {k: v for k, v in current.data.items() if k != "document"}
        == proposal_snapshot(proposal)
    ):
        current.unchanged = True
        return current
    if proposal.number is None:
        proposal.number = (call.proposals.aggregate(n=Max("number"))["n"] or 0) + 1
    version_number = (proposal.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ProposalVersion(
        proposal=proposal,
        number=version_number,
        reference=f"{proposal.reference}-v{version_number}",
        submitted_at=now,
        submitted_by=actor,
        data=proposal_snapshot(proposal),
        document_name=proposal.document_name,
        document_size=len(content),
        document_sha256=hashlib.sha256(content).hexdigest(),
        acronym=proposal.acronym,
        title=proposal.title,
        track=proposal.challenge.track,
        challenge=proposal.challenge,
        organisation_name=proposal.organisation_name,
        organisation_country=proposal.organisation_country,
        requested_funding=proposal.requested_funding,
    )
    version.data["document"] = {
        "name": version.document_name,
        "size": version.document_size,
        "sha256": version.document_sha256,
    }
    version.document.save(version.reference + ".pdf", ContentFile(content), save=False)
    version.save()
    proposal.submitted_at = now
    proposal.current_version = version
    proposal.registration_key = key
    # ``updated_at`` stays the time of the last edit, so "changed since the last submission"
    # is simply ``updated_at > submitted_at``.
    proposal_set_status(
        proposal=proposal,
        to=ProposalStatus.SUBMITTED,
        actor=actor,
        action="opencalls.proposal.submit",
        extra_fields=["submitted_at", "current_version", "registration_key", "number"],
        data={"version": version.reference, "sha256": version.document_sha256},
    )
    email_queue(
        to=actor.email,
        template="opencalls/proposal_submitted",
        context={
            "proposal": proposal,
            "version": version,
            "call": call,
            "submitted": _local(now, call.tzinfo),
            "deadline": _local(call.closes_at, call.tzinfo),
            "url": absolute_url("opencalls:proposal", proposal.pk),
        },
    )
    version.unchanged = False
    return version


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, actor, reason: str = "") -> Proposal:
    """Withdraw a draft or submitted proposal before the deadline; records who and when. A
    withdrawn proposal no longer counts for the one-proposal-per-organisation rule."""
    require_perm(actor, "opencalls.withdraw_proposal", proposal)
    proposal = (
        Proposal.objects.select_for_update(of=("self",)).select_related("call").get(pk=proposal.pk)
    )
    ensure_transition(ProposalStatus(proposal.status), ProposalStatus.WITHDRAWN, TRANSITIONS)
    if timezone.now() >= proposal.call.closes_at:
        raise PortalError(
            _("The deadline has passed: write to the call team to withdraw your proposal."),
            code="deadline_passed",
        )
    was_submitted = proposal.status == ProposalStatus.SUBMITTED
    proposal.withdrawn_at = timezone.now()
    proposal.withdrawn_by = actor
    proposal_set_status(
        proposal=proposal,
        to=ProposalStatus.WITHDRAWN,
        actor=actor,
        message=reason.strip(),
        action="opencalls.proposal.withdraw",
        extra_fields=["withdrawn_at", "withdrawn_by", "updated_at"],
        data={"reason": reason},
    )
    if was_submitted:
        email_queue(
            to=proposal.applicant.email,
            template="opencalls/proposal_withdrawn",
            context={"proposal": proposal, "call": proposal.call, "reason": reason},
        )
    return proposal
