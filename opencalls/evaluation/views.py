"""Pages of the evaluation: the evaluators' queue, proposals and reviews; the call managers'
pool, conflicts, assignment matrix and runs, progress, consensus, ranking, interviews and
decisions; the applicants' Evaluation Summary Report and interview booking.

Every write goes through ``services``. Every evaluator lookup goes through
``selectors.evaluator_assignments``, so a proposal that is not assigned to the evaluator, or
that they are conflicted on, is not found (404) — on pages, documents and exports alike.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.exports import tabular_response
from ai4media_portal.core.files import private_file_response
from ai4media_portal.core.forms import add_portal_error

from .. import selectors as call_selectors
from ..enums import CallStage, ProposalStatus
from ..models import Call, Proposal
from . import selectors, services
from .enums import ConflictSource, ConsensusStatus, InterviewStatus, PoolStatus, RunStatus
from .forms import (
    BookForm,
    ConsensusForm,
    DecisionsForm,
    DeclareConflictForm,
    DeclareOrganisationForm,
    DeclineForm,
    DismissForm,
    EvaluationSettingsForm,
    ExtendForm,
    InterviewRecordForm,
    InviteForm,
    JoinForm,
    PoolMemberForm,
    ProfileForm,
    RapporteurForm,
    ReviewForm,
    SlotForm,
    in_call_timezone,
)
from .models import (
    Assignment,
    AssignmentRun,
    Conflict,
    ConsensusReport,
    EvaluatorProfile,
    Interview,
    InterviewSlot,
    Invitation,
    PoolMember,
)
from .terms import TERMS_VERSION
from .wording import issue_text

PROGRESS_TEXT = {
    "Queued": gettext_lazy("Waiting for a worker"),
    "Detecting conflicts of interest": gettext_lazy("Detecting conflicts of interest"),
    "Reading proposals and evaluators": gettext_lazy("Reading proposals and evaluators"),
    "Computing affinities": gettext_lazy("Computing affinities"),
    "Checking conflicts, locks and capacities": gettext_lazy(
        "Checking conflicts, locks and capacities"
    ),
    "Finding the highest possible total affinity": gettext_lazy(
        "Finding the highest possible total affinity"
    ),
    "Balancing evaluator loads": gettext_lazy("Balancing evaluator loads"),
    "Checking the assignment": gettext_lazy("Checking the assignment"),
    "Saving the assignment": gettext_lazy("Saving the assignment"),
    "Done": gettext_lazy("Done"),
    "Nothing to assign.": gettext_lazy("Nothing to assign."),
    "No assignment is possible.": gettext_lazy("No assignment is possible."),
    "The run failed unexpectedly.": gettext_lazy("The run failed unexpectedly."),
    "Assignments changed during the run.": gettext_lazy("Assignments changed during the run."),
    "The run stopped without finishing.": gettext_lazy("The run stopped without finishing."),
}


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _form_error(form, error) -> None:
    if isinstance(error, PortalError):
        add_portal_error(form, error)
    elif hasattr(error, "error_dict"):
        for name, field_errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


# --- Evaluators -------------------------------------------------------------------------------


@login_required
def home(request):
    """The evaluator's page: invitations to answer, the queue with deadlines, their pools
    (with a form to declare a conflict with an applicant organisation) and their profile."""
    user = request.user
    return render(
        request,
        "opencalls/evaluation/home.html",
        {
            "invitations": selectors.evaluator_invitations(user=user),
            "queue": selectors.evaluator_queue(user=user),
            "pools": selectors.evaluator_pools(user=user),
            "is_evaluator": selectors.is_evaluator(user),
            "declare_form": DeclareOrganisationForm(),
            "has_profile": EvaluatorProfile.objects.filter(user=user).exists(),
        },
    )


@login_required
def profile(request):
    instance = EvaluatorProfile.objects.filter(user=request.user).first()
    form = ProfileForm(
        request.POST or None, instance=instance or EvaluatorProfile(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluator_profile_save(
                user=request.user,
                actor=request.user,
                data=form.profile_data(),
                expertise=form.cleaned_data["expertise"],
            )
        except (PortalError, ValidationError) as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Your evaluator profile is saved."))
            return redirect("opencalls:evaluation:home")
    return render(
        request,
        "opencalls/evaluation/profile.html",
        {"form": form},
        status=422 if request.method == "POST" else 200,
    )


def invitation(request, token: str):
    """An invitation link: anyone may open it; signing up or in comes first, then the link
    joins the account to the call's pool and leads to the terms."""
    found = services.invitation_for_token(token)
    problem = services.invitation_problem(
        found, request.user if request.user.is_authenticated else None
    )
    if problem:
        return render(
            request, "opencalls/evaluation/invitation.html", {"problem": problem}, status=404
        )
    if not request.user.is_authenticated:
        return render(
            request,
            "opencalls/evaluation/invitation.html",
            {"invitation": found, "next": request.get_full_path()},
        )
    try:
        member = services.invitation_claim(token=token, user=request.user)
    except PortalError as error:
        return render(
            request, "opencalls/evaluation/invitation.html", {"problem": error.message}, status=404
        )
    if member.status == PoolStatus.ACCEPTED:
        messages.info(request, _("You are already in this call's pool."))
        return redirect("opencalls:evaluation:home")
    return redirect("opencalls:evaluation:join", number=member.call.number)


