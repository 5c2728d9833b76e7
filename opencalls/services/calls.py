"""Calls: creation, editing, structure (tracks, criteria, checks, FAQ), stages and copies."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from ai4media_portal.core.audit import log_action
from ai4media_portal.core.changes import apply_changes
from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.idempotency import create_once
from ai4media_portal.core.permissions import require_perm
from ai4media_portal.core.validators import validate_pdf
from ai4media_portal.core.workflow import ensure_transition

from ..enums import CALL_STAGE_TRANSITIONS, DECISION_STATES, CallStage, ProposalStatus
from ..models import (
    Call,
    CallFaq,
    Challenge,
    EligibilityItem,
    EvaluationCriterion,
    EvaluationSettings,
    Track,
)
from .workflow import call_record_start, call_write_stage

# The key of the PostgreSQL advisory lock under which calls are numbered: two managers creating
# or copying calls at the same moment would otherwise both take the same next number.
CALL_NUMBERING_LOCK = 951911_0001


def _lock_call_numbering() -> None:
    """Serialise call numbering until the current transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CALL_NUMBERING_LOCK])


def _next_call_number() -> int:
    return (Call.objects.aggregate(n=Max("number"))["n"] or 0) + 1


def _check_guide(guide) -> None:
    if guide:
        try:
            validate_pdf(guide)
        except ValidationError as error:
            raise PortalError(error.messages[0], field="guide", code=error.code) from error


@transaction.atomic
@transaction.atomic
def call_create(*, actor, data: dict, guide=None, form_token=None) -> Call:
    """Create a draft call from ``data`` (any of ``Call.EDITABLE_FIELDS``; without a
    ``number`` it takes the next one). Managers only.

    Idempotent per ``form_token`` (the create form's hidden token): the same token returns the
    call it created, marked ``already_created``, however often or however simultaneously it is
    sent. Numbering is serialised (an advisory lock), so simultaneous creates get consecutive
    numbers; a number already taken is refused beside the field (``ValidationError``)."""
    require_perm(actor, "opencalls.manage_calls")
    _check_guide(guide)

    def create() -> Call:
        _lock_call_numbering()
        call = Call(stage=CallStage.DRAFT, created_by=actor, form_token=form_token)
        apply_changes(call, data, Call.EDITABLE_FIELDS)
        if call.number is None:
            call.number = _next_call_number()
        if guide:
            call.guide = guide
        # A token already used is settled by create_once (the unique constraint), not refused.
        call.full_clean(exclude=["form_token"])
        call.save()
        call_record_start(call, actor)
        log_action("opencalls.call.create", actor=actor, target=call)
        return call

    call, created = create_once(
        Call, form_token=form_token, owner_field="created_by", owner=actor, create=create
    )
    call.already_created = not created
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
    changed = apply_changes(call, data, Call.EDITABLE_FIELDS)
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
        _sync_rows(call.tracks.all(), tracks, Track.EDITABLE_FIELDS, {"call": call})
    if challenges is not None:
        for row in challenges:
            track = row.get("track")
            if not row.get("DELETE") and (track is None or track.call_id != call.pk):
                raise PortalError(_("Choose one of this call's tracks."), field="track")
        _sync_rows(
            Challenge.objects.filter(track__call=call), challenges, Challenge.EDITABLE_FIELDS, {}
        )
    if criteria is not None:
        _sync_rows(
            call.criteria.all(), criteria, EvaluationCriterion.EDITABLE_FIELDS, {"call": call}
        )
    if checklist is not None:
        _sync_rows(call.checklist.all(), checklist, EligibilityItem.EDITABLE_FIELDS, {"call": call})
    if faqs is not None:
        _sync_rows(call.faqs.all(), faqs, CallFaq.EDITABLE_FIELDS, {"call": call})
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
def call_set_stage(*, call: Call, actor, stage: CallStage, message: str = "") -> Call:
    """Move a call to ``stage``: publish a complete draft, unpublish before opening, start the
    evaluation after the deadline, publish results once every proposal has a final outcome.

    The one way a call's stage changes. Managers only; the call's row is locked; the move must
    be in ``CALL_STAGE_TRANSITIONS`` (``PortalError`` ``invalid_transition``) and meet the
    stage's condition (``PortalError``). The step is recorded in the call's history
    (``CallStageChange``, with ``message``) and logged (``opencalls.call.stage``)."""
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
    call_write_stage(call=call, to=stage, actor=actor, message=message)
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
def call_copy(*, call: Call, actor, form_token=None) -> Call:
    """A new draft call with the next number, a copy of ``call``'s settings (its evaluation
    settings included), tracks, challenges, criteria, checklist and FAQ, and its dates moved on
    by whole years so that it opens in the future. The guide for applicants is not copied.
    Managers only.

    Idempotent per ``form_token`` (the editor's hidden token): sent again, it returns the copy
    it made, marked ``already_created``. Numbered under the same lock as ``call_create``."""
    require_perm(actor, "opencalls.manage_calls")
    copy, created = create_once(
        Call,
        form_token=form_token,
        owner_field="created_by",
        owner=actor,
        create=lambda: _copy(call, actor, form_token),
    )
    copy.already_created = not created
    return copy


def _copy(call: Call, actor, form_token) -> Call:
    _lock_call_numbering()
    years = _next_opening_year(call, timezone.now())
    copy = Call(
        **{name: getattr(call, name) for name in Call.EDITABLE_FIELDS},
        stage=CallStage.DRAFT,
        created_by=actor,
        form_token=form_token,
    )
    copy.number = _next_call_number()
    copy.title = _("Copy of %(title)s") % {"title": call.title}
    copy.opens_at = _shift_years(call.opens_at, years)
    copy.closes_at = _shift_years(call.closes_at, years)
    copy.full_clean(exclude=["form_token"])
    copy.save()
    call_record_start(copy, actor)
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
