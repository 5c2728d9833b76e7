"""The call managers' evaluation overview, settings and per-proposal page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.web import form_error, require

from ...models import Proposal
from .. import selectors, services
from ..forms import (
    EvaluationSettingsForm,
    ExtendForm,
    RapporteurForm,
    SetAsideForm,
    in_call_timezone,
)
from ..models import Assignment
from .common import _int, _managed_call, _manager_context


@login_required
def manage(request, number: int):
    """Progress: reviews submitted and overdue per evaluator, and the proposals with their
    reviews, disagreement flags (flagged first) and consensus state."""
    call = _managed_call(request, number)
    withheld = selectors.blind_proposal_ids(request.user, call)
    progress = selectors.call_progress(call, withheld=withheld)
    return render(
        request,
        "opencalls/evaluation/manage/overview.html",
        _manager_context(
            request,
            call,
            "overview",
            progress=progress,
            run=selectors.latest_run(call),
            withheld=withheld,
        ),
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
            form_error(form, error)
        else:
            messages.success(request, _("Evaluation settings saved."))
            return redirect("opencalls:evaluation:manage_settings", number=number)
    return render(
        request,
        "opencalls/evaluation/manage/settings.html",
        _manager_context(request, call, "settings", form=form),
        status=422 if request.method == "POST" else 200,
    )


def _managed_proposal(request, number: int, pk: int):
    """The call and one of its proposals, for a call manager who is not a party to it
    (``opencalls.evaluate_proposal``); a party is refused (403)."""
    call = _managed_call(request, number)
    proposal = get_object_or_404(
        Proposal.objects.select_related("current_version__track", "current_version__challenge"),
        pk=pk,
        call=call,
    )
    require(request, "opencalls.evaluate_proposal", proposal)
    return call, proposal


def _proposal_page(
    request,
    call,
    proposal,
    *,
    rapporteur_form=None,
    extend_form=None,
    set_aside_form=None,
    status=200,
):
    criteria = selectors.criteria_of(call)
    withheld = selectors.blind_proposal_ids(request.user, call)
    # A manager who evaluates this proposal reads nothing of its reviews before theirs is in.
    blind = proposal.pk in withheld
    analysis = selectors.call_analysis(call, criteria=criteria, withheld=withheld)
    rows = selectors.proposal_reviews_for_manager(
        proposal, criteria=criteria, analysis=analysis, hidden=blind
    )
    report = getattr(proposal, "consensus", None)
    suggestion = analysis.suggestions.get(proposal.pk)
    return render(
        request,
        "opencalls/evaluation/manage/proposal.html",
        _manager_context(
            request,
            call,
            "overview",
            proposal=proposal,
            version=proposal.current_version,
            rows=rows,
            criteria=criteria,
            blind=blind,
            flags=analysis.flag_texts(proposal.pk),
            report=report,
            consensus_rows=[]
            if blind
            else [(c, selectors.consensus_values(report).get(c.pk)) for c in criteria],
            rapporteur_form=_rapporteur_form(proposal)
            if rapporteur_form is None
            else rapporteur_form,
            extend_form=ExtendForm() if extend_form is None else extend_form,
            set_aside_form=SetAsideForm() if set_aside_form is None else set_aside_form,
            suggestion=suggestion,
            suggestion_rows=[(c, suggestion.scores.get(str(c.pk))) for c in criteria]
            if suggestion
            else [],
        ),
        status=status,
    )


def _rapporteur_form(proposal, data=None) -> RapporteurForm:
    report = getattr(proposal, "consensus", None)
    return RapporteurForm(
        data,
        evaluators=selectors.rapporteur_candidates(proposal),
        initial={"rapporteur": getattr(report, "rapporteur_id", None)},
    )


@login_required
@require_GET
def manage_proposal(request, number: int, pk: int):
    """One proposal's evaluation for call managers: each evaluator's review with their total
    and z-score, the disagreement flags, the rapporteur, deadline extensions and the consensus.
    Its forms post to ``rapporteur_choose``, ``assignment_extend``, ``review_set_aside`` and
    ``consensus_reopen``."""
    call, proposal = _managed_proposal(request, number, pk)
    return _proposal_page(request, call, proposal)


@login_required
@require_POST
def rapporteur_choose(request, number: int, pk: int):
    call, proposal = _managed_proposal(request, number, pk)
    form = _rapporteur_form(proposal, request.POST)
    if form.is_valid():
        try:
            services.consensus_set_rapporteur(
                proposal=proposal, actor=request.user, rapporteur=form.cleaned_data["rapporteur"]
            )
        except PortalError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Rapporteur chosen; they have been told."))
            return redirect("opencalls:evaluation:manage_proposal", number=number, pk=pk)
    return _proposal_page(request, call, proposal, rapporteur_form=form, status=422)


@login_required
@require_POST
def assignment_extend(request, number: int, pk: int):
    call, proposal = _managed_proposal(request, number, pk)
    form = ExtendForm(request.POST)
    if form.is_valid():
        assignment = get_object_or_404(
            Assignment, pk=_int(request.POST.get("assignment")), proposal=proposal
        )
        try:
            services.assignment_extend(
                assignment=assignment,
                actor=request.user,
                until=in_call_timezone(form.cleaned_data["until"], call),
            )
        except PortalError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Deadline extended; the evaluator has been told."))
            return redirect("opencalls:evaluation:manage_proposal", number=number, pk=pk)
    return _proposal_page(request, call, proposal, extend_form=form, status=422)


@login_required
@require_POST
def review_set_aside(request, number: int, pk: int):
    """Set one of the proposal's submitted reviews aside, with the reason."""
    call, proposal = _managed_proposal(request, number, pk)
    form = SetAsideForm(request.POST)
    if form.is_valid():
        assignment = get_object_or_404(
            Assignment, pk=_int(request.POST.get("assignment")), proposal=proposal
        )
        try:
            services.review_set_aside(
                assignment=assignment, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except PortalError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("The review is set aside: it no longer counts. Assign a replacement evaluator."),
            )
            return redirect("opencalls:evaluation:manage_proposal", number=number, pk=pk)
    return _proposal_page(request, call, proposal, set_aside_form=form, status=422)


@login_required
@require_POST
def consensus_reopen(request, number: int, pk: int):
    call, proposal = _managed_proposal(request, number, pk)
    try:
        services.consensus_reopen(proposal=proposal, actor=request.user)
    except PortalError as error:
        form = ExtendForm()
        form_error(form, error)
        return _proposal_page(request, call, proposal, extend_form=form, status=422)
    messages.success(request, _("The consensus is open for changes again."))
    return redirect("opencalls:evaluation:manage_proposal", number=number, pk=pk)
