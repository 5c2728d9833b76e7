"""Every write in open calls. Views, the API, admin actions and Celery tasks call these.

Each service checks the actor's permission, runs in a transaction, locks the rows it changes,
validates, saves with ``update_fields``, records the action in the audit log and queues its
emails (sent after commit).
"""

import calendar
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from ai4media_portal.accounts.selectors import emails_of
from ai4media_portal.core.audit import log_action
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.links import absolute_url
from ai4media_portal.core.outbox import email_queue
from ai4media_portal.core.permissions import require_perm
from ai4media_portal.core.roles import Role
from ai4media_portal.core.validators import MiB, validate_pdf
from ai4media_portal.core.workflow import ensure_transition
from network.enums import OrganisationType as DirectoryType
from network.services import organisation_record_beneficiary

from .enums import (
    ACTIVE_SUBMITTED_STATES,
    CALL_STAGE_TRANSITIONS,
    DECIDABLE_STATES,
    DECISION_STATES,
    DELIVERABLE_TRANSITIONS,
    EDITABLE_STATES,
    TRANCHE_TRANSITIONS,
    TRANSITIONS,
    CallStage,
    DeliverableKind,
    DeliverableStatus,
    OrganisationType,
    ProposalStatus,
    ReminderKind,
    ScreeningOutcome,
    TrancheStatus,
)
from .models import (
    Call,
    CallFaq,
    Challenge,
    Deliverable,
    DeliverableReminder,
    DeliverableSubmission,
    DemoDayPitch,
    EligibilityCheck,
    EligibilityItem,
    EligibilityScreening,
    EvaluationCriterion,
    EvaluationSettings,
    FundedProject,
    OutputLink,
    Proposal,
    ProposalBudgetLine,
    ProposalMilestone,
    ProposalTeamMember,
    ProposalVersion,
    SupportSession,
    Tranche,
)

DELIVERABLE_MAX_BYTES = 20 * MiB
DEFAULT_TRANCHES = (
    (pgettext_lazy("tranche", "Pre-financing"), Decimal(40)),
    (pgettext_lazy("tranche", "Interim payment"), Decimal(30)),
    (pgettext_lazy("tranche", "Final payment"), Decimal(30)),
)


def _local(moment, tz) -> str:
    """A moment as "1 December 2021, 17:00 CET" in ``tz``, for messages."""
    local = timezone.localtime(moment, tz)
    return f"{date_format(local, 'j F Y, H:i')} {local.tzname()}"


# --- Calls ------------------------------------------------------------------------------------

CALL_FIELDS = (
    "number",
    "title",
    "summary",
    "description",
    "opens_at",
    "closes_at",
    "timezone",
    "total_budget",
    "max_funding",
    "evaluators_per_proposal",
    "overall_threshold",
    "interview_enabled",
    "interviews_per_track",
    "one_proposal_per_organisation",
    "max_document_mb",
)


def _check_guide(guide) -> None:
    if guide:
        try:
            validate_pdf(guide)
        except ValidationError as error:
            raise PortalError(error.messages[0], field="guide", code=error.code) from error


@transaction.atomic
def call_create(*, actor, data: dict, guide=None) -> Call:
    """Create a draft call from ``data`` (the ``CALL_FIELDS``). Managers only."""
    require_perm(actor, "opencalls.manage_calls")
    call = Call(stage=CallStage.DRAFT, created_by=actor)
    for name in CALL_FIELDS:
        if name in data:
            setattr(call, name, data[name])
    if call.number is None:
        call.number = (Call.objects.aggregate(n=Max("number"))["n"] or 0) + 1
    _check_guide(guide)
    if guide:
        call.guide = guide
    call.full_clean()
    call.save()
    log_action("opencalls.call.create", actor=actor, target=call)
    return call


@transaction.atomic
def call_update(*, call: Call, actor, data: dict, guide=None, clear_guide=False) -> Call:
    """Change a call's own fields. Managers only; the stage changes through
    ``call_set_stage``."""
    require_perm(actor, "opencalls.manage_calls")
    call = Call.objects.select_for_update().get(pk=call.pk)
    if (
        "number" in data
        and data["number"] != call.number
        and call.proposals.filter(number__isnull=False).exists()
    ):
        raise PortalError(
            _("Proposals have reference numbers in this call: its number cannot change."),
            field="number",
        )
    changed = []
    for name in CALL_FIELDS:
        if name in data and getattr(call, name) != data[name]:
            setattr(call, name, data[name])
            changed.append(name)
    _check_guide(guide)
    if guide:
        call.guide = guide
        changed.append("guide")
    elif clear_guide and call.guide:
        call.guide = ""
        changed.append("guide")
    call.full_clean()
    if changed:
        call.save(update_fields=[*changed, "updated_at"])
        log_action("opencalls.call.update", actor=actor, target=call, data={"fields": changed})
    return call


def _sync_rows(queryset, rows: Iterable[dict], fields: tuple[str, ...], defaults: dict) -> None:
    """Apply an editor's rows (dicts with ``id`` for existing rows and ``DELETE`` for removed
    ones) to ``queryset``, numbering what remains in the given order."""
    existing = {obj.pk: obj for obj in queryset}
    order = 0
    for row in rows:
        obj = existing.get(row.get("id"))
        if row.get("DELETE"):
            if obj is not None:
                try:
                    obj.delete()
                except ProtectedError as exc:
                    raise PortalError(
                        _("“%(name)s” cannot be removed: proposals refer to it.") % {"name": obj}
                    ) from exc
            continue
        if obj is None:
            obj = queryset.model(**defaults)
        for name in fields:
            if name in row:
                setattr(obj, name, row[name])
        obj.order = order
        order += 1
        obj.full_clean()
        obj.save()