def _invited_membership(request, number: int) -> PoolMember:
    member = (
        PoolMember.objects.select_related("call", "invited_by")
        .filter(call__number=number, evaluator=request.user)
        .exclude(call__stage=CallStage.RESULTS_PUBLISHED)
        .first()
    )
    if member is None:
        raise Http404
    return member


@login_required
def join(request, number: int):
    """The terms of the call (confidentiality, conflicts of interest), the evaluator's profile
    and how many proposals they take: accept, or decline."""
    member = _invited_membership(request, number)
    if member.status == PoolStatus.ACCEPTED:
        return redirect("opencalls:evaluation:home")
    profile_instance = EvaluatorProfile.objects.filter(user=request.user).first()
    data = request.POST if request.method == "POST" else None
    join_form = JoinForm(
        data,
        initial={
            "max_proposals": member.max_proposals,
            "availability": getattr(profile_instance, "availability", ""),
        },
    )
    profile_form = ProfileForm(
        data,
        instance=profile_instance or EvaluatorProfile(user=request.user),
        prefix="profile",
        joining=True,
    )
    decline_form = DeclineForm()
    if request.method == "POST":
        if request.POST.get("action") == "decline":
            decline_form = DeclineForm(request.POST)
            if decline_form.is_valid():
                services.pool_decline(
                    member=member, actor=request.user, reason=decline_form.cleaned_data["reason"]
                )
                messages.info(request, _("You declined. Thank you for letting us know."))
                return redirect("opencalls:evaluation:home")
        else:
            valid = [join_form.is_valid(), profile_form.is_valid()]
            if all(valid):
                try:
                    services.pool_accept(
                        member=member,
                        actor=request.user,
                        accept_terms=join_form.cleaned_data["accept_terms"],
                        max_proposals=join_form.cleaned_data["max_proposals"],
                        availability=join_form.cleaned_data["availability"],
                        profile=profile_form.profile_data(),
                        expertise=profile_form.cleaned_data["expertise"],
                    )
                except PortalError as error:
                    target = join_form if error.field in join_form.fields else profile_form
                    add_portal_error(target, error)
                except ValidationError as error:
                    _form_error(profile_form, error)
                else:
                    messages.success(
                        request,
                        _(
                            "Welcome to the pool of Open Call #%(n)s. You will be told when "
                            "proposals are assigned to you."
                        )
                        % {"n": member.call.number},
                    )
                    return redirect("opencalls:evaluation:home")
    return render(
        request,
        "opencalls/evaluation/join.html",
        {
            "member": member,
            "call": member.call,
            "join_form": join_form,
            "profile_form": profile_form,
            "decline_form": decline_form,
            "terms_version": TERMS_VERSION,
            "settings": selectors.settings_for(member.call),
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def declare_organisation(request, number: int):
    call = get_object_or_404(Call, number=number)
    form = DeclareOrganisationForm(request.POST)
    if form.is_valid():
        try:
            services.conflict_declare_organisation(
                call=call, actor=request.user, organisation=form.cleaned_data["organisation"]
            )
        except PermissionDenied as error:
            raise Http404 from error
        except PortalError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _(
                    "Recorded. If this organisation applied to Open Call #%(n)s, its proposal "
                    "will not be assigned to you."
                )
                % {"n": call.number},
            )
    return redirect(reverse("opencalls:evaluation:home") + "#pools")


def _assignment_or_404(request, pk: int) -> Assignment:
    assignment = selectors.evaluator_assignment(user=request.user, proposal_id=pk)
    if assignment is None:
        raise Http404
    return assignment


def _review_page(request, assignment, *, form=None, conflict_form=None, status=200):
    call = assignment.call
    proposal = assignment.proposal
    version = proposal.current_version
    settings = selectors.settings_for(call)
    criteria = selectors.criteria_of(call)
    review = selectors.review_of(assignment)
    values = selectors.review_values(review)
    submitted = review is not None and review.is_submitted
    rules = selectors.scoring_rules(call, criteria=criteria, settings=settings)
    outcome = reasons = None
    if submitted:
        from ..engine.scoring import evaluate
        from .wording import reason_text

        given = {
            str(c.pk): values[c.pk].score
            for c in criteria
            if c.pk in values and values[c.pk].score is not None
        }
        outcome = evaluate(given, rules)
        reasons = [reason_text(r, selectors.criterion_names(criteria)) for r in outcome.reasons]
    deadline = assignment.deadline(settings.review_deadline)
    report = getattr(proposal, "consensus", None)
    return render(
        request,
        "opencalls/evaluation/proposal.html",
        {
            "assignment": assignment,
            "proposal": proposal,
            "call": call,
            "version": version,
            "data": selectors.redacted_version_data(
                version, hide_identity=settings.hide_applicant_identity
            ),
            "blind": settings.hide_applicant_identity,
            "criteria": criteria,
            "overall_threshold": call.overall_threshold,
            "max_total": rules.max_total,
            "review": review,
            "submitted": submitted,
            "form": form or ReviewForm(criteria=criteria, values=values, review=review),
            "conflict_form": conflict_form or DeclareConflictForm(),
            "outcome": outcome,
            "reasons": reasons,
            "peers": selectors.peer_reviews(assignment=assignment, criteria=criteria),
            "deadline": deadline,
            "overdue": deadline is not None and timezone.now() >= deadline and not submitted,
            "is_rapporteur": report is not None and report.rapporteur_id == request.user.pk,
        },
        status=status,
    )


@login_required
def proposal(request, pk: int):
    """An assigned proposal as the evaluator reads it (redacted in a blind call), with the
    review form (saving as a draft; submitting locks it) and, once submitted, the outcome and
    the other evaluators' submitted reviews without their names."""
    assignment = _assignment_or_404(request, pk)
    if request.method != "POST":
        return _review_page(request, assignment)
    criteria = selectors.criteria_of(assignment.call)
    review = selectors.review_of(assignment)
    form = ReviewForm(
        request.POST, criteria=criteria, values=selectors.review_values(review), review=review
    )
    form.is_valid()
    try:
        outcome = services.review_save_draft(
            assignment=assignment,
            actor=request.user,
            scores=form.scores(),
            comments=form.comments(),
            overall_comment=request.POST.get("overall_comment", ""),
        )
    except PortalError as error:
        add_portal_error(form, error)
        return _review_page(request, assignment, form=form, status=422)
    if outcome.errors:
        form.add_errors(outcome.errors)
        return _review_page(request, assignment, form=form, status=422)
    if request.POST.get("action") != "submit":
        messages.success(request, _("Draft saved."))
        return redirect("opencalls:evaluation:proposal", pk=pk)
    try:
        services.review_submit(assignment=assignment, actor=request.user)
    except ValidationError as error:
        form.add_errors(error.message_dict)
        return _review_page(request, assignment, form=form, status=422)
    except PortalError as error:
        add_portal_error(form, error)
        return _review_page(request, assignment, form=form, status=422)
    messages.success(request, _("Your review is submitted."))
    return redirect("opencalls:evaluation:proposal", pk=pk)


@login_required
@require_POST
def review_autosave(request, pk: int):
    """htmx: save the review draft in the background and say what was not saved."""
    assignment = _assignment_or_404(request, pk)
    criteria = selectors.criteria_of(assignment.call)
    form = ReviewForm(request.POST, criteria=criteria)
    errors = []
    saved = False
    try:
        outcome = services.review_save_draft(
            assignment=assignment,
            actor=request.user,
            scores=form.scores(),
            comments=form.comments(),
            overall_comment=request.POST.get("overall_comment", ""),
        )
    except PortalError as error:
        errors = [error.message]
    else:
        saved = True
        for name, field_errors in outcome.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            errors.extend(f"{label}: {e}" for e in field_errors)
    return render(
        request,
        "opencalls/_autosave_status.html",
        {"saved": saved and not errors, "partly": saved and errors, "errors": errors},
    )


@login_required
def document(request, pk: int):
    """The submitted version's PDF, for its assigned, non-conflicted evaluators."""
    assignment = _assignment_or_404(request, pk)
    version = assignment.proposal.current_version
    return private_file_response(version.document, download_name=f"{version.reference}.pdf")


@login_required
@require_POST
def declare_conflict(request, pk: int):
    assignment = _assignment_or_404(request, pk)
    form = DeclareConflictForm(request.POST)
    if form.is_valid():
        try:
            services.conflict_declare(
                proposal=assignment.proposal,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except PortalError as error:
            add_portal_error(form, error)
        else:
            messages.success(
                request,
                _("Conflict of interest recorded: the proposal is no longer assigned to you."),
            )
            return redirect("opencalls:evaluation:home")
    return _review_page(request, assignment, conflict_form=form, status=422)


@login_required
def my_reviews_export(request):
    """The evaluator's own submitted reviews (CSV or Excel) in a call under evaluation."""
    number = request.GET.get("call", "")
    fmt = request.GET.get("format", "csv")
    if not number.isdigit() or fmt not in {"csv", "xlsx"}:
        raise Http404
    call = get_object_or_404(Call, number=int(number), stage=CallStage.UNDER_EVALUATION)
    if not selectors.evaluator_assignments(user=request.user).filter(call=call).exists():
        raise Http404
    headers, rows = selectors.score_export_rows(call, evaluator=request.user)
    return tabular_response(
        fmt, headers, rows, filename=f"{call.reference_prefix}-my-reviews", title="My reviews"
    )


# --- Consensus (rapporteur and call managers) -------------------------------------------------


def _consensus_proposal(request, pk: int) -> Proposal:
    """The proposal whose consensus the user may write: a call manager, or its rapporteur
    (through their own visible assignment). Others: 404."""
    if request.user.has_perm("opencalls.manage_evaluation"):
        proposal = get_object_or_404(
            Proposal.objects.select_related("call", "current_version"), pk=pk
        )
        if not selectors.in_evaluation(proposal.call).filter(pk=proposal.pk).exists():
            raise Http404
        return proposal
    assignment = _assignment_or_404(request, pk)
    report = getattr(assignment.proposal, "consensus", None)
    if report is None or not request.user.has_perm("opencalls.write_consensus", report):
        raise Http404
    return assignment.proposal


@login_required
def consensus(request, pk: int):
    """The consensus report: the evaluators' submitted reviews side by side (anonymised for
    the rapporteur), the flags, and the agreed scores and comments; save, then finalise."""
    proposal = _consensus_proposal(request, pk)
    call = proposal.call
    manager = request.user.has_perm("opencalls.manage_evaluation")
    criteria = selectors.criteria_of(call)
    report = getattr(proposal, "consensus", None)
    values = selectors.consensus_values(report)
    analysis = selectors.call_analysis(call, criteria=criteria)
    suggestion = analysis.suggestions.get(proposal.pk)
    initial = {int(k): v for k, v in suggestion.scores.items()} if suggestion else {}
    form = ConsensusForm(
        request.POST or None,
        criteria=criteria,
        values=values,
        initial_scores=initial,
        report=report,
    )
    status = 200
    if request.method == "POST":
        form.is_valid()
        try:
            outcome = services.consensus_save(
                proposal=proposal,
                actor=request.user,
                scores=form.scores(),
                comments=form.comments(),
                summary=request.POST.get("summary", ""),
            )
            if outcome.errors:
                form.add_errors(outcome.errors)
                status = 422
            elif request.POST.get("action") == "finalise":
                services.consensus_finalise(proposal=proposal, actor=request.user)
                messages.success(request, _("The consensus is final."))
                return redirect("opencalls:evaluation:consensus", pk=pk)
            else:
                messages.success(request, _("Consensus draft saved."))
                return redirect("opencalls:evaluation:consensus", pk=pk)
        except ValidationError as error:
            form.add_errors(error.message_dict)
            status = 422
        except PortalError as error:
            add_portal_error(form, error)
            status = 422
        report = getattr(Proposal.objects.get(pk=proposal.pk), "consensus", None)
    assignments = list(
        Assignment.objects.filter(proposal=proposal)
        .select_related("review", "evaluator")
        .prefetch_related("review__scores")
        .order_by("pk")
    )
    letters = selectors.evaluator_letters(assignments)
    rows = selectors.proposal_reviews_for_manager(proposal, criteria=criteria, analysis=analysis)
    for row in rows:
        row.label = letters.get(row.assignment.pk, "")
    settings = selectors.settings_for(call)
    return render(
        request,
        "opencalls/evaluation/consensus.html",
        {
            "proposal": proposal,
            "call": call,
            "version": proposal.current_version,
            "report": report,
            "form": form,
            "rows": rows,
            "criteria": criteria,
            "manager": manager,
            "flags": analysis.flag_texts(proposal.pk),
            "suggestion": suggestion,
            "overall_threshold": call.overall_threshold,
            "max_total": analysis.rules.max_total,
            "blind": settings.hide_applicant_identity and not manager,
        },
        status=status,
    )


# --- Applicants -------------------------------------------------------------------------------


def _esr_or_404(request, pk: int):
    proposal = get_object_or_404(
        call_selectors.proposals_visible(user=request.user).select_related(
            "current_version__track"
        ),
        pk=pk,
    )
    if not request.user.has_perm("opencalls.view_esr", proposal):
        raise Http404
    report = selectors.summary_report(proposal)
    if report is None:
        raise Http404
    return report


@login_required
def esr(request, pk: int):
    """The Evaluation Summary Report: for the applicant once the results are published (call
    managers may preview it). Consensus scores and comments; never an evaluator's name."""
    report = _esr_or_404(request, pk)
    return render(request, "opencalls/evaluation/esr.html", {"report": report})


@login_required
def esr_pdf(request, pk: int):
    from .pdf import summary_report_pdf

    report = _esr_or_404(request, pk)
    response = HttpResponse(summary_report_pdf(report), content_type="application/pdf")
    name = f"{report.proposal.reference}-evaluation-summary.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def interview_book(request, pk: int):
    """The applicant books a free slot for their interview (or changes it)."""
    proposal = get_object_or_404(call_selectors.proposals_visible(user=request.user), pk=pk)
    interview = Interview.objects.filter(proposal=proposal).select_related("slot", "call").first()
    if interview is None or not request.user.has_perm("opencalls.book_interview", interview):
        raise Http404
    call = proposal.call
    free = InterviewSlot.objects.filter(call=call, starts_at__gt=timezone.now()).filter(
        interview__isnull=True
    )
    if interview.slot_id:
        free = free | InterviewSlot.objects.filter(pk=interview.slot_id)
    form = BookForm(request.POST or None, slots=free.order_by("starts_at"), call=call)
    can_book = interview.status in {InterviewStatus.INVITED, InterviewStatus.BOOKED}
    if request.method == "POST" and can_book and form.is_valid():
        try:
            services.interview_book(
                interview=interview, actor=request.user, slot=form.cleaned_data["slot"]
            )
        except PortalError as error:
            add_portal_error(form, error)
        else:
            messages.success(request, _("Your interview is booked; the details are on their way."))
            return redirect("opencalls:evaluation:interview_book", pk=pk)
    return render(
        request,
        "opencalls/evaluation/interview_book.html",
        {"proposal": proposal, "interview": interview, "form": form, "can_book": can_book},
        status=422 if request.method == "POST" else 200,
    )


# --- Call managers ----------------------------------------------------------------------------


def _managed_call(request, number: int) -> Call:
    _require(request, "opencalls.manage_evaluation")
    return get_object_or_404(Call.objects.with_status(), number=number)


def _manager_context(call, active: str, **extra) -> dict:
    return {"call": call, "active": active, "settings": selectors.settings_for(call), **extra}


@login_required
def manage(request, number: int):
    """Progress: reviews submitted and overdue per evaluator, and the proposals with their
    reviews, disagreement flags (flagged first) and consensus state."""
    call = _managed_call(request, number)
    progress = selectors.call_progress(call)
    return render(
        request,
        "opencalls/evaluation/manage/overview.html",
        _manager_context(call, "overview", progress=progress, run=selectors.latest_run(call)),
    )


@login_required
def manage_settings(request, number: int):
    call = _managed_call(request, number)
    settings = selectors.settings_for(call)
    form = EvaluationSettingsForm(request.POST or None, instance=settings, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(call=call, actor=request.user, data=form.settings_data())
        except (PortalError, ValidationError) as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Evaluation settings saved."))
            return redirect("opencalls:evaluation:manage_settings", number=number)
    return render(
        request,
        "opencalls/evaluation/manage/settings.html",
        _manager_context(call, "settings", form=form),
        status=422 if request.method == "POST" else 200,
    )


@login_required
def manage_pool(request, number: int):
    """The pool: invite experts by email; see who accepted (and which terms), their loads
    and maxima; pending invitations."""
    call = _managed_call(request, number)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluator_invite(
                call=call,
                actor=request.user,
                email=form.cleaned_data["email"],
                max_proposals=form.cleaned_data["max_proposals"],
                message=form.cleaned_data["message"],
            )
        except PortalError as error:
            add_portal_error(form, error)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("opencalls:evaluation:manage_pool", number=number)
    return render(
        request,
        "opencalls/evaluation/manage/pool.html",
        _manager_context(
            call,
            "pool",
            form=form,
            members=selectors.call_pool(call),
            invitations=selectors.pending_invitations(call),
            terms_version=TERMS_VERSION,
        ),
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def pool_member(request, number: int, pk: int):
    call = _managed_call(request, number)
    member = get_object_or_404(PoolMember, pk=pk, call=call)
    form = PoolMemberForm(request.POST)
    if form.is_valid():
        try:
            services.pool_update(
                member=member, actor=request.user, max_proposals=form.cleaned_data["max_proposals"]
            )
        except PortalError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Maximum updated."))
    else:
        messages.error(request, _("Give a whole number from 0 to 200."))
    return redirect("opencalls:evaluation:manage_pool", number=number)


@login_required
@require_POST
def invitation_revoke(request, number: int, pk: int):
    call = _managed_call(request, number)
    invitation = get_object_or_404(Invitation, pk=pk, call=call)
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Invitation withdrawn."))
    return redirect("opencalls:evaluation:manage_pool", number=number)


@login_required
def manage_conflicts(request, number: int):
    """Every conflict of the call: detected ones to confirm or dismiss (with a reason, audited),
    declared ones; and a button to detect again."""
    call = _managed_call(request, number)
    if request.method == "POST":
        counts = services.conflicts_detect(call=call, actor=request.user)
        messages.success(
            request,
            _("Conflicts checked: %(new)s new, %(removed)s no longer detected.") % counts,
        )
        return redirect("opencalls:evaluation:manage_conflicts", number=number)
    conflicts = list(selectors.call_conflicts(call))
    return render(
        request,
        "opencalls/evaluation/manage/conflicts.html",
        _manager_context(
            call,
            "conflicts",
            conflicts=conflicts,
            dismiss_form=DismissForm(),
            ConflictSource=ConflictSource,
        ),
    )


@login_required
@require_POST
def conflict_action(request, number: int, pk: int):
    call = _managed_call(request, number)
    conflict = get_object_or_404(Conflict, pk=pk, call=call)
    action = request.POST.get("action")
    try:
        if action == "confirm":
            services.conflict_confirm(conflict=conflict, actor=request.user)
            messages.success(request, _("Conflict confirmed."))
        elif action == "dismiss":
            form = DismissForm(request.POST)
            form.is_valid()
            services.conflict_dismiss(
                conflict=conflict, actor=request.user, reason=form.cleaned_data.get("reason", "")
            )
            messages.success(request, _("Conflict dismissed."))
        else:
            raise Http404
    except PortalError as error:
        messages.error(request, error.message)
    return redirect(reverse("opencalls:evaluation:manage_conflicts", args=[number]) + f"#c{pk}")


@login_required
def manage_assignments(request, number: int):
    """The assignment matrix: proposals × evaluators with affinity, current assignments (locked
    or not, review state), conflict marks and loads; assign, unassign and lock by hand; run the
    automatic assignment; notify evaluators of their new assignments."""
    call = _managed_call(request, number)
    if request.method == "POST":
        return _matrix_action(request, call)
    page = Paginator(selectors.matrix_proposals(call), 40).get_page(request.GET.get("page"))
    matrix = selectors.assignment_matrix(call, page.object_list)
    run = selectors.latest_run(call)
    return render(
        request,
        "opencalls/evaluation/manage/assignments.html",
        _manager_context(
            call,
            "assignments",
            page=page,
            matrix=matrix,
            run=run,
            run_issues=[issue_text(i) for i in (run.issues if run else [])],
            progress_text=_progress_text(run),
        ),
    )


def _matrix_action(request, call):
    action = request.POST.get("action")
    page = request.POST.get("page", "")
    target = reverse("opencalls:evaluation:manage_assignments", args=[call.number])
    if page.isdigit():
        target += f"?page={page}"
    try:
        if action in {"assign", "assign-lock"}:
            proposal = get_object_or_404(Proposal, pk=_int(request.POST.get("proposal")), call=call)
            evaluator = get_object_or_404(get_user_model(), pk=_int(request.POST.get("evaluator")))
            services.assignment_add(
                proposal=proposal,
                evaluator=evaluator,
                actor=request.user,
                locked=action == "assign-lock",
            )
            messages.success(
                request,
                _("%(name)s assigned to %(ref)s.")
                % {"name": evaluator.display_name, "ref": proposal.reference},
            )
            target += f"#p{proposal.pk}"
        elif action in {"unassign", "lock", "unlock"}:
            assignment = get_object_or_404(
                Assignment.objects.select_related("proposal", "evaluator", "call"),
                pk=_int(request.POST.get("assignment")),
                call=call,
            )
            if action == "unassign":
                services.assignment_remove(assignment=assignment, actor=request.user)
                messages.success(request, _("Assignment removed."))
            else:
                services.assignment_lock(
                    assignment=assignment, actor=request.user, locked=action == "lock"
                )
            target += f"#p{assignment.proposal_id}"
        else:
            raise Http404
    except PortalError as error:
        messages.error(request, error.message)
    return redirect(target)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise Http404 from error


@login_required
@require_POST
def run_start(request, number: int):
    call = _managed_call(request, number)
    try:
        run = services.assignment_run_start(call=call, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("opencalls:evaluation:manage_assignments", number=number)
    return redirect("opencalls:evaluation:run", number=number, pk=run.pk)


def _progress_text(run) -> str:
    if run is None:
        return ""
    return str(PROGRESS_TEXT.get(run.message, run.message))


@login_required
def run(request, number: int, pk: int):
    """A run's progress: the page polls it every second with htmx (and refreshes itself
    without JavaScript) until the run is done, then shows the outcome."""
    call = _managed_call(request, number)
    run = get_object_or_404(AssignmentRun.objects.select_related("actor"), pk=pk, call=call)
    context = _manager_context(
        call,
        "assignments",
        run=run,
        issues=[issue_text(i) for i in run.issues],
        progress_text=_progress_text(run),
        RunStatus=RunStatus,
    )
    if request.headers.get("HX-Request"):
        return render(request, "opencalls/evaluation/manage/_run_status.html", context)
    return render(request, "opencalls/evaluation/manage/run.html", context)


@login_required
@require_POST
def notify(request, number: int):
    call = _managed_call(request, number)
    try:
        told = services.assignments_notify(call=call, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(count)s evaluators were told of their new assignments.") % {"count": told}
        )
    return redirect("opencalls:evaluation:manage_assignments", number=number)


@login_required
def manage_proposal(request, number: int, pk: int):
    """One proposal's evaluation for call managers: each evaluator's review with their total
    and z-score, the disagreement flags, the rapporteur, deadline extensions and the consensus."""
    call = _managed_call(request, number)
    proposal = get_object_or_404(
        Proposal.objects.select_related("current_version__track", "current_version__challenge"),
        pk=pk,
        call=call,
    )
    criteria = selectors.criteria_of(call)
    analysis = selectors.call_analysis(call, criteria=criteria)
    rows = selectors.proposal_reviews_for_manager(proposal, criteria=criteria, analysis=analysis)
    evaluators = (
        get_user_model()
        .objects.filter(pk__in=[r.assignment.evaluator_id for r in rows])
        .exclude(conflicts__proposal=proposal, conflicts__active=True)
    )
    report = getattr(proposal, "consensus", None)
    suggestion = analysis.suggestions.get(proposal.pk)
    rapporteur_form = RapporteurForm(
        request.POST if request.POST.get("action") == "rapporteur" else None,
        evaluators=evaluators,
        initial={"rapporteur": getattr(report, "rapporteur_id", None)},
    )
    extend_form = ExtendForm(request.POST if request.POST.get("action") == "extend" else None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "rapporteur" and rapporteur_form.is_valid():
                services.consensus_set_rapporteur(
                    proposal=proposal,
                    actor=request.user,
                    rapporteur=rapporteur_form.cleaned_data["rapporteur"],
                )
                messages.success(request, _("Rapporteur chosen; they have been told."))
                return redirect("opencalls:evaluation:manage_proposal", number=number, pk=pk)
            if action == "extend" and extend_form.is_valid():
                assignment = get_object_or_404(
                    Assignment, pk=_int(request.POST.get("assignment")), proposal=proposal
                )
                services.assignment_extend(
                    assignment=assignment,
                    actor=request.user,
                    until=in_call_timezone(extend_form.cleaned_data["until"], call),
                )
                messages.success(request, _("Deadline extended; the evaluator has been told."))
                return redirect("opencalls:evaluation:manage_proposal", number=number, pk=pk)
            if action == "reopen":
                services.consensus_reopen(proposal=proposal, actor=request.user)
                messages.success(request, _("The consensus is open for changes again."))
                return redirect("opencalls:evaluation:manage_proposal", number=number, pk=pk)
        except PortalError as error:
            add_portal_error(rapporteur_form if action == "rapporteur" else extend_form, error)
        status = 422
    return render(
        request,
        "opencalls/evaluation/manage/proposal.html",
        _manager_context(
            call,
            "overview",
            proposal=proposal,
            version=proposal.current_version,
            rows=rows,
            criteria=criteria,
            flags=analysis.flag_texts(proposal.pk),
            report=report,
            consensus_rows=[(c, selectors.consensus_values(report).get(c.pk)) for c in criteria],
            rapporteur_form=rapporteur_form,
            extend_form=extend_form,
            suggestion=suggestion,
            suggestion_rows=[(c, suggestion.scores.get(str(c.pk))) for c in criteria]
            if suggestion
            else [],
        ),
        status=status,
    )


@login_required
def ranking(request, number: int):
    """The ranking per track (or of the whole call): the budget line, the reserve list,
    proposals below a threshold with their reasons, how ties were broken."""
    call = _managed_call(request, number)
    whole = request.GET.get("view") == "call"
    rankings = selectors.call_ranking(call, whole_call=whole)
    return render(
        request,
        "opencalls/evaluation/manage/ranking.html",
        _manager_context(call, "ranking", rankings=rankings, whole=whole),
    )


@login_required
def interviews(request, number: int):
    """Interviews: invite the top proposals of each track, offer slots, record the panel's
    score and notes."""
    call = _managed_call(request, number)
    slot_form = SlotForm(request.POST if request.POST.get("action") == "slot" else None)
    record_forms = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "invite":
                invited = services.interviews_invite(call=call, actor=request.user)
                messages.success(
                    request,
                    _("%(count)s applicants were invited to an interview.")
                    % {"count": len(invited)},
                )
                return redirect("opencalls:evaluation:interviews", number=number)
            if action == "slot" and slot_form.is_valid():
                services.interview_slot_add(
                    call=call,
                    actor=request.user,
                    starts_at=in_call_timezone(slot_form.cleaned_data["starts_at"], call),
                    duration_minutes=slot_form.cleaned_data["duration_minutes"],
                    location=slot_form.cleaned_data["location"],
                )
                messages.success(request, _("Slot added."))
                return redirect("opencalls:evaluation:interviews", number=number)
            if action == "record":
                interview = get_object_or_404(
                    Interview, pk=_int(request.POST.get("interview")), call=call
                )
                form = InterviewRecordForm(request.POST, prefix=f"i{interview.pk}")
                record_forms[interview.pk] = form
                if form.is_valid():
                    try:
                        services.interview_record(
                            interview=interview,
                            actor=request.user,
                            score=form.cleaned_data["score"],
                            notes=form.cleaned_data["notes"],
                        )
                    except PortalError as error:
                        add_portal_error(form, error)
                    else:
                        messages.success(request, _("Interview recorded."))
                        return redirect(
                            reverse("opencalls:evaluation:interviews", args=[number])
                            + f"#i{interview.pk}"
                        )
            if action == "book":
                interview = get_object_or_404(
                    Interview, pk=_int(request.POST.get("interview")), call=call
                )
                slot = get_object_or_404(
                    InterviewSlot, pk=_int(request.POST.get("slot")), call=call
                )
                services.interview_book(interview=interview, actor=request.user, slot=slot)
                messages.success(request, _("Slot booked; the applicant has been told."))
                return redirect("opencalls:evaluation:interviews", number=number)
        except PortalError as error:
            if action == "slot":
                add_portal_error(slot_form, error)
            else:
                messages.error(request, error.message)
        status = 422
    all_interviews = list(
        Interview.objects.filter(call=call)
        .select_related("proposal__call", "proposal__current_version__track", "slot")
        .order_by("proposal__current_version__track__order", "slot__starts_at", "pk")
    )
    for interview in all_interviews:
        interview.form = record_forms.get(interview.pk) or InterviewRecordForm(
            prefix=f"i{interview.pk}",
            initial={
                "score": interview.score.normalize() if interview.score is not None else "",
                "notes": interview.panel_notes,
            },
        )
    slots = list(
        InterviewSlot.objects.filter(call=call).select_related("interview__proposal__call")
    )
    return render(
        request,
        "opencalls/evaluation/manage/interviews.html",
        _manager_context(
            call,
            "interviews",
            interviews=all_interviews,
            slots=slots,
            free_slots=[
                s for s in slots if not hasattr(s, "interview") and s.starts_at > timezone.now()
            ],
            slot_form=slot_form,
            evaluating=call.stage == CallStage.UNDER_EVALUATION,
            InterviewStatus=InterviewStatus,
        ),
        status=status,
    )


@login_required
def decisions(request, number: int):
    """Apply the final ranking (selected / reserve / rejected, each emailed with the link to
    the Evaluation Summary Report), then publish the results."""
    call = _managed_call(request, number)
    form = DecisionsForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            counts = services.decisions_apply(
                call=call, actor=request.user, message=form.cleaned_data["message"]
            )
        except PortalError as error:
            add_portal_error(form, error)
            status = 422
        else:
            messages.success(
                request,
                _(
                    "Decisions recorded and emailed: %(selected)s selected, %(reserve)s on the "
                    "reserve list, %(rejected)s not selected."
                )
                % counts,
            )
            return redirect("opencalls:evaluation:decisions", number=number)
    evaluating = call.stage == CallStage.UNDER_EVALUATION
    plan = services.decision_plan(call) if evaluating else []
    blockers = services.decision_blockers(call) if evaluating else []
    final = ConsensusReport.objects.filter(proposal=OuterRef("pk"), status=ConsensusStatus.FINAL)
    decided = (
        Proposal.objects.filter(
            call=call,
            status__in=[ProposalStatus.SELECTED, ProposalStatus.RESERVE, ProposalStatus.REJECTED],
        )
        .annotate(has_summary=Exists(final))
        .select_related("call", "current_version")
        .order_by("status", "number")
    )
    return render(
        request,
        "opencalls/evaluation/manage/decisions.html",
        _manager_context(
            call, "decisions", form=form, plan=plan, decided=decided, blockers=blockers
        ),
        status=status,
    )


@login_required
@require_POST
def results_publish(request, number: int):
    call = _managed_call(request, number)
    try:
        with transaction.atomic():
            services.results_publish(call=call, actor=request.user)
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("opencalls:evaluation:decisions", number=number)
    messages.success(
        request, _("Results published; applicants can read their Evaluation Summary Report.")
    )
    return redirect("opencalls:evaluation:decisions", number=number)


EXPORTS = {
    "scores": selectors.score_export_rows,
    "consensus": selectors.consensus_export_rows,
    "ranking": selectors.ranking_export_rows,
}


@login_required
def export(request, number: int, kind: str):
    """Scores, consensus or ranking as CSV or Excel. Call managers only."""
    call = _managed_call(request, number)
    fmt = request.GET.get("format", "csv")
    if kind not in EXPORTS or fmt not in {"csv", "xlsx"}:
        raise Http404
    headers, rows = EXPORTS[kind](call)
    return tabular_response(
        fmt,
        headers,
        rows,
        filename=f"{call.reference_prefix}-{kind}",
        title=f"Open Call {call.number} {kind}",
    )
