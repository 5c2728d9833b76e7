"""The consensus report, written by the rapporteur and finalised by call managers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ai4media_portal.core.exceptions import PortalError
from ai4media_portal.core.permissions import can
from ai4media_portal.core.web import form_error, require

from ...models import Proposal
from .. import selectors, services
from ..forms import ConsensusForm
from ..models import Assignment
from .reviews import _assignment_or_404


def _consensus_proposal(request, pk: int) -> tuple[Proposal, Assignment | None]:
    """The proposal whose consensus the user may write: a call manager, or its rapporteur
    (through their own visible assignment, returned too). Others: 404."""
    if can(request.user, "opencalls.manage_evaluation"):
        proposal = get_object_or_404(
            Proposal.objects.select_related("call", "current_version"), pk=pk
        )
        if not selectors.in_evaluation(proposal.call).filter(pk=proposal.pk).exists():
            raise Http404
        # Not a call manager's own case: they neither read nor write its consensus.
        require(request, "opencalls.evaluate_proposal", proposal)
        return proposal, None
    assignment = _assignment_or_404(request, pk)
    report = getattr(assignment.proposal, "consensus", None)
    if report is None or not can(request.user, "opencalls.write_consensus", report):
        raise Http404
    return assignment.proposal, assignment


@login_required
def consensus(request, pk: int):
    """The consensus report: the evaluators' submitted reviews side by side (anonymised for
    the rapporteur), the flags, and the agreed scores and comments; save here, then finalise
    (``consensus_finalise``)."""
    return _consensus_page(request, pk, finalise=False)


@login_required
@require_POST
def consensus_finalise(request, pk: int):
    """Save the consensus as it stands, then make it final."""
    return _consensus_page(request, pk, finalise=True)


def _consensus_page(request, pk: int, *, finalise: bool):
    proposal, assignment = _consensus_proposal(request, pk)
    call = proposal.call
    manager = assignment is None
    # Nobody, rapporteur or call manager, reads the reviews (or what derives from them, the
    # agreed scores included) while their own review of the proposal is not submitted; the
    # rapporteur besides only once they are one of its evaluators with a submitted review.
    withheld = selectors.blind_proposal_ids(request.user, call)
    reviews_readable = proposal.pk not in withheld and (
        manager or can(request.user, "opencalls.read_peer_reviews", assignment)
    )
    criteria = selectors.criteria_of(call)
    report = getattr(proposal, "consensus", None)
    values = selectors.consensus_values(report) if reviews_readable else {}
    analysis = selectors.call_analysis(call, criteria=criteria, withheld=withheld)
    suggestion = analysis.suggestions.get(proposal.pk) if reviews_readable else None
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
            elif finalise:
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
            form_error(form, error)
            status = 422
        report = getattr(Proposal.objects.get(pk=proposal.pk), "consensus", None)
    rows = (
        selectors.proposal_reviews_for_manager(proposal, criteria=criteria, analysis=analysis)
        if reviews_readable
        else []
    )
    letters = selectors.evaluator_letters([row.assignment for row in rows])
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
            "reviews_readable": reviews_readable,
            "flags": analysis.flag_texts(proposal.pk) if reviews_readable else [],
            "suggestion": suggestion,
            "overall_threshold": call.overall_threshold,
            "max_total": analysis.rules.max_total,
            "blind": settings.hide_applicant_identity and not manager,
        },
        status=status,
    )