@transaction.atomic
def call_save_structure(
    *,
    call: Call,
    actor,
    tracks: list[dict] | None = None,
    challenges: list[dict] | None = None,
    criteria: list[dict] | None = None,
    checklist: list[dict] | None = None,
    faqs: list[dict] | None = None,
) -> Call:
    """Create, change and remove a call's tracks, challenges, criteria, eligibility checklist
    and FAQ. Rows that proposals refer to cannot be removed. Managers only."""
    require_perm(actor, "opencalls.manage_calls")
    call = Call.objects.select_for_update().get(pk=call.pk)
    if tracks is not None:
        _sync_rows(
            call.tracks.all(),
            tracks,
            ("kind", "name", "description", "duration_months", "projects_to_fund"),
            {"call": call},
        )
    if challenges is not None:
        for row in challenges:
            track = row.get("track")
            if not row.get("DELETE") and (track is None or track.call_id != call.pk):
                raise PortalError(_("Choose one of this call's tracks."), field="track")
        _sync_rows(
            Challenge.objects.filter(track__call=call),
            challenges,
            ("track", "code", "title", "description"),
            {},
        )
    if criteria is not None:
        _sync_rows(
            call.criteria.all(),
            criteria,
            ("name", "description", "weight", "threshold", "max_score"),
            {"call": call},
        )
    if checklist is not None:
        _sync_rows(call.checklist.all(), checklist, ("text", "help_text"), {"call": call})
    if faqs is not None:
        _sync_rows(call.faqs.all(), faqs, ("question", "answer"), {"call": call})
    call.save(update_fields=["updated_at"])
    log_action("opencalls.call.structure", actor=actor, target=call)
    return call


def call_publication_problems(call: Call) -> list[str]:
    """What a call still lacks before it can be published."""
    problems = []
    tracks = list(call.tracks.prefetch_related("challenges"))
    if not tracks:
        problems.append(_("Add at least one track."))
    problems.extend(
        _("Add a challenge to the track “%(track)s”.") % {"track": track.name}
        for track in tracks
        if not track.challenges.all()
    )
    if not call.criteria.exists():
        problems.append(_("Add the evaluation criteria."))
    if not call.checklist.exists():
        problems.append(_("Add the eligibility checklist."))
    if not call.description.strip():
        problems.append(_("Describe the call."))
    return problems


@transaction.atomic
def call_set_stage(*, call: Call, actor, stage: CallStage) -> Call:
    """Move a call to ``stage``: publish a complete draft, unpublish before opening, start the
    evaluation after the deadline, publish results once every proposal has a final outcome."""
    require_perm(actor, "opencalls.manage_calls")
    call = Call.objects.select_for_update().get(pk=call.pk)
    stage = CallStage(stage)
    ensure_transition(CallStage(call.stage), stage, CALL_STAGE_TRANSITIONS)
    now = timezone.now()
    if stage == CallStage.PUBLISHED:
        problems = call_publication_problems(call)
        if problems:
            raise PortalError(" ".join(problems), code="incomplete")
        call.published_at = now
    elif stage == CallStage.DRAFT:
        if now >= call.opens_at or call.proposals.exists():
            raise PortalError(_("A call that has opened cannot go back to draft."))
    elif stage == CallStage.UNDER_EVALUATION:
        if now < call.closes_at:
            raise PortalError(_("The evaluation starts after the deadline."))
    elif stage == CallStage.RESULTS_PUBLISHED:
        undecided = (
            call.proposals.exclude(status__in=[*DECISION_STATES, ProposalStatus.INELIGIBLE])
            .exclude(status__in=[ProposalStatus.DRAFT, ProposalStatus.WITHDRAWN])
            .count()
        )
        if undecided:
            raise PortalError(
                _("%(count)s proposals have no final outcome yet.") % {"count": undecided}
            )
    call.stage = stage
    call.save(update_fields=["stage", "published_at", "updated_at"])
    log_action("opencalls.call.stage", actor=actor, target=call, data={"stage": stage.value})
    return call


def _next_opening_year(call: Call, now) -> int:
    years = 1
    while call.opens_at.replace(year=call.opens_at.year + years) <= now:
        years += 1
    return years


def _shift_years(moment, years: int):
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + years, day=28)


@transaction.atomic
def call_copy(*, call: Call, actor) -> Call:
    """A new draft call with the next number, a copy of ``call``'s settings (its evaluation
    settings included), tracks, challenges, criteria, checklist and FAQ, and its dates moved on
    by whole years so that it opens in the future. The guide for applicants is not copied.
    Managers only."""
    require_perm(actor, "opencalls.manage_calls")
    years = _next_opening_year(call, timezone.now())
    number = (Call.objects.select_for_update().aggregate(n=Max("number"))["n"] or 0) + 1
    copy = Call(
        **{name: getattr(call, name) for name in CALL_FIELDS},
        stage=CallStage.DRAFT,
        created_by=actor,
    )
    copy.number = number
    copy.title = _("Copy of %(title)s") % {"title": call.title}
    copy.opens_at = _shift_years(call.opens_at, years)
    copy.closes_at = _shift_years(call.closes_at, years)
    copy.full_clean()
    copy.save()
    for track in call.tracks.prefetch_related("challenges__topics"):
        challenges = list(track.challenges.all())
        track.pk, track.call = None, copy
        track.save()
        for challenge in challenges:
            topics = list(challenge.topics.all())
            challenge.pk, challenge.track = None, track
            challenge.save()
            challenge.topics.set(topics)
    for model in (EvaluationCriterion, EligibilityItem, CallFaq):
        rows = list(model.objects.filter(call=call))
        for row in rows:
            row.pk, row.call = None, copy
        model.objects.bulk_create(rows)
    evaluation = EvaluationSettings.objects.filter(call=call).first()
    if evaluation is not None:
        evaluation.call = copy
        if evaluation.review_deadline is not None:
            evaluation.review_deadline = _shift_years(evaluation.review_deadline, years)
        evaluation.save(force_insert=True)
    log_action("opencalls.call.copy", actor=actor, target=copy, data={"from": call.number})
    return copy


# --- Proposals --------------------------------------------------------------------------------

DRAFT_FIELDS = (
    "organisation_name",
    "organisation_type",
    "organisation_country",
    "organisation_registration_number",
    "organisation_is_sme",
    "challenge",
    "acronym",
    "title",
    "abstract",
    "requested_funding",
    "duration_months",
    "declare_honour",
    "declare_no_double_funding",
    "declare_privacy",
)
ORGANISATION_FIELDS = DRAFT_FIELDS[:5]


def _closed_message(call: Call) -> str:
    return _("The call closed on %(deadline)s. Submissions and changes are no longer accepted.") % {
        "deadline": _local(call.closes_at, call.tzinfo)
    }


def _ensure_accepting(call: Call, now) -> None:
    if now < call.opens_at or call.stage != CallStage.PUBLISHED:
        raise PortalError(_("This call is not open for proposals."), code="call_not_open")
    if now >= call.closes_at:
        raise PortalError(_closed_message(call), code="deadline_passed")


@transaction.atomic
def proposal_start(*, call: Call, actor) -> Proposal:
    """Start a draft proposal in an open call. The organisation's details are copied from the
    applicant's most recent proposal, if any."""
    require_perm(actor, "opencalls.start_proposal", call)
    _ensure_accepting(call, timezone.now())
    proposal = Proposal(call=call, applicant=actor)
    previous = Proposal.objects.filter(applicant=actor).exclude(organisation_name="").first()
    if previous is not None:
        for name in ORGANISATION_FIELDS:
            setattr(proposal, name, getattr(previous, name))
    proposal.save()
    log_action("opencalls.proposal.start", actor=actor, target=proposal)
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
    proposal = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
    if proposal.status not in EDITABLE_STATES:
        raise PortalError(
            _("A proposal that is %(status)s cannot be changed.")
            % {"status": proposal.get_status_display().lower()},
            code="not_editable",
        )
    _ensure_accepting(proposal.call, timezone.now())
    changed = []
    for name, value in (fields or {}).items():
        if name not in DRAFT_FIELDS:
            raise ValueError(f"{name} is not a draft field")
        if name == "challenge" and value is not None:
            if value.track.call_id != proposal.call_id:
                raise PortalError(_("Choose one of this call's challenges."), field="challenge")
            proposal.track = value.track
            changed.append("track")
        elif name == "challenge":
            proposal.track = None
            changed.append("track")
        setattr(proposal, name, value)
        changed.append(name)
    if document:
        _check_document(proposal.call, document)
        proposal.document = document
        proposal.document_name = document.name[:255]
        proposal.document_size = document.size
        changed += ["document", "document_name", "document_size"]
    proposal.full_clean(exclude=["call", "applicant", "current_version"])
    proposal.save(update_fields=[*dict.fromkeys(changed), "updated_at"])
    if team is not None:
        proposal.team.all().delete()
        ProposalTeamMember.objects.bulk_create(
            ProposalTeamMember(proposal=proposal, order=i, **_only(row, TEAM_FIELDS))
            for i, row in enumerate(team)
        )
    if budget is not None:
        proposal.budget_lines.all().delete()
        lines = [
            ProposalBudgetLine(proposal=proposal, **_only(row, BUDGET_FIELDS)) for row in budget
        ]
        if len({line.category for line in lines}) != len(lines):
            raise PortalError(_("Give each budget category once."), field="budget")
        for line in lines:
            line.full_clean(exclude=["proposal"])
        ProposalBudgetLine.objects.bulk_create(lines)
    if milestones is not None:
        proposal.milestones.all().delete()
        ProposalMilestone.objects.bulk_create(
            ProposalMilestone(proposal=proposal, order=i, **_only(row, MILESTONE_FIELDS))
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


TEAM_FIELDS = ("full_name", "email", "role")
BUDGET_FIELDS = ("category", "amount", "justification")
MILESTONE_FIELDS = ("title", "description", "month")


def _only(row: dict, names: tuple[str, ...]) -> dict:
    return {name: row[name] for name in names if name in row}


def _money(value: Decimal) -> str:
    return f"€{value:,.2f}"


def proposal_problems(proposal: Proposal) -> dict[str, list[str]]:
    """Everything that stops ``proposal`` from being submitted, by field: every missing item
    at once, so the applicant can fix them in one pass."""
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
    return problems


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

    Refused, with nothing changed, when the deadline has passed (``now < closes_at`` in the
    server's clock; the call's timezone only matters for the message), when anything is missing
    (a ``ValidationError`` lists every problem by field), or when the call allows one proposal
    per organisation and another is submitted. The call row is locked, so two submissions in
    one call are serialised: numbers never clash and the organisation rule cannot be raced.
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
    if (
        call.one_proposal_per_organisation
        and Proposal.objects.filter(
            call=call, registration_key=key, status__in=ACTIVE_SUBMITTED_STATES
        )
        .exclude(pk=proposal.pk)
        .exists()
    ):
        raise PortalError(
            _(
                "Your organisation (registration number %(number)s) already has a proposal "
                "submitted in this call, and this call accepts only one proposal per "
                "organisation."
            )
            % {"number": proposal.organisation_registration_number},
            field="organisation_registration_number",
            code="one_per_organisation",
        )
    if proposal.number is None:
        proposal.number = (call.proposals.aggregate(n=Max("number"))["n"] or 0) + 1
    version_number = (proposal.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    with proposal.document.open("rb") as handle:
        content = handle.read()
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
    proposal.status = ProposalStatus.SUBMITTED
    proposal.submitted_at = now
    proposal.current_version = version
    proposal.registration_key = key
    # ``updated_at`` stays the time of the last edit, so "changed since the last submission"
    # is simply ``updated_at > submitted_at``.
    proposal.save(
        update_fields=["status", "submitted_at", "current_version", "registration_key", "number"]
    )
    log_action(
        "opencalls.proposal.submit",
        actor=actor,
        target=proposal,
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
    return version


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, actor, reason: str = "") -> Proposal:
    """Withdraw a draft or submitted proposal before the deadline; records who and when. A
    withdrawn proposal no longer counts for the one-proposal-per-organisation rule."""
    require_perm(actor, "opencalls.withdraw_proposal", proposal)
    proposal = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
    ensure_transition(ProposalStatus(proposal.status), ProposalStatus.WITHDRAWN, TRANSITIONS)
    if timezone.now() >= proposal.call.closes_at:
        raise PortalError(
            _("The deadline has passed: write to the call team to withdraw your proposal."),
            code="deadline_passed",
        )
    was_submitted = proposal.status == ProposalStatus.SUBMITTED
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.withdrawn_at = timezone.now()
    proposal.withdrawn_by = actor
    proposal.save(update_fields=["status", "withdrawn_at", "withdrawn_by", "updated_at"])
    log_action("opencalls.proposal.withdraw", actor=actor, target=proposal, data={"reason": reason})
    if was_submitted:
        email_queue(
            to=proposal.applicant.email,
            template="opencalls/proposal_withdrawn",
            context={"proposal": proposal, "call": proposal.call, "reason": reason},
        )
    return proposal


# --- Eligibility screening --------------------------------------------------------------------

SCREENING_STATES = frozenset(
    {ProposalStatus.SUBMITTED, ProposalStatus.SCREENING, ProposalStatus.CLARIFICATION_REQUESTED}
)


@dataclass(frozen=True)
class CheckInput:
    item_id: int
    passed: bool | None
    reason: str = ""


@transaction.atomic
def proposal_screen(
    *,
    proposal: Proposal,
    actor,
    checks: Iterable[CheckInput],
    outcome: ScreeningOutcome | None = None,
    message: str = "",
) -> EligibilityScreening:
    """Record the eligibility checklist of a submitted proposal (after the deadline) and,
    when ``outcome`` is given, decide:

    - eligible: every item passed;
    - ineligible: at least one item failed with its reason; the applicant is told why;
    - clarification: ``message`` is the question; the applicant answers in the portal, then
      the screener decides.

    A failed item needs a reason. Managers only.
    """
    require_perm(actor, "opencalls.screen_proposal", proposal)
    proposal = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
    call = proposal.call
    if proposal.status not in SCREENING_STATES:
        raise PortalError(_("This proposal is not waiting for an eligibility check."))
    if timezone.now() < call.closes_at:
        raise PortalError(_("Eligibility checks start after the deadline."))
    screening, _created = EligibilityScreening.objects.select_for_update().get_or_create(
        proposal=proposal, defaults={"screener": actor}
    )
    items = {item.pk: item for item in call.checklist.all()}
    errors = {}
    existing = {check.item_id: check for check in screening.checks.all()}
    for check in checks:
        if check.item_id not in items:
            raise PortalError(_("This item is not on the call's checklist."))
        if check.passed is False and not check.reason.strip():
            errors[f"check_{check.item_id}"] = [_("Say why this criterion is not met.")]
        row = existing.get(check.item_id) or EligibilityCheck(
            screening=screening, item=items[check.item_id]
        )
        row.passed, row.reason = check.passed, check.reason.strip()
        existing[check.item_id] = row
    if errors:
        raise ValidationError(errors)
    for row in existing.values():
        row.save()
    screening.screener = actor
    if proposal.status == ProposalStatus.SUBMITTED:
        proposal.status = ProposalStatus.SCREENING
    if outcome:
        _screening_decide(proposal, screening, actor, ScreeningOutcome(outcome), message, items)
    screening.save()
    proposal.save(update_fields=["status", "updated_at"])
    log_action(
        "opencalls.proposal.screen",
        actor=actor,
        target=proposal,
        data={"outcome": screening.outcome},
    )
    return screening


def _screening_decide(proposal, screening, actor, outcome, message, items) -> None:
    checks = {row.item_id: row for row in screening.checks.all()}
    failed = [row for row in checks.values() if row.passed is False]
    context = {
        "proposal": proposal,
        "call": proposal.call,
        "message": message.strip(),
        "url": absolute_url("opencalls:proposal", proposal.pk),
    }
    if outcome == ScreeningOutcome.ELIGIBLE:
        unchecked = [items[pk].text for pk in items if not getattr(checks.get(pk), "passed", None)]
        if unchecked:
            raise PortalError(
                _("Every criterion must be met for an eligible proposal; not met: %(items)s.")
                % {"items": "; ".join(unchecked)},
                field="outcome",
            )
        target, template = ProposalStatus.ELIGIBLE, "opencalls/screening_eligible"
    elif outcome == ScreeningOutcome.INELIGIBLE:
        if not failed:
            raise PortalError(
                _("Mark the criteria that are not met, with the reason, first."), field="outcome"
            )
        target, template = ProposalStatus.INELIGIBLE, "opencalls/screening_ineligible"
        context["failed"] = sorted(failed, key=lambda row: (row.item.order, row.item_id))
    elif outcome == ScreeningOutcome.CLARIFICATION:
        if not message.strip():
            raise PortalError(_("Write the question the applicant must answer."), field="message")
        target, template = ProposalStatus.CLARIFICATION_REQUESTED, "opencalls/clarification"
        screening.clarification_question = message.strip()
        screening.clarification_requested_at = timezone.now()
        screening.clarification_answer = ""
        screening.clarification_answered_at = None
    else:
        raise PortalError(_("Choose an outcome."), field="outcome")
    ensure_transition(ProposalStatus(proposal.status), target, TRANSITIONS)
    proposal.status = target
    screening.outcome = outcome
    screening.message = message.strip()
    if outcome != ScreeningOutcome.CLARIFICATION:
        screening.decided_at = timezone.now()
    email_queue(to=proposal.applicant.email, template=template, context=context)


@transaction.atomic
def clarification_answer(*, proposal: Proposal, actor, answer: str) -> EligibilityScreening:
    """The applicant answers the screener's question; the proposal goes back to the
    eligibility check and the screener is told."""
    require_perm(actor, "opencalls.answer_clarification", proposal)
    proposal = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
    if proposal.status != ProposalStatus.CLARIFICATION_REQUESTED:
        raise PortalError(_("No clarification is requested for this proposal."))
    if not answer.strip():
        raise PortalError(_("Write your answer."), field="answer")
    screening = EligibilityScreening.objects.select_for_update().get(proposal=proposal)
    screening.clarification_answer = answer.strip()
    screening.clarification_answered_at = timezone.now()
    screening.save(update_fields=["clarification_answer", "clarification_answered_at"])
    ensure_transition(ProposalStatus(proposal.status), ProposalStatus.SCREENING, TRANSITIONS)
    proposal.status = ProposalStatus.SCREENING
    proposal.save(update_fields=["status", "updated_at"])
    log_action("opencalls.proposal.clarify", actor=actor, target=proposal)
    recipients = [screening.screener.email] if screening.screener else emails_of(Role.CALL_MANAGER)
    email_queue(
        to=recipients,
        template="opencalls/clarification_answered",
        context={
            "proposal": proposal,
            "screening": screening,
            "url": absolute_url("opencalls:screening", proposal.pk),
        },
    )
    return screening


# --- Decisions --------------------------------------------------------------------------------

DECISION_TEMPLATES = {
    ProposalStatus.SELECTED: "opencalls/decision_selected",
    ProposalStatus.RESERVE: "opencalls/decision_reserve",
    ProposalStatus.REJECTED: "opencalls/decision_rejected",
}


@transaction.atomic
def proposal_decide(
    *, proposal: Proposal, actor, outcome: ProposalStatus, message: str = ""
) -> Proposal:
    """Select, put on the reserve list or reject an eligible (or evaluated) proposal, and tell
    the applicant. A reserve proposal may later be selected or rejected. Managers only; the
    evaluation engine calls this same service when its ranking is final."""
    require_perm(actor, "opencalls.decide_proposal", proposal)
    proposal = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
    outcome = ProposalStatus(outcome)
    if outcome not in DECISION_STATES:
        raise PortalError(_("Choose selected, reserve or rejected."), field="outcome")
    if proposal.status not in DECIDABLE_STATES:
        raise PortalError(
            _("Only eligible proposals can be decided; this one is %(status)s.")
            % {"status": proposal.get_status_display().lower()}
        )
    ensure_transition(ProposalStatus(proposal.status), outcome, TRANSITIONS)
    proposal.status = outcome
    proposal.decision_message = message.strip()
    proposal.decided_at = timezone.now()
    proposal.decided_by = actor
    proposal.save(
        update_fields=["status", "decision_message", "decided_at", "decided_by", "updated_at"]
    )
    log_action(
        "opencalls.proposal.decide", actor=actor, target=proposal, data={"outcome": outcome.value}
    )
    email_queue(
        to=proposal.applicant.email,
        template=DECISION_TEMPLATES[outcome],
        context={
            "proposal": proposal,
            "call": proposal.call,
            "message": proposal.decision_message,
            "url": absolute_url("opencalls:proposal", proposal.pk),
        },
    )
    return proposal


# --- Funded projects --------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def funded_project_create(
    *,
    proposal: Proposal,
    actor,
    agreement_reference: str,
    start_date: date,
    end_date: date | None = None,
    funding_amount: Decimal | None = None,
    summary: str | None = None,
    tranches: list[tuple[str, Decimal]] | None = None,
) -> FundedProject:
    """Set up the funded project of a selected proposal from its submitted version: public
    fields, payment tranches (by percentage; pre-financing 40 %, interim 30 %, final 30 % unless
    told otherwise) and deliverables (the work plan's milestones, an interim and a final
    report) tied to the tranches they unlock. A tranche without deliverables is requested at
    once. The beneficiary is the applicant, who is told. Managers only."""
    require_perm(actor, "opencalls.manage_project")
    proposal = Proposal.objects.select_for_update().select_related("call").get(pk=proposal.pk)
    if proposal.status != ProposalStatus.SELECTED:
        raise PortalError(_("Only a proposal selected for funding becomes a funded project."))
    if FundedProject.objects.filter(proposal=proposal).exists():
        raise PortalError(_("This proposal already has its funded project."))
    version = proposal.current_version
    call = proposal.call
    funding = funding_amount if funding_amount is not None else version.requested_funding
    if funding <= 0 or funding > call.max_funding:
        raise PortalError(
            _("The funding must be above zero and at most %(cap)s.")
            % {"cap": _money(call.max_funding)},
            field="funding_amount",
        )
    duration = version.data.get("duration_months") or version.track.duration_months
    project = FundedProject(
        proposal=proposal,
        call=call,
        track=version.track,
        challenge=version.challenge,
        acronym=version.acronym,
        title=version.title,
        summary=summary if summary is not None else version.data.get("abstract", ""),
        organisation_name=version.organisation_name,
        organisation_country=version.organisation_country,
        agreement_reference=agreement_reference.strip(),
        start_date=start_date,
        end_date=end_date or add_months(start_date, duration),
        funding_amount=funding,
        beneficiary=proposal.applicant,
    )
    project.full_clean()
    project.save()
    project.organisation = organisation_record_beneficiary(
        name=project.organisation_name,
        country=str(project.organisation_country),
        organisation_type=DIRECTORY_TYPES.get(
            version.data.get("organisation", {}).get("type"), DirectoryType.OTHER
        ),
        since=start_date,
        actor=actor,
    )
    project.save(update_fields=["organisation"])

    plan = tranches or [(str(name), pct) for name, pct in DEFAULT_TRANCHES]
    if sum(pct for _name, pct in plan) != 100:
        raise PortalError(_("The tranches' percentages must add up to 100."), field="tranches")
    rows, allotted = [], Decimal(0)
    for order, (name, pct) in enumerate(plan):
        amount = (funding * pct / 100).quantize(Decimal("0.01"))
        if order == len(plan) - 1:
            amount = funding - allotted  # rounding never loses a cent
        allotted += amount
        rows.append(Tranche(project=project, order=order, name=name, percentage=pct, amount=amount))
    Tranche.objects.bulk_create(rows)
    first, *rest = rows
    interim = rest[0] if len(rest) > 1 else (rest[-1] if rest else first)
    final = rest[-1] if rest else first
    midpoint = add_months(project.start_date, duration // 2)
    deliverables = [
        Deliverable(
            project=project,
            tranche=interim if m["month"] * 2 <= duration else final,
            kind=DeliverableKind.MILESTONE,
            title=m["title"],
            description=m.get("description", ""),
            due_date=add_months(project.start_date, m["month"]),
        )
        for m in version.milestones()
    ]
    deliverables += [
        Deliverable(
            project=project,
            tranche=interim,
            kind=DeliverableKind.REPORT,
            title=_("Interim report"),
            due_date=midpoint,
        ),
        Deliverable(
            project=project,
            tranche=final,
            kind=DeliverableKind.REPORT,
            title=_("Final report"),
            due_date=project.end_date,
        ),
    ]
    Deliverable.objects.bulk_create(deliverables)
    for tranche in rows:
        _tranche_refresh(tranche)
    log_action(
        "opencalls.project.create",
        actor=actor,
        target=project,
        data={"proposal": proposal.reference, "funding": str(funding)},
    )
    email_queue(
        to=project.beneficiary.email,
        template="opencalls/project_created",
        context={"project": project, "url": absolute_url("opencalls:project", project.pk)},
    )
    return project


# How an applicant's kind of organisation is filed in the network's directory.
DIRECTORY_TYPES = {
    OrganisationType.UNIVERSITY: DirectoryType.UNIVERSITY,
    OrganisationType.RESEARCH: DirectoryType.RESEARCH_CENTRE,
    OrganisationType.SME: DirectoryType.SME,
    OrganisationType.COMPANY: DirectoryType.LARGE_COMPANY,
    OrganisationType.PUBLIC: DirectoryType.PUBLIC_SECTOR,
    OrganisationType.NGO: DirectoryType.NGO,
    OrganisationType.OTHER: DirectoryType.OTHER,
}

PROJECT_MANAGER_FIELDS = ("status", "end_date", "summary", "outcomes", "website")
PROJECT_TEAM_FIELDS = ("outcomes", "website")


@transaction.atomic
def funded_project_update(*, project: FundedProject, actor, data: dict) -> FundedProject:
    """Managers change the status, end date and public texts; the project's team may update
    its public outcomes and website."""
    require_perm(actor, "opencalls.follow_project", project)
    allowed = (
        PROJECT_MANAGER_FIELDS
        if actor.has_perm("opencalls.manage_project", project)
        else PROJECT_TEAM_FIELDS
    )
    project = FundedProject.objects.select_for_update().get(pk=project.pk)
    changed = [name for name in allowed if name in data and getattr(project, name) != data[name]]
    for name in changed:
        setattr(project, name, data[name])
    project.full_clean()
    if changed:
        project.save(update_fields=[*changed, "updated_at"])
        log_action("opencalls.project.update", actor=actor, target=project, data={"f": changed})
    return project


def _tranche_refresh(tranche: Tranche) -> None:
    """A tranche is requested once every deliverable it depends on is approved, and goes back
    to pending if one of them is not (until it is released)."""
    statuses = list(tranche.deliverables.values_list("status", flat=True))
    ready = all(status == DeliverableStatus.APPROVED for status in statuses)
    target = TrancheStatus.REQUESTED if ready else TrancheStatus.PENDING
    if tranche.status == TrancheStatus.RELEASED or tranche.status == target:
        return
    ensure_transition(TrancheStatus(tranche.status), target, TRANCHE_TRANSITIONS)
    tranche.status = target
    tranche.requested_at = timezone.now() if ready else None
    tranche.save(update_fields=["status", "requested_at"])


@transaction.atomic
def tranche_release(*, tranche: Tranche, actor) -> Tranche:
    """Release a requested payment: every deliverable it depends on is approved. Managers
    only; the team is told."""
    require_perm(actor, "opencalls.manage_project")
    tranche = Tranche.objects.select_for_update().select_related("project").get(pk=tranche.pk)
    if tranche.status != TrancheStatus.REQUESTED:
        raise PortalError(
            _("“%(name)s” cannot be released: its deliverables are not all approved yet.")
            % {"name": tranche.name}
            if tranche.status == TrancheStatus.PENDING
            else _("“%(name)s” has already been released.") % {"name": tranche.name}
        )
    ensure_transition(TrancheStatus(tranche.status), TrancheStatus.RELEASED, TRANCHE_TRANSITIONS)
    tranche.status = TrancheStatus.RELEASED
    tranche.released_at = timezone.now()
    tranche.released_by = actor
    tranche.save(update_fields=["status", "released_at", "released_by"])
    log_action(
        "opencalls.tranche.release",
        actor=actor,
        target=tranche,
        data={"amount": str(tranche.amount)},
    )
    project = tranche.project
    email_queue(
        to=project.team_emails,
        template="opencalls/tranche_released",
        context={"project": project, "tranche": tranche},
    )
    return tranche


@transaction.atomic
def deliverable_add(
    *,
    project: FundedProject,
    actor,
    kind: DeliverableKind,
    title: str,
    due_date: date,
    description: str = "",
    tranche: Tranche | None = None,
) -> Deliverable:
    """Add a deliverable, milestone or report; tied to a tranche not yet released. Managers."""
    require_perm(actor, "opencalls.manage_project")
    if tranche is not None:
        tranche = Tranche.objects.select_for_update().get(pk=tranche.pk)
        if tranche.project_id != project.pk:
            raise PortalError(_("Choose one of this project's tranches."), field="tranche")
        if tranche.status == TrancheStatus.RELEASED:
            raise PortalError(_("This tranche has already been paid."), field="tranche")
    deliverable = Deliverable(
        project=project,
        tranche=tranche,
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        due_date=due_date,
    )
    deliverable.full_clean()
    deliverable.save()
    if tranche is not None:
        _tranche_refresh(tranche)
    log_action("opencalls.deliverable.add", actor=actor, target=deliverable)
    return deliverable


@transaction.atomic
def deliverable_submit(*, deliverable: Deliverable, actor, upload, note: str = "") -> Deliverable:
    """The project's team uploads a deliverable (PDF, checked by content); call managers are
    told it awaits review. A corrected file may replace one not yet reviewed."""
    require_perm(actor, "opencalls.upload_deliverable", deliverable)
    deliverable = (
        Deliverable.objects.select_for_update(of=("self",))
        .select_related("project")
        .get(pk=deliverable.pk)
    )
    ensure_transition(
        DeliverableStatus(deliverable.status), DeliverableStatus.SUBMITTED, DELIVERABLE_TRANSITIONS
    )
    try:
        validate_pdf(upload, max_bytes=DELIVERABLE_MAX_BYTES)
    except ValidationError as error:
        raise PortalError(error.messages[0], field="file", code=error.code) from error
    upload.seek(0)
    sha = hashlib.sha256(upload.read()).hexdigest()
    upload.seek(0)
    submission = DeliverableSubmission(
        deliverable=deliverable,
        file=upload,
        file_name=upload.name[:255],
        file_size=upload.size,
        sha256=sha,
        note=note.strip(),
        submitted_by=actor,
    )
    submission.save()
    deliverable.status = DeliverableStatus.SUBMITTED
    deliverable.submitted_at = submission.submitted_at
    deliverable.save(update_fields=["status", "submitted_at"])
    log_action("opencalls.deliverable.submit", actor=actor, target=deliverable, data={"sha": sha})
    managers = emails_of(Role.CALL_MANAGER)
    if managers:
        email_queue(
            to=managers,
            template="opencalls/deliverable_submitted",
            context={
                "deliverable": deliverable,
                "project": deliverable.project,
                "url": absolute_url("opencalls:project", deliverable.project_id),
            },
        )
    return deliverable


@transaction.atomic
def deliverable_review(
    *, deliverable: Deliverable, actor, approve: bool, message: str = ""
) -> Deliverable:
    """Approve a submitted deliverable, or ask for changes (with a message the team reads).
    An approval that completes a tranche's deliverables requests its payment. Managers."""
    require_perm(actor, "opencalls.review_deliverable", deliverable)
    deliverable = (
        Deliverable.objects.select_for_update(of=("self",))
        .select_related("project", "tranche")
        .get(pk=deliverable.pk)
    )
    if deliverable.status != DeliverableStatus.SUBMITTED:
        raise PortalError(_("Only a submitted deliverable can be reviewed."))
    target = DeliverableStatus.APPROVED if approve else DeliverableStatus.CHANGES_REQUESTED
    if not approve and not message.strip():
        raise PortalError(_("Say what needs to change."), field="message")
    ensure_transition(DeliverableStatus(deliverable.status), target, DELIVERABLE_TRANSITIONS)
    deliverable.status = target
    deliverable.reviewed_at = timezone.now()
    deliverable.reviewed_by = actor
    deliverable.review_message = message.strip()
    deliverable.save(update_fields=["status", "reviewed_at", "reviewed_by", "review_message"])
    if deliverable.tranche_id:
        _tranche_refresh(Tranche.objects.select_for_update().get(pk=deliverable.tranche_id))
    log_action(
        "opencalls.deliverable.review",
        actor=actor,
        target=deliverable,
        data={"outcome": target.value},
    )
    email_queue(
        to=deliverable.project.team_emails,
        template="opencalls/deliverable_reviewed",
        context={
            "deliverable": deliverable,
            "project": deliverable.project,
            "approved": approve,
            "url": absolute_url("opencalls:project", deliverable.project_id),
        },
    )
    return deliverable


@transaction.atomic
def support_session_log(
    *,
    project: FundedProject,
    actor,
    kind: str,
    day: date,
    coach: str,
    topic: str,
    notes: str = "",
) -> SupportSession:
    """Log a coaching session, bootcamp or business-support meeting. Managers only."""
    require_perm(actor, "opencalls.manage_project")
    session = SupportSession(
        project=project,
        kind=kind,
        date=day,
        coach=coach.strip(),
        topic=topic.strip(),
        notes=notes.strip(),
        logged_by=actor,
    )
    session.full_clean()
    session.save()
    log_action("opencalls.support.log", actor=actor, target=project, data={"kind": kind})
    return session


@transaction.atomic
def demo_day_record(
    *, project: FundedProject, actor, event: str, day: date, pitch_title: str, outcome: str = ""
) -> DemoDayPitch:
    """Record the project's pitch at a DemoDay. Managers only."""
    require_perm(actor, "opencalls.manage_project")
    pitch = DemoDayPitch(
        project=project,
        event=event.strip(),
        date=day,
        pitch_title=pitch_title.strip(),
        outcome=outcome.strip(),
    )
    pitch.full_clean()
    pitch.save()
    log_action("opencalls.demoday.record", actor=actor, target=project)
    return pitch


@transaction.atomic
def output_link_add(
    *, project: FundedProject, actor, kind: str, title: str, url: str = "", doi: str = ""
) -> OutputLink:
    """Link an output (publication, dataset, software, demo) to the project; a URL or a DOI.
    The project's team or managers."""
    require_perm(actor, "opencalls.add_output", project)
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", doi.strip(), flags=re.I)
    link = OutputLink(project=project, kind=kind, title=title.strip(), url=url.strip(), doi=doi)
    if not link.url and not link.doi:
        raise PortalError(_("Give a URL or a DOI."), field="url")
    link.full_clean()
    link.save()
    log_action("opencalls.output.add", actor=actor, target=project, data={"title": link.title})
    return link


@transaction.atomic
def output_link_remove(*, link: OutputLink, actor) -> None:
    require_perm(actor, "opencalls.add_output", link.project)
    log_action("opencalls.output.remove", actor=actor, target=link.project, data={"t": link.title})
    link.delete()


# --- Reminders --------------------------------------------------------------------------------


def _remind_once(deliverable: Deliverable, kind: ReminderKind) -> bool:
    """Record a reminder; False when it had been sent already (the unique constraint decides,
    so two workers running at once never both send)."""
    try:
        with transaction.atomic():
            DeliverableReminder.objects.create(
                deliverable=deliverable, kind=kind, due_date=deliverable.due_date
            )
    except IntegrityError:
        return False
    return True


def reminders_send(*, today: date | None = None) -> dict[str, int]:
    """Daily: remind projects' teams of what is due within 7 days and tomorrow, and send call
    managers a digest when items have become overdue. Each reminder is sent once per
    deliverable and due date, however often this runs."""
    from .selectors import outstanding_deliverables

    today = today or timezone.localdate()
    sent = {"due_soon": 0, "due_tomorrow": 0, "overdue": 0}
    upcoming = outstanding_deliverables().filter(
        due_date__gte=today, due_date__lte=today + timedelta(days=7)
    )
    for deliverable in upcoming:
        days_left = (deliverable.due_date - today).days
        kind = ReminderKind.DUE_TOMORROW if days_left <= 1 else ReminderKind.DUE_SOON
        with transaction.atomic():
            if not _remind_once(deliverable, kind):
                continue
            email_queue(
                to=deliverable.project.team_emails,
                template="opencalls/deliverable_due",
                context={
                    "deliverable": deliverable,
                    "project": deliverable.project,
                    "days_left": days_left,
                    "url": absolute_url("opencalls:project", deliverable.project_id),
                },
            )
        sent["due_tomorrow" if kind == ReminderKind.DUE_TOMORROW else "due_soon"] += 1

    overdue = list(outstanding_deliverables().filter(due_date__lt=today))
    with transaction.atomic():
        new = [d for d in overdue if _remind_once(d, ReminderKind.OVERDUE)]
        managers = emails_of(Role.CALL_MANAGER)
        if new and managers:
            new_ids = {d.pk for d in new}
            email_queue(
                to=managers,
                template="opencalls/overdue_digest",
                context={
                    "items": [(d, d.pk in new_ids, (today - d.due_date).days) for d in overdue],
                    "new_count": len(new),
                    "url": absolute_url("opencalls:manage_projects"),
                },
            )
            sent["overdue"] = len(new)
    return sent
